'use strict'
// Against the real server (demo mode): a shielder shields Amelia Okafor, a practitioner then
// sees only the shielded view, and the management desk reviews and tries to unshield. The demo
// shields Ruby Stone and her brother Leo through the shielding service at seed time
// (src/app/demo.cc). Routes and fields: src/web/shielding_pages.h.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount } = require('./lib/server')
const { signIn } = require('./lib/flows')

async function search (page, baseUrl, given, family) {
  await page.goto(`${baseUrl}/search`)
  await page.locator('#given_name').fill(given)
  await page.locator('#family_name').fill(family)
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Search', exact: true }).click()])
}

async function openWithReason (page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name }).click()])
  await page.getByLabel('A safeguarding or child protection concern').check()
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Open record' }).click()])
}

async function signedIn (server, username) {
  const session = await openBrowser()
  const account = findAccount(server.accounts, username, (a) => a.username === username)
  await signIn(session.page, server.baseUrl, account)
  return session
}

test('a shielder shields a child, a practitioner sees the shielded view, management reviews',
  { timeout: 300_000 }, async () => {
    const server = await startServer()
    const sessions = []
    try {
      // (a) The shielder shields Amelia from her record page.
      const sam = await signedIn(server, 'sam.shielder')
      sessions.push(sam)
      let page = sam.page
      await search(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      assert.equal((await page.locator('h1').textContent()).trim(), 'Amelia Okafor')
      const uin = new URL(page.url()).pathname.split('/')[2]
      // A GET link (styled as a button) carrying nothing but the UIN.
      const shieldLink = page.locator(`a[href="/children/${uin}/shield"]`)
      assert.equal((await shieldLink.textContent()).trim(), 'Shield this record')
      await Promise.all([page.waitForNavigation(), shieldLink.click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Shield this record')
      assert.match(await page.content(), /Objection to ContactPoint in principle/)
      await expectNoPageProblems(sam, 'shield form')
      await expectNoAxeViolations(page, 'shield form')

      // Nothing chosen: the error summary.
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Shield this record' }).click()])
      assert.match(await page.title(), /^Error: /)
      await expectNoAxeViolations(page, 'shield form with errors')

      await page.getByLabel(/increased risk of significant harm/).check()
      await page.locator('#category').selectOption('domestic_violence')
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Shield this record' }).click()])
      assert.equal((await page.locator('.govuk-panel__title').textContent()).trim(),
        'Shield applied')
      await expectNoPageProblems(sam, 'shield confirmation')
      await expectNoAxeViolations(page, 'shield confirmation')

      // (b) A practitioner now sees only the shielded view.
      const pat = await signedIn(server, 'pat.teacher')
      sessions.push(pat)
      page = pat.page
      await search(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      const html = await page.content()
      assert.match(html, /This record is shielded/)
      for (const hidden of ['NT4 7QP', 'Larch Avenue', 'Who else is working']) {
        assert.equal(html.includes(hidden), false, `shielded page shows "${hidden}"`)
      }
      await expectNoAxeViolations(page, 'shielded record')

      // (c) Management: the desk lists the reviews due; record one; try to unshield.
      const morgan = await signedIn(server, 'morgan.manager')
      sessions.push(morgan)
      page = morgan.page
      await page.goto(`${server.baseUrl}/management`)
      assert.equal((await page.locator('h1').textContent()).trim(), 'Shielding management')
      const reviewLink = page.locator(`a[href="/management/children/${uin}/review"]`)
      assert.equal(await reviewLink.count(), 1)
      assert.ok(await page.locator('a[href$="/review"]').count() >= 2, 'Ruby and Leo too')
      await expectNoPageProblems(morgan, 'management desk')
      await expectNoAxeViolations(page, 'management desk')

      await Promise.all([page.waitForNavigation(), reviewLink.click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Review the shield')
      await expectNoAxeViolations(page, 'review form')
      await page.locator('#consulted').fill('Sam Whitfield')
      await page.getByLabel('Keep the shield').check()
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Record review' }).click()])
      assert.equal(new URL(page.url()).pathname, '/management')
      assert.match(await page.locator('.govuk-notification-banner').textContent(),
        /Review recorded/)

      await page.goto(`${server.baseUrl}/management/children/${uin}/review`)
      await Promise.all([page.waitForNavigation(),
        page.getByRole('button', { name: 'Unshield this record' }).click()])
      const summary = await page.locator('.govuk-error-summary').textContent()
      assert.match(summary, /This record still has 1 active shield request/)
      await expectNoAxeViolations(page, 'unshield refused')

      // The management's own view of the record is the full one, with the unshield button.
      await search(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      assert.match(await page.content(), /Larch Avenue/)
      assert.equal(await page.getByRole('button', { name: 'Unshield this record' }).count(), 1)

      await page.goto(`${server.baseUrl}/management/shielding-log`)
      assert.equal(await page.locator('a[href="/api/v1/shielding-log?format=csv"]').count(), 1)
      assert.ok(await page.locator('tbody tr', { hasText: uin }).count() >= 1)
      await expectNoAxeViolations(page, 'shielding log')
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })
