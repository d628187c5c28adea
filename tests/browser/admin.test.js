'use strict'
// Against the real server (demo mode): the administrators' pages.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount, isEnrolled, hasRole } = require('./lib/server')
const { signIn } = require('./lib/flows')

test('administrator pages render accessibly', { timeout: 180_000 }, async () => {
  const server = await startServer()
  const session = await openBrowser()
  try {
    const { page } = session
    const admin = findAccount(server.accounts, 'enrolled administrator',
      (a) => isEnrolled(a) && hasRole(a, 'administrator'))
    await signIn(page, server.baseUrl, admin)

    await page.goto(`${server.baseUrl}/admin/users`)
    assert.equal(await page.locator('h1').textContent(), 'Users')
    const headers = await page.locator('table thead th').allTextContents()
    assert.deepEqual(headers.map((h) => h.trim()),
      ['Username', 'Name', 'Organisation', 'Roles', 'Vetting', 'Account'])
    assert.ok(await page.locator('table tbody tr').count() >= server.accounts.length)
    await expectNoPageProblems(session, 'users')
    await expectNoAxeViolations(page, 'users')

    await page.getByRole('button', { name: 'Add a user' }).click()
    await page.waitForURL((url) => url.pathname === '/admin/users/new')
    await expectNoAxeViolations(page, 'new user form')
    // Submitting the empty form shows the error summary, linked to the fields.
    await Promise.all([page.waitForNavigation(), page.getByRole('button', { name: 'Add user' }).click()])
    assert.match(await page.title(), /^Error: /)
    for (const href of await page.locator('.govuk-error-summary a').evaluateAll(
      (links) => links.map((a) => a.getAttribute('href')))) {
      assert.equal(await page.locator(href).count(), 1, `error link ${href} names no field`)
    }
    await expectNoAxeViolations(page, 'new user form with errors')

    await page.goto(`${server.baseUrl}/admin/organisations`)
    assert.equal(await page.locator('h1').textContent(), 'Organisations')
    await expectNoAxeViolations(page, 'organisations')
    await page.goto(`${server.baseUrl}/admin/organisations/new`)
    await expectNoAxeViolations(page, 'new organisation form')
    await expectNoPageProblems(session, 'organisations')
  } finally {
    await session.close()
    await server.stop()
  }
})

test('a practitioner is refused the administration pages', { timeout: 120_000 }, async () => {
  const server = await startServer()
  const session = await openBrowser()
  try {
    const { page } = session
    const practitioner = findAccount(server.accounts, 'enrolled non-administrator',
      (a) => isEnrolled(a) && !hasRole(a, 'administrator'))
    await signIn(page, server.baseUrl, practitioner)
    const response = await page.goto(`${server.baseUrl}/admin/users`)
    assert.equal(response.status(), 403)
    assert.equal(await page.locator('h1').textContent(), 'You do not have access')
    await expectNoAxeViolations(page, '403')
  } finally {
    await session.close()
    await server.stop()
  }
})
