'use strict'
// Directory steps shared by the shielding tests: search by name, open a record with a reason,
// and sign a demo account in on a fresh browser. Field ids: src/web/directory_pages.h.
const { openBrowser } = require('./browser')
const { findAccount } = require('./server')
const { signIn } = require('./flows')

async function searchByName (page, baseUrl, given, family) {
  await page.goto(`${baseUrl}/search`)
  await page.locator('#given_name').fill(given)
  await page.locator('#family_name').fill(family)
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Search', exact: true }).click()])
}

// From the results, opens the record linked as `name` giving the safeguarding reason.
async function openWithReason (page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('link', { name }).click()])
  await page.getByLabel('A safeguarding or child protection concern').check()
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Open record' }).click()])
}

// A new browser with `username` (a demo account) signed in, on the home page.
async function signedIn (server, username) {
  const session = await openBrowser()
  const account = findAccount(server.accounts, username, (a) => a.username === username)
  await signIn(session.page, server.baseUrl, account)
  return session
}

module.exports = { searchByName, openWithReason, signedIn }
