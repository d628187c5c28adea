'use strict'
// Against the real server (demo mode) with a 20-second idle timeout and a 15-second warning,
// so the warning dialog opens about 5 seconds after each page load.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount, isEnrolled } = require('./lib/server')
const { signIn } = require('./lib/flows')

const IDLE_ENV = { CP_SESSION_IDLE_SECONDS: '20', CP_SESSION_WARN_SECONDS: '15' }

test.describe('idle timeout warning', { timeout: 180_000 }, () => {
  let server
  let session
  test.before(async () => {
    server = await startServer({ env: IDLE_ENV })
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

  const account = () => findAccount(server.accounts, 'enrolled account', isEnrolled)

  test('warns, and "Stay signed in" extends the session', async () => {
    const { page } = session
    await signIn(page, server.baseUrl, account())
    assert.equal(await page.locator('meta[name="cp-session-idle-seconds"]').getAttribute('content'), '20')
    assert.equal(await page.locator('meta[name="cp-session-warn-seconds"]').getAttribute('content'), '15')

    const dialog = page.locator('#cp-timeout-dialog')
    await dialog.waitFor({ state: 'visible', timeout: 10_000 })
    assert.ok(await dialog.evaluate((d) => d.open && d.contains(document.activeElement)),
      'focus is not inside the dialog')
    assert.equal(await dialog.getAttribute('aria-labelledby'), 'cp-timeout-heading')
    assert.match(await page.locator('#cp-timeout-countdown').textContent(),
      /^You will be signed out in \d+ seconds?\.$/)
    await expectNoAxeViolations(page, 'dialog open')

    const [extend] = await Promise.all([
      page.waitForResponse((r) => new URL(r.url()).pathname === '/api/v1/session/extend'),
      page.getByRole('button', { name: 'Stay signed in' }).click()
    ])
    assert.equal(extend.request().method(), 'POST')
    assert.ok(extend.request().headers()['x-csrf-token'], 'no X-CSRF-Token header')
    assert.ok(extend.ok(), `extend answered ${extend.status()}`)
    await dialog.waitFor({ state: 'hidden' })
    await expectNoPageProblems(session, 'after extending')

    // The session really was extended: the dialog opened at least 5 s after the last
    // request, so 16 s after the extension is past the original 20 s expiry but within the
    // extended one; a page must still load signed in.
    await page.waitForTimeout(16_000)
    await page.goto(`${server.baseUrl}/`)
    assert.equal(new URL(page.url()).pathname, '/')
  })

  test('signs out at expiry and says why', async () => {
    const { page } = session
    await signIn(page, server.baseUrl, account())
    await page.waitForURL((url) => url.pathname !== '/', { timeout: 30_000 })
    assert.equal(await page.locator('h1').textContent(), 'You have been signed out')
    await expectNoAxeViolations(page, 'timed out')
  })
})
