'use strict'
// Against the real server (demo mode): the DPO records a subject access request for Ruby Stone
// (shielded; src/app/demo.cc), produces the requester's copy of the disclosure (no address,
// gaps marked "withheld") and its PDF, then the internal copy; management opens two reports.
// Routes: src/web/reports_web.h.
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

async function uinOf (page, baseUrl, given, family) {
  await page.goto(`${baseUrl}/search`)
  await page.locator('#given_name').fill(given)
  await page.locator('#family_name').fill(family)
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Search', exact: true }).click()])
  const href = await page.getByRole('link', { name: `${given} ${family}` }).first().getAttribute('href')
  return href.split('/')[2]
}

const RUBYS_HIDDEN = ['Willow Court', 'NT2 5RB', 'Laura Stone', '07700 900733', 'Marsh', 'Sally Ward']

test('the DPO produces a disclosure; management opens two reports', { timeout: 300_000 },
  async () => {
    const server = await startServer()
    const sessions = []
    try {
      const dana = await signedIn(server, 'dana.dpo')
      sessions.push(dana)
      let page = dana.page
      const uin = await uinOf(page, server.baseUrl, 'Ruby', 'Stone')

      // The home page leads to the cases.
      await page.goto(`${server.baseUrl}/`)
      await Promise.all([page.waitForNavigation(),
        page.getByRole('link', { name: 'Subject access requests' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Subject access requests')
      await expectNoAxeViolations(page, 'DSAR cases')

      // Nothing chosen: the error summary.
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Record request' }).click()])
      assert.match(await page.title(), /^Error: /)
      await expectNoAxeViolations(page, 'DSAR form with errors')

      await page.locator('#uin').fill(uin)
      await page.getByLabel('The child or young person').check()
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Record request' }).click()])
      assert.equal(new URL(page.url()).pathname, '/dpo')
      const row = page.locator('tbody tr', { hasText: uin })
      assert.equal(await row.count(), 1)
      const reference = (await row.locator('td').first().textContent()).trim()
      assert.match(reference, /^DSAR-\d{4}-\d{4}$/)
      await expectNoAxeViolations(page, 'DSAR cases with one')

      // The requester's copy: nothing hidden, the gaps marked, the exemption stated.
      await Promise.all([page.waitForNavigation(),
        row.getByRole('link', { name: 'Requester’s copy' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(),
        'Disclosure: requester’s copy')
      const html = await page.content()
      for (const hidden of RUBYS_HIDDEN) {
        assert.equal(html.includes(hidden), false, `requester's copy shows "${hidden}"`)
      }
      assert.match(html, /withheld/)
      assert.match(html, /Schedule 3/)
      assert.match(html, new RegExp(`Request reference ${reference}`))
      assert.match(html, /Produced by dana\.dpo on /)
      await expectNoPageProblems(dana, 'disclosure print view')
      await expectNoAxeViolations(page, 'disclosure print view')

      const pdfHref = await page.getByRole('link', { name: 'Download the PDF' }).getAttribute('href')
      const pdf = await page.request.get(`${server.baseUrl}${pdfHref}`)
      assert.equal(pdf.status(), 200)
      assert.equal(pdf.headers()['content-type'], 'application/pdf')
      assert.equal((await pdf.body()).subarray(0, 8).toString(), '%PDF-1.4')

      // The internal copy has everything, marked not for disclosure.
      await page.goto(`${server.baseUrl}/dpo`)
      await Promise.all([page.waitForNavigation(),
        page.locator('tbody tr', { hasText: uin }).getByRole('link', { name: 'Internal copy' }).click()])
      const internal = await page.content()
      assert.match(internal, /Willow Court/)
      assert.match(internal, /INTERNAL – NOT FOR DISCLOSURE/)
      await expectNoAxeViolations(page, 'internal copy')

      // Management: the reports, from the home page.
      const morgan = await signedIn(server, 'morgan.manager')
      sessions.push(morgan)
      page = morgan.page
      await page.goto(`${server.baseUrl}/`)
      await Promise.all([page.waitForNavigation(),
        page.getByRole('link', { name: 'Reports' }).first().click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Reports')
      await expectNoAxeViolations(page, 'reports')

      await Promise.all([page.waitForNavigation(),
        page.getByRole('link', { name: 'Trawling monitor' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Trawling monitor')
      assert.ok(await page.locator('tbody tr', { hasText: 'pat.teacher' }).count() >= 1)
      assert.equal(await page.locator('tbody tr', { hasText: 'eve.manager' }).count(), 0)
      await expectNoPageProblems(morgan, 'trawling monitor')
      await expectNoAxeViolations(page, 'trawling monitor')

      await page.goto(`${server.baseUrl}/reports`)
      await Promise.all([page.waitForNavigation(),
        page.getByRole('link', { name: 'Who viewed a record' }).click()])
      await page.locator('#uin').fill(uin)
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Show' }).click()])
      assert.ok(await page.locator('tbody tr', { hasText: 'dana.dpo' }).count() >= 1,
        'the disclosures are on the record')
      await expectNoAxeViolations(page, 'who viewed a record')
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })
