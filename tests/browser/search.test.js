'use strict'
// Against the real server (demo mode): searching the directory and opening a record, as the
// demo practitioner pat.teacher. The demo seeds "Amelia Okafor" (not shielded, three
// involvements) and "Ruby Stone" (shielded; former name Marsh, postcode NT2 5RB) among its
// synthetic children (src/app/demo.cc).
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount } = require('./lib/server')
const { signIn } = require('./lib/flows')

// Fills the search form (fields of src/web/directory_pages.h) and submits it.
async function search (page, { given = '', family = '', day = '', month = '', year = '' }) {
  await page.locator('#given_name').fill(given)
  await page.locator('#family_name').fill(family)
  await page.locator('#date_of_birth-day').fill(day)
  await page.locator('#date_of_birth-month').fill(month)
  await page.locator('#date_of_birth-year').fill(year)
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Search', exact: true }).click()])
}

// From the results, opens the record called `name` with the reason `label`.
async function openWithReason (page, name, label) {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name }).click()])
  assert.match(new URL(page.url()).pathname, /^\/children\/[0-9]{10}[0-9X]$/)
  assert.equal((await page.locator('h1').textContent()).trim(), 'Why are you opening this record?')
  await page.getByLabel(label).check()
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Open record' }).click()])
}

test('a practitioner searches, gives a reason and sees who is working with a child',
  { timeout: 240_000 }, async () => {
    const server = await startServer()
    const session = await openBrowser()
    try {
      const { page } = session
      const pat = findAccount(server.accounts, 'pat.teacher', (a) => a.username === 'pat.teacher')
      await signIn(page, server.baseUrl, pat)

      await page.getByRole('link', { name: 'Search', exact: true }).click()
      await page.waitForURL((url) => url.pathname === '/search')
      assert.equal((await page.locator('h1').textContent()).trim(), 'Search for a child')
      await expectNoPageProblems(session, 'search form')
      await expectNoAxeViolations(page, 'search form')

      await search(page, { given: 'Amelia', family: 'Okafor' })
      // The results are the POST's own page: no criteria in the address.
      assert.equal(new URL(page.url()).pathname, '/search')
      assert.equal(new URL(page.url()).search, '')
      assert.match(await page.locator('table caption').textContent(), /child(ren)? found/)
      await expectNoAxeViolations(page, 'search results')

      await Promise.all([page.waitForNavigation(),
        page.getByRole('link', { name: 'Amelia Okafor' }).click()])
      await expectNoPageProblems(session, 'reason form')
      await expectNoAxeViolations(page, 'reason form')
      // The explanation appears only for "other".
      assert.equal(await page.locator('#reason_text').isVisible(), false)
      await page.getByLabel('Another reason (explain)').check()
      assert.equal(await page.locator('#reason_text').isVisible(), true)
      // Without any explanation: the form again, with its error.
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Open record' }).click()])
      assert.match(await page.title(), /^Error: /)
      await expectNoAxeViolations(page, 'reason form with error')

      await page.getByLabel('Contacting another practitioner working with the child').check()
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Open record' }).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Amelia Okafor')
      assert.equal(await page.getByRole('heading', { name: 'Who else is working with this child' })
        .count(), 1)
      assert.equal(await page.locator('#involvements ~ .govuk-summary-card').count(), 3)
      const tel = await page.locator('.govuk-summary-card a[href^="tel:"]')
        .evaluateAll((links) => links.map((a) => a.getAttribute('href')))
      assert.ok(tel.includes('tel:01632960201'), `tel: links ${tel}`)
      assert.ok(await page.locator('a[href="mailto:pat.teacher@example.org.uk"]').count() === 1)
      assert.ok(await page.getByText('Lead professional', { exact: true }).count() >= 1)
      await expectNoPageProblems(session, 'record')
      await expectNoAxeViolations(page, 'record')

      // The print stylesheet hides the navigation, footer and buttons but keeps the cards.
      await page.emulateMedia({ media: 'print' })
      assert.equal(await page.locator('.govuk-service-navigation').isVisible(), false)
      assert.equal(await page.locator('.govuk-footer').isVisible(), false)
      assert.equal(await page.locator('.govuk-phase-banner').isVisible(), false)
      assert.equal(await page.locator('.govuk-summary-card').first().isVisible(), true)
      await page.emulateMedia({ media: 'screen' })
    } finally {
      await session.close()
      await server.stop()
    }
  })

test('a shielded child shows only the notice; a search that says too little is refused',
  { timeout: 240_000 }, async () => {
    const server = await startServer()
    const session = await openBrowser()
    try {
      const { page } = session
      const pat = findAccount(server.accounts, 'pat.teacher', (a) => a.username === 'pat.teacher')
      await signIn(page, server.baseUrl, pat)
      await page.goto(`${server.baseUrl}/search`)

      await search(page, { given: 'Ruby', family: 'Stone' })
      const row = page.locator('tbody tr', { has: page.getByRole('link', { name: 'Ruby Stone' }) })
      assert.equal(await row.locator('.govuk-tag', { hasText: 'Shielded' }).count(), 1)
      await openWithReason(page, 'Ruby Stone', 'A safeguarding or child protection concern')
      const html = await page.content()
      assert.match(html, /This record is shielded/)
      for (const hidden of ['NT2 5RB', 'Marsh', 'Willow Court', 'Laura Stone', 'Sally Ward',
        'Who else is working']) {
        assert.equal(html.includes(hidden), false, `shielded page shows "${hidden}"`)
      }
      await expectNoPageProblems(session, 'shielded record')
      await expectNoAxeViolations(page, 'shielded record')

      // Too little to search on: the error summary, linked to the field.
      await page.goto(`${server.baseUrl}/search`)
      await search(page, { family: 'Smith' })
      assert.match(await page.title(), /^Error: /)
      assert.equal(await page.locator('.govuk-error-summary a[href="#given_name"]').count(), 1)
      assert.equal(await page.locator('table').count(), 0)
      await expectNoAxeViolations(page, 'search with errors')

      // A trawling search (more than 10 matches) cannot be made reliably among the demo's 2,000
      // synthetic children; web_ui_test covers it (DirectoryWebTest.TooManyMatches...).
    } finally {
      await session.close()
      await server.stop()
    }
  })
