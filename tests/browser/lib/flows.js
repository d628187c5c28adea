'use strict'
// Page-level steps shared by the tests. Field ids and routes are those of the web layer
// (src/web/auth_pages.h).
const assert = require('node:assert/strict')
const { CodeSource } = require('./totp')

const codes = new CodeSource()

// Fills and submits the sign-in form; leaves the browser on the page the server sends next.
async function submitPassword (page, baseUrl, account) {
  await page.goto(`${baseUrl}/sign-in`)
  await page.locator('#username').fill(account.username)
  await page.locator('#password').fill(account.password)
  await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit]').click()])
}

async function submitCode (page, code) {
  await page.locator('#code').fill(code)
  await Promise.all([page.waitForNavigation(), page.locator('form button[type=submit]').click()])
}

// Signs in an enrolled account with password and TOTP code; ends on the home page.
async function signIn (page, baseUrl, account) {
  await submitPassword(page, baseUrl, account)
  assert.match(new URL(page.url()).pathname, /^\/sign-in\/code$/)
  await submitCode(page, await codes.next(account.totp_secret))
  assert.equal(new URL(page.url()).pathname, '/')
}

// Checks that a paste into `selector` is not blocked by any script.
async function expectPasteAllowed (page, selector) {
  const allowed = await page.locator(selector).evaluate((el) => {
    const data = new DataTransfer()
    data.setData('text/plain', '123456')
    return el.dispatchEvent(new ClipboardEvent('paste', {
      clipboardData: data, bubbles: true, cancelable: true
    }))
  })
  assert.ok(allowed, `paste into ${selector} was blocked`)
}

module.exports = { codes, submitPassword, submitCode, signIn, expectPasteAllowed }
