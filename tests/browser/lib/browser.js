'use strict'
// Launches Debian's Chromium through playwright-core (no browser is ever downloaded) with a
// fresh profile, and checks pages with axe-core.
const fs = require('node:fs')
const os = require('node:os')
const path = require('node:path')
const assert = require('node:assert/strict')
const { webRequire } = require('./modules')

const { chromium } = webRequire('playwright-core')

const CHROMIUM = process.env.CP_CHROMIUM || '/usr/bin/chromium'
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]
const AXE_PATH = webRequire.resolve('axe-core/axe.min.js')
const WCAG_TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22a', 'wcag22aa']

// Opens a browser with a new profile directory. Returns { context, page, problems, close }.
// `problems` collects Content-Security-Policy violations and uncaught page errors; call
// expectNoPageProblems(session) to assert there were none.
async function openBrowser () {
  const userDataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-chromium-'))
  const context = await chromium.launchPersistentContext(userDataDir, {
    executablePath: CHROMIUM,
    headless: true,
    args: CHROMIUM_ARGS,
    viewport: { width: 1280, height: 900 },
    locale: 'en-GB',
    timezoneId: 'Europe/London',
    ignoreHTTPSErrors: true
  })
  context.setDefaultTimeout(15_000)
  // Record CSP violations in the page (init scripts run through DevTools, not subject to CSP).
  await context.addInitScript(() => {
    window.__cpCspViolations = []
    document.addEventListener('securitypolicyviolation', (e) => {
      window.__cpCspViolations.push(`${e.violatedDirective} blocked ${e.blockedURI || 'inline'}` +
        (e.sourceFile ? ` (${e.sourceFile}:${e.lineNumber})` : ''))
    })
  })
  const page = context.pages()[0] ?? await context.newPage()
  const session = { context, page, problems: [] }
  page.on('pageerror', (err) => session.problems.push(`page error: ${err.message}`))
  page.on('console', (msg) => {
    if (msg.type() === 'error' && /Content Security Policy/i.test(msg.text())) {
      session.problems.push(`console: ${msg.text()}`)
    }
  })
  session.close = async () => {
    await context.close().catch(() => {})
    fs.rmSync(userDataDir, { recursive: true, force: true })
  }
  return session
}

// Asserts that the current page reported no CSP violation or script error, and that
// app.js ran (it adds js-enabled to <body>).
async function expectNoPageProblems (session, label = session.page.url()) {
  const csp = await session.page.evaluate(() => window.__cpCspViolations ?? [])
  const all = [...session.problems, ...csp.map((v) => `CSP: ${v}`)]
  assert.deepEqual(all, [], `${label}: problems on the page:\n  ${all.join('\n  ')}`)
  const jsEnabled = await session.page.evaluate(() =>
    document.body.classList.contains('js-enabled') &&
    document.body.classList.contains('govuk-frontend-supported'))
  assert.ok(jsEnabled, `${label}: app.js did not run (body lacks js-enabled)`)
}

function formatViolations (violations) {
  return violations.map((v) => {
    const nodes = v.nodes.map((n) =>
      `      at ${n.target.join(' ')}\n        ${(n.failureSummary || '').replace(/\n/g, '\n        ')}`)
    return `  [${v.impact}] ${v.id}: ${v.help}\n    ${v.helpUrl}\n${nodes.join('\n')}`
  }).join('\n')
}

// Runs axe-core on the page with the WCAG 2.0/2.1/2.2 A and AA rules and fails with a
// readable list of violations.
async function expectNoAxeViolations (page, label = page.url()) {
  // axe-core is loaded through DevTools evaluation rather than page.addScriptTag: that
  // creates an inline <script>, which the pages' CSP (script-src 'self') rightly refuses, and
  // the refusal would be reported as the page's own CSP violation.
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.evaluate(fs.readFileSync(AXE_PATH, 'utf8'))
  }
  const result = await page.evaluate((tags) =>
    window.axe.run(document, { runOnly: { type: 'tag', values: tags }, resultTypes: ['violations'] }),
  WCAG_TAGS)
  if (result.violations.length > 0) {
    assert.fail(`${label}: ${result.violations.length} accessibility violation(s):\n` +
      formatViolations(result.violations))
  }
}

module.exports = { openBrowser, expectNoAxeViolations, expectNoPageProblems, CHROMIUM, CHROMIUM_ARGS }
