'use strict'
// Against the real server (demo mode): Northshire's management moves Amelia Okafor
// (src/app/demo.cc) to a new identity through /management/children/{uin}/identity-change
// (src/web/retention_ui.h): the form, its error summary and the confirmation pass axe; after
// the change a search for the former name (and her known-as name) finds nothing, while the new
// identity is found; a practitioner is refused the page. docs/retention.md.
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

async function search (page, baseUrl, given, family) {
  await page.goto(`${baseUrl}/search`)
  await page.locator('#given_name').fill(given)
  await page.locator('#family_name').fill(family)
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Search', exact: true }).click()])
}

test('management changes a child\'s identity and the former name is no longer found',
  { timeout: 300_000 }, async () => {
    const server = await startServer()
    const sessions = []
    try {
      const morgan = await signedIn(server, 'morgan.manager')
      sessions.push(morgan)
      const page = morgan.page
      await search(page, server.baseUrl, 'Amelia', 'Okafor')
      const href = await page.getByRole('link', { name: 'Amelia Okafor' }).first().getAttribute('href')
      const uin = href.split('/')[2]
      const path = `/management/children/${uin}/identity-change`

      // The form: the UIN only, nothing of the former identity.
      await page.goto(`${server.baseUrl}${path}`)
      assert.equal((await page.locator('h1').textContent()).trim(), 'Change this child\'s identity')
      assert.equal((await page.content()).includes('Okafor'), false)
      await expectNoAxeViolations(page, 'identity change form')

      // Nothing filled in: the error summary names each field.
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Change identity' }).click()])
      assert.match(await page.title(), /^Error: /)
      const summary = page.locator('.govuk-error-summary')
      for (const field of ['reason', 'given_names', 'family_name']) {
        assert.equal(await summary.locator(`a[href="#${field}"]`).count(), 1, field)
      }
      await expectNoAxeViolations(page, 'identity change form with errors')

      await page.getByLabel('Adoption').check()
      await page.locator('#given_names').fill('Juniper')
      await page.locator('#family_name').fill('Ashcombe-Reeve')
      await page.locator('#address_line_1').fill('7 Quarry Lane')
      await page.locator('#town').fill('Westmere')
      await page.locator('#postcode').fill('WM2 8QL')
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Change identity' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Identity changed')
      const done = await page.content()
      const newUin = (done.match(/New UIN (\w+)/) || [])[1]
      assert.ok(newUin, 'the confirmation shows the new UIN')
      assert.notEqual(newUin, uin)
      assert.equal(done.includes('Okafor'), false)
      await expectNoPageProblems(morgan, 'identity changed')
      await expectNoAxeViolations(page, 'identity changed')

      // The new identity is found (the index follows the change within a second)...
      let found = false
      for (let i = 0; i < 40 && !found; i++) {
        await search(page, server.baseUrl, 'Juniper', 'Ashcombe-Reeve')
        found = (await page.content()).includes(newUin)
        if (!found) await page.waitForTimeout(100)
      }
      assert.ok(found, 'the new identity is found')
      // ...and the former one is not, by her name or her known-as name.
      for (const [given, family] of [['Amelia', 'Okafor'], ['Millie', 'Okafor']]) {
        await search(page, server.baseUrl, given, family)
        const html = await page.content()
        assert.equal(html.includes(uin), false, `${given} ${family} still finds the former record`)
        assert.equal(html.includes(newUin), false, `${given} ${family} leads to the new record`)
        assert.equal(await page.getByRole('link', { name: `${given} ${family}` }).count(), 0)
      }
      await expectNoAxeViolations(page, 'search for the former name')

      // The record cannot be changed again.
      const again = await page.goto(`${server.baseUrl}${path}`)
      assert.equal(again.status(), 422)

      // A practitioner is refused the page.
      const pat = await signedIn(server, 'pat.teacher')
      sessions.push(pat)
      const refused = await pat.page.goto(`${server.baseUrl}/management/children/${newUin}/identity-change`)
      assert.equal(refused.status(), 403)
      await expectNoAxeViolations(pat.page, 'identity change refused')
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })
