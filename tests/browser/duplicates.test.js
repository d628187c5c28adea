'use strict'
// Against the real server (demo mode): the demo queues the GP practice's "Rubie Stone" as a
// possible duplicate of the shielded Ruby Stone (src/app/demo.cc). Northshire's management
// finds the pair in the queue, sees both records side by side, merges them, undoes the merge
// and then says they are different children. Routes: src/web/duplicate_ui.h.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount } = require('./lib/server')
const { signIn } = require('./lib/flows')

async function signedIn (server, username) {
  const session = await openBrowser()
  const account = findAccount(server.accounts, username, (a) => a.username === username)
  await signIn(session.page, server.baseUrl, account)
  return session
}

async function press (page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()])
}

test('management merges, unmerges and rejects the demo possible duplicate',
  { timeout: 300_000 }, async () => {
    const server = await startServer()
    const sessions = []
    try {
      const morgan = await signedIn(server, 'morgan.manager')
      sessions.push(morgan)
      const page = morgan.page
      await page.goto(`${server.baseUrl}/`)
      await Promise.all([page.waitForNavigation(),
        page.getByRole('link', { name: 'Possible duplicates' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Possible duplicates')
      assert.match(await page.content(), /1 possible duplicate \(Open\)/)
      await expectNoPageProblems(morgan, 'queue')
      await expectNoAxeViolations(page, 'queue')

      await Promise.all([page.waitForNavigation(),
        page.locator('tbody a[href^="/management/duplicates/"]').first().click()])
      const path = new URL(page.url()).pathname
      const content = await page.content()
      assert.match(content, /Rubie Stone/)
      assert.match(content, /Ruby Stone/)
      assert.match(content, /Elm Tree Surgery \(from HLT-NS-ELMTREE\)/)
      await expectNoAxeViolations(page, 'side by side')

      await press(page, 'Merge these records')
      assert.equal(new URL(page.url()).pathname, path)
      assert.match(await page.content(), /Merged/)
      assert.match(await page.content(), /Merged into the other record/)
      await expectNoAxeViolations(page, 'merged pair')

      await press(page, 'Undo the merge')
      assert.equal(new URL(page.url()).pathname, path)
      await press(page, 'These are different children')
      assert.match(await page.content(), /Not the same child/)
      await expectNoPageProblems(morgan, 'decided pair')

      // A practitioner may not see the queue.
      const pat = await signedIn(server, 'pat.teacher')
      sessions.push(pat)
      const denied = await pat.page.goto(`${server.baseUrl}/management/duplicates`)
      assert.equal(denied.status(), 403)
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })
