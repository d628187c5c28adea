'use strict'
// Against the real server (demo mode): sign-in with password and code, and sign-out.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount, isEnrolled, hasRole } = require('./lib/server')
const { codes, submitPassword, submitCode, signIn, expectPasteAllowed } = require('./lib/flows')

test.describe('sign in and sign out', { timeout: 180_000 }, () => {
  let server
  let session
  test.before(async () => {
    server = await startServer()
  })
  test.after(async () => {
    await server?.stop()
  })
  test.beforeEach(async () => {
    session = await openBrowser()
  })
  test.afterEach(async () => {
    await session?.close()
  })

  const practitioner = () => findAccount(server.accounts, 'enrolled practitioner',
    (a) => isEnrolled(a) && hasRole(a, 'practitioner'))

  test('signs in with password and code and shows the home page', async () => {
    const { page } = session
    const account = practitioner()

    await page.goto(`${server.baseUrl}/sign-in`)
    assert.equal(await page.locator('h1').textContent(), 'Sign in to ContactPoint')
    await expectNoPageProblems(session, 'sign-in')
    await expectPasteAllowed(page, '#password')
    await expectNoAxeViolations(page, 'sign-in')

    await submitPassword(page, server.baseUrl, account)
    assert.equal(new URL(page.url()).pathname, '/sign-in/code')
    await expectNoPageProblems(session, 'code')
    await expectPasteAllowed(page, '#code')
    assert.equal(await page.locator('#code').getAttribute('autocomplete'), 'one-time-code')
    assert.equal(await page.locator('#code').getAttribute('inputmode'), 'numeric')
    await expectNoAxeViolations(page, 'code')

    await submitCode(page, await codes.next(account.totp_secret))
    assert.equal(new URL(page.url()).pathname, '/')
    const heading = await page.locator('h1').textContent()
    assert.match(heading, /^Welcome, /)
    if (account.display_name) assert.ok(heading.includes(account.display_name), heading)
    assert.ok(await page.getByRole('link', { name: 'Search', exact: true }).isVisible())
    await expectNoPageProblems(session, 'home')
    await expectNoAxeViolations(page, 'home')
  })

  test('a wrong password shows the GOV.UK error pattern', async () => {
    const { page } = session
    const account = practitioner()
    // The password step never says the password was wrong (no account enumeration): the
    // code page follows, and the generic failure is reported after the code.
    await submitPassword(page, server.baseUrl, { ...account, password: `${account.password}-wrong` })
    assert.equal(new URL(page.url()).pathname, '/sign-in/code')
    await submitCode(page, await codes.next(account.totp_secret))
    assert.equal(new URL(page.url()).pathname, '/sign-in')
    assert.match(await page.title(), /^Error: /)
    assert.ok(await page.locator('.govuk-error-summary').isVisible())
    assert.equal(await page.locator('#password').inputValue(), '')
    await expectNoAxeViolations(page, 'sign-in with errors')
  })

  test('signs out with the POST button and cannot return', async () => {
    const { page } = session
    await signIn(page, server.baseUrl, practitioner())
    await Promise.all([
      page.waitForNavigation(),
      page.locator('.govuk-service-navigation').getByRole('button', { name: 'Sign out' }).click()
    ])
    assert.equal(await page.locator('h1').textContent(), 'You have signed out')
    await expectNoAxeViolations(page, 'signed out')
    await page.goto(`${server.baseUrl}/`)
    assert.equal(new URL(page.url()).pathname, '/sign-in')
  })
})
