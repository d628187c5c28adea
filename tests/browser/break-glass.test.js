'use strict'
// Against the real server (demo mode): Break Glass from the warning screen to the investigation
// on the management desk, and a brokering request from the ask to the decision (decline, with
// the requester's signed reasons). The demo (src/app/demo.cc): blake.duty (police) holds an
// approved Break Glass right; pat.teacher is a practitioner without it; morgan.manager is
// Northshire's management team; Ruby Stone is shielded, with Sally Ward (social care) listed
// as working with her. Routes and fields: src/web/break_glass_pages.h and desk_pages.h.
const test = require('node:test')
const assert = require('node:assert/strict')
const { openBrowser, expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer, findAccount } = require('./lib/server')
const { signIn, codes } = require('./lib/flows')

// Ruby's hidden details: no page a user without the right or a grant sees may hold them.
const HIDDEN = ['Willow Court', 'NT2 5RB', 'Sally Ward', 'Laura Stone', '07700 900733']

async function search (page, baseUrl, given, family) {
  await page.goto(`${baseUrl}/search`)
  await page.locator('#given_name').fill(given)
  await page.locator('#family_name').fill(family)
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Search', exact: true }).click()])
}

async function openRuby (page, baseUrl) {
  await search(page, baseUrl, 'Ruby', 'Stone')
  await Promise.all([page.waitForNavigation(),
    page.getByRole('link', { name: 'Ruby Stone' }).click()])
  await page.getByLabel('A safeguarding or child protection concern').check()
  await Promise.all([page.waitForNavigation(),
    page.getByRole('button', { name: 'Open record' }).click()])
  return new URL(page.url()).pathname.split('/')[2]
}

async function expectNothingHidden (page, what) {
  const html = await page.content()
  for (const hidden of HIDDEN) {
    assert.equal(html.includes(hidden), false, `${what} shows "${hidden}"`)
  }
}

async function submit (page, name) {
  await Promise.all([page.waitForNavigation(), page.getByRole('button', { name }).click()])
}

