'use strict'
// Against the real server (demo mode): an account without a token enrols one.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount, isEnrolled } = require('./lib/server')
const { codes, submitPassword, submitCode, expectPasteAllowed } = require('./lib/flows')

test('an account without a token enrols one and reaches home', { timeout: 180_000 }, async () => {
  const server = await startServer()
  const session = await openBrowser()
  try {
    const { page } = session
    const account = findAccount(server.accounts, 'account without a token (totp_secret "")',
      (a) => !isEnrolled(a))
    await submitPassword(page, server.baseUrl, account)
    assert.equal(new URL(page.url()).pathname, '/enrol')
    assert.equal(await page.locator('h1').textContent(), 'Set up your authenticator app')
    assert.ok(await page.locator('.cp-qr-code svg').isVisible(), 'no QR code')
    await expectNoPageProblems(session, 'enrol')
    await expectPasteAllowed(page, '#code')
    await expectNoAxeViolations(page, 'enrol')

    const keyText = (await page.locator('#secret-key').textContent()).trim()
    assert.match(keyText, /^[A-Z2-7]{4}( [A-Z2-7]{1,4})+$/, 'key is not base32 in groups of four')
    await submitCode(page, await codes.next(keyText.replace(/\s+/g, '')))
    assert.equal(new URL(page.url()).pathname, '/')
    assert.match(await page.locator('h1').textContent(), /^Welcome, /)
    await expectNoAxeViolations(page, 'home after enrolment')
  } finally {
    await session.close()
    await server.stop()
  }
})