test('Break Glass: warning, the Break Glass view, leaving, and the investigation on the desk',
  { timeout: 300_000 }, async () => {
    const server = await startServer()
    const sessions = []
    const signedIn = async (username) => {
      const session = await openBrowser()
      sessions.push(session)
      const account = findAccount(server.accounts, username, (a) => a.username === username)
      await signIn(session.page, server.baseUrl, account)
      return { session, page: session.page, account }
    }
    try {
      // A practitioner without the right never sees the option.
      const pat = await signedIn('pat.teacher')
      const uin = await openRuby(pat.page, server.baseUrl)
      assert.match(await pat.page.content(), /This record is shielded/)
      assert.equal(await pat.page.locator(`a[href="/children/${uin}/break-glass"]`).count(), 0)
      assert.equal(await pat.page.locator(`a[href="/children/${uin}/brokering"]`).count(), 1)
      await expectNothingHidden(pat.page, 'shielded view')
      // Nor can pat reach the screen by its address.
      const refused = await pat.page.goto(`${server.baseUrl}/children/${uin}/break-glass`)
      assert.equal(refused.status(), 403)

      // blake.duty sees it on the shielded view.
      const blake = await signedIn('blake.duty')
      let page = blake.page
      assert.equal(await openRuby(page, server.baseUrl), uin)
      await expectNothingHidden(page, 'shielded view before Break Glass')
      const option = page.locator(`a[href="/children/${uin}/break-glass"]`)
      assert.equal((await option.textContent()).trim(), 'Break Glass')
      await expectNoAxeViolations(page, 'shielded view with Break Glass')
      await Promise.all([page.waitForNavigation(), option.click()])

      // The warning screen says plainly that an investigation starts now.
      assert.equal((await page.locator('h1').textContent()).trim(), 'Break Glass')
      assert.match(await page.locator('.govuk-warning-text').textContent(),
        /An investigation starts now/)
      await expectNoPageProblems(blake.session, 'Break Glass warning')
      await expectNoAxeViolations(page, 'Break Glass warning')

      // Nothing given: every field's error.
      await submit(page, 'Break Glass and open the record')
      assert.equal(page.url().endsWith(`/children/${uin}/break-glass`), true)
      const summary = await page.locator('.govuk-error-summary').textContent()
      assert.match(summary, /Choose a reason/)
      await expectNoAxeViolations(page, 'Break Glass warning with errors')
      await expectNothingHidden(page, 'refused Break Glass')

      await page.getByLabel('Out-of-hours social care', { exact: false }).first().check()
      await page.locator('#reason_text').fill('Called out at night: the child is missing.')
      await page.locator('#totp').fill(await codes.next(blake.account.totp_secret))
      await submit(page, 'Break Glass and open the record')
      assert.equal((await page.locator('h1').textContent()).trim(), 'Ruby Stone')
      assert.match(await page.locator('#break-glass-title').textContent(), /Break Glass view/)
      assert.match(await page.content(), /Willow Court/)
      await expectNoPageProblems(blake.session, 'Break Glass view')
      await expectNoAxeViolations(page, 'Break Glass view')

      // Leaving the record ends the grant: opening it again shows the shielded view.
      await submit(page, 'Leave record')
      assert.equal((await page.locator('h1').textContent()).trim(), 'You have left the record')
      await expectNoAxeViolations(page, 'left the record')
      await openRuby(page, server.baseUrl)
      assert.match(await page.content(), /This record is shielded/)
      await expectNothingHidden(page, 'the record after leaving')

      // Management: the investigation is on the desk, due the next working day.
      const morgan = await signedIn('morgan.manager')
      page = morgan.page
      await page.goto(`${server.baseUrl}/management`)
      const section = page.locator('#section-investigations')
      assert.match(await section.locator('h2').textContent(), /Break Glass investigations\s*1/)
      const row = section.locator('tbody tr', { hasText: uin })
      assert.equal(await row.count(), 1)
      assert.match(await row.textContent(), /blake\.duty/)
      await expectNoPageProblems(morgan.session, 'management desk')
      await expectNoAxeViolations(page, 'management desk')

      // The filter keeps one section.
      await page.goto(`${server.baseUrl}/management?section=investigations&status=open`)
      assert.equal(await page.locator('#section-investigations').count(), 1)
      assert.equal(await page.locator('#section-reviews').count(), 0)
      await expectNoAxeViolations(page, 'management desk, filtered')

      await Promise.all([page.waitForNavigation(),
        page.locator('#section-investigations a', { hasText: 'View investigation' }).click()])
      assert.match(await page.locator('h1').textContent(), /Investigation \d+/)
      assert.match(await page.content(), /Called out at night/)
      await expectNoAxeViolations(page, 'investigation')
      await submit(page, 'Move to in review')
      assert.match(await page.locator('.govuk-notification-banner').textContent(),
        /Investigation updated/)
      await submit(page, 'Conclude the investigation')
      assert.match(await page.locator('.govuk-error-summary').textContent(), /finding/i)
      await expectNoAxeViolations(page, 'conclude without a finding')
      await page.getByLabel('Justified', { exact: true }).check()
      await submit(page, 'Conclude the investigation')
      await page.locator('#note').fill('Spoke to the duty officer; the use was justified.')
      await submit(page, 'Add note')
      const timeline = await page.locator('.cp-timeline').textContent()
      assert.match(timeline, /Concluded: Justified/)
      assert.match(timeline, /Spoke to the duty officer/)
      assert.match(timeline, /morgan\.manager/)
      await expectNoAxeViolations(page, 'concluded investigation')

      await page.goto(`${server.baseUrl}/notifications`)
      assert.match(await page.locator('#notification-count').textContent(), /[1-9]\d* notification/)
      assert.match(await page.content(), /Break Glass was used/)
      await expectNoAxeViolations(page, 'notifications')
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })

test('brokering: asked, contacted, declined, and the signed reasons', { timeout: 300_000 },
  async () => {
    const server = await startServer()
    const sessions = []
    const signedIn = async (username) => {
      const session = await openBrowser()
      sessions.push(session)
      const account = findAccount(server.accounts, username, (a) => a.username === username)
      await signIn(session.page, server.baseUrl, account)
      return { session, page: session.page }
    }
    try {
      const pat = await signedIn('pat.teacher')
      let page = pat.page
      const uin = await openRuby(page, server.baseUrl)
      await Promise.all([page.waitForNavigation(),
        page.locator(`a[href="/children/${uin}/brokering"]`).click()])
      assert.equal((await page.locator('h1').textContent()).trim(), 'Request brokering')
      await expectNoAxeViolations(page, 'brokering form')
      await submit(page, 'Send request')
      assert.match(await page.locator('.govuk-error-summary').textContent(), /reason/i)
      await expectNoAxeViolations(page, 'brokering form with errors')
      await page.locator('#reason').fill('Ruby has joined my class; I need to talk to her social worker.')
      await submit(page, 'Send request')
      const requestPath = new URL(page.url()).pathname
      assert.match(requestPath, /^\/brokering\/\d+$/)
      const id = requestPath.split('/')[2]
      assert.match(await page.locator('.govuk-notification-banner').textContent(),
        /Brokering request sent/)
      await expectNothingHidden(page, 'requester page')
      await expectNoPageProblems(pat.session, 'brokering request')
      await expectNoAxeViolations(page, 'brokering request')

      // Management: the request on the desk, with the full record and the listed practitioner.
      const morgan = await signedIn('morgan.manager')
      page = morgan.page
      await page.goto(`${server.baseUrl}/management?section=brokering`)
      assert.equal(await page.locator('#section-brokering tbody tr', { hasText: uin }).count(), 1)
      await page.goto(`${server.baseUrl}/management/brokering/${id}`)
      assert.match(await page.content(), /Willow Court/)  // The full record.
      await expectNoAxeViolations(page, 'management brokering page')
      await page.getByLabel(/Sally Ward/).check()
      await submit(page, 'Record contact')
      assert.match(await page.locator('.govuk-notification-banner').textContent(),
        /Contact recorded/)
      // Sally is not a user: management records her decision.
      await page.getByLabel('Decline', { exact: true }).check()
      await submit(page, 'Record the decision')
      assert.match(await page.locator('.govuk-summary-list').first().textContent(), /Declined/)
      await expectNoAxeViolations(page, 'management brokering page, declined')

      // The requester is told, and signs the reasons. Nothing shielded is shown.
      page = pat.page
      await page.goto(`${server.baseUrl}/brokering`)
      assert.equal(await page.locator(`a[href="/brokering/${id}"]`).count(), 1)
      await expectNoAxeViolations(page, 'brokering inbox')
      await page.goto(`${server.baseUrl}/brokering/${id}`)
      await expectNothingHidden(page, 'declined request')
      assert.match(await page.locator('.cp-timeline').textContent(),
        /contacted a practitioner working with the child/)
      await submit(page, 'Sign and record the reasons')
      assert.match(await page.locator('.govuk-error-summary').textContent(), /reasons/i)
      await expectNoAxeViolations(page, 'acknowledge with errors')
      await page.locator('#reasons').fill('The social worker will contact the school herself.')
      await page.locator('#confirm').check()
      await submit(page, 'Sign and record the reasons')
      const summary = await page.locator('.govuk-summary-list').first().textContent()
      assert.match(summary, /Signed by pat\.teacher on \d+ \w+ \d{4} at \d\d:\d\d UTC/)
      assert.match(await page.locator('.cp-timeline').textContent(),
        /Reasons for declining recorded and signed/)
      await expectNothingHidden(page, 'signed request')
      await expectNoAxeViolations(page, 'signed request')
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })
