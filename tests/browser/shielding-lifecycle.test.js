'use strict'
// Against the real server (demo mode), the shielding lifecycle beyond the first shield
// (shielding.test.js): a shield withdrawn and management's final unshield, after which a
// practitioner sees the full record; a practitioner's request approved by their
// organisation's named person; a telephone request with its 7-working-day deadline, its
// sealed Appendix 4 form read back and a supporting document; "confirmation sent" on the
// log; an appeal and its outcome. Every new page is checked with axe.
// Routes and fields: src/web/shielding_pages.h.
const test = require('node:test')
const assert = require('node:assert/strict')
const { expectNoAxeViolations, expectNoPageProblems } = require('./lib/browser')
const { startServer } = require('./lib/server')
const { searchByName, openWithReason, signedIn } = require('./lib/directory-flows')

async function go (page, locator) {
  await Promise.all([page.waitForNavigation(), locator.click()])
}

async function heading (page) {
  return (await page.locator('h1').textContent()).trim()
}

async function banner (page) {
  return (await page.locator('.govuk-notification-banner').textContent()).replace(/\s+/g, ' ')
}

// A minimal valid PDF: the server checks the %PDF- signature.
const PDF = Buffer.from('%PDF-1.4\n1 0 obj << >> endobj\ntrailer << >>\n%%EOF\n')

test('withdraw and unshield, a named person approves, a telephone request with its form',
  { timeout: 600_000 }, async () => {
    const server = await startServer()
    const sessions = []
    const open = async (username) => {
      const s = await signedIn(server, username)
      sessions.push(s)
      return s
    }
    try {
      // (1) The named person shields Amelia, then withdraws her request.
      const sam = await open('sam.shielder')
      let page = sam.page
      await searchByName(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      const uin = new URL(page.url()).pathname.split('/')[2]
      await go(page, page.locator(`a[href="/children/${uin}/shield"]`))
      await page.getByLabel(/increased risk of significant harm/).check()
      await page.locator('#category').selectOption('domestic_violence')
      await go(page, page.getByRole('button', { name: 'Shield this record' }))
      assert.equal((await page.locator('.govuk-panel__title').textContent()).trim(),
        'Shield applied')

      await page.goto(`${server.baseUrl}/`)
      await go(page, page.getByRole('link', { name: 'Shield requests' }))
      assert.equal(await heading(page), 'Shield requests')
      await expectNoAxeViolations(page, 'shield requests')
      const withdrawLink = page.locator(`a[href^="/children/${uin}/shields/"][href$="/withdraw"]`)
      assert.equal(await withdrawLink.count(), 1)
      await go(page, withdrawLink)
      assert.equal(await heading(page), 'Withdraw your shield request')
      assert.match(await page.content(), /The record stays shielded after you withdraw/)
      await expectNoPageProblems(sam, 'withdraw page')
      await expectNoAxeViolations(page, 'withdraw page')
      await go(page, page.getByRole('button', { name: 'Withdraw this request' }))
      assert.equal(new URL(page.url()).pathname, '/shield-requests')
      assert.match(await banner(page), /Shield request withdrawn/)
      assert.match(await page.locator('table').textContent(), /Withdrawn/)

      // (2) Every request withdrawn: management's final decision unshields.
      const morgan = await open('morgan.manager')
      page = morgan.page
      await page.goto(`${server.baseUrl}/management/children/${uin}/review`)
      assert.match(await page.content(), /There are no active shield requests/)
      await go(page, page.getByRole('button', { name: 'Unshield this record' }))
      assert.equal(new URL(page.url()).pathname, '/management')
      assert.match(await banner(page), /Record unshielded/)

      // (3) A practitioner now sees the full record again.
      const pat = await open('pat.teacher')
      page = pat.page
      await searchByName(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      let html = await page.content()
      assert.equal(html.includes('This record is shielded'), false)
      assert.match(html, /Larch Avenue/)
      assert.match(html, /Who else is working/)

      // (4) A practitioner of the refuge asks; the refuge's named person approves.
      const kim = await open('kim.keyworker')
      page = kim.page
      await searchByName(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      await go(page, page.locator(`a[href="/children/${uin}/shield"]`))
      await page.getByLabel(/increased risk of significant harm/).check()
      await page.locator('#category').selectOption('refuge')
      await go(page, page.getByRole('button', { name: 'Send shield request' }))
      assert.equal((await page.locator('.govuk-panel__title').textContent()).trim(),
        'Shield request sent')
      assert.match(await page.content(), /named person/)
      await page.goto(`${server.baseUrl}/shield-requests`)
      assert.match(await page.locator('table').textContent(), /Awaiting a decision/)

      page = sam.page
      await page.goto(`${server.baseUrl}/shield-requests`)
      assert.match(await page.content(), /Requests awaiting your decision/)
      await expectNoAxeViolations(page, 'named person approvals')
      const approve = page.locator('form[action^="/shield-requests/"][action$="/approve"] button')
      assert.equal(await approve.count(), 1)
      await go(page, approve)
      assert.match(await banner(page), /Shield request approved/)
      assert.match(await page.content(), /No requests are waiting/)

      page = pat.page
      await searchByName(page, server.baseUrl, 'Amelia', 'Okafor')
      await openWithReason(page, 'Amelia Okafor')
      html = await page.content()
      assert.match(html, /This record is shielded/)
      assert.equal(html.includes('Larch Avenue'), false)

      // (5) Management records a telephone request (a further request on the shielded
      // record), with the form's deadline, the Appendix 4 form and a document.
      page = morgan.page
      await page.goto(`${server.baseUrl}/management/telephone-requests/new?uin=${uin}`)
      assert.equal(await heading(page), 'Record a telephone request')
      const due = (await page.locator('.govuk-inset-text').first().textContent())
        .match(/by ((?:Mon|Tues|Wednes|Thurs|Fri)day \d{1,2} \w+ \d{4})/)
      assert.ok(due, 'the form deadline is a working day')
      await expectNoPageProblems(morgan, 'telephone form')
      await expectNoAxeViolations(page, 'telephone form')
      await go(page, page.getByRole('button', { name: 'Record the request and shield' }))
      assert.match(await page.title(), /^Error: /)
      await expectNoAxeViolations(page, 'telephone form with errors')

      await page.getByLabel(/increased risk of significant harm/).check()
      await page.locator('#category').selectOption('domestic_violence')
      await page.locator('#requester_name').fill('Grace Okafor')
      await page.locator('#requester_contact').fill('07700 900412')
      await page.locator('#requester_relationship').fill('mother')
      await page.locator('#form_reference').fill('GO-2026-1')
      await page.locator('#form_surname').fill('Okafor')
      await page.locator('#form_known_as_surname').fill('Adebayo')
      await page.locator('#form_forenames').fill('Amelia Grace')
      await page.locator('#form_date_of_birth').fill('2015-04-03')
      await page.locator('#form_gender').fill('female')
      await page.locator('#form_addresses').fill('14 Larch Avenue, Northtown\n3 Birch Way, Southam')
      await page.locator('#form_service').fill('Northshire children\'s services')
      await page.locator('#form_caseworker').fill('Jo Case')
      await page.locator('#form_service_phone').fill('01632 960 001')
      await page.locator('#form_service_email').fill('jo.case@example.org')
      await page.locator('#form_office_decision').fill('Shield')
      await page.locator('#form_decided_by').fill('Morgan Ellery')
      await page.locator('#form_reviewer').fill('Morgan Ellery')
      await page.locator('#form_review_when').fill('Within 7 days')
      await go(page, page.getByRole('button', { name: 'Record the request and shield' }))
      assert.match(new URL(page.url()).pathname, /^\/management\/requests\/\d+$/)
      const requestPath = new URL(page.url()).pathname
      assert.match(await banner(page), /Telephone request recorded/)
      html = await page.content()
      assert.ok(html.includes(`Completed form due by ${due[1]}`), 'the same deadline')
      for (const text of ['GO-2026-1', 'Adebayo', 'Amelia Grace', '3 April 2015',
        '14 Larch Avenue, Northtown<br>3 Birch Way, Southam', 'Jo Case', 'jo.case@example.org',
        'Within 7 days', 'Grace Okafor', '07700 900412']) {
        assert.ok(html.includes(text), `the sealed form reads back "${text}"`)
      }
      await expectNoPageProblems(morgan, 'request detail')
      await expectNoAxeViolations(page, 'request detail')

      // A file of the wrong type is refused with the GOV.UK error; a PDF is kept.
      await page.locator('#document').setInputFiles(
        { name: 'notes.txt', mimeType: 'text/plain', buffer: Buffer.from('plain text') })
      await go(page, page.getByRole('button', { name: 'Upload' }))
      assert.match(await page.locator('.govuk-error-summary').textContent(), /PDF, PNG or JPEG/)
      await expectNoAxeViolations(page, 'upload refused')
      await page.locator('#document').setInputFiles(
        { name: 'request-form.pdf', mimeType: 'application/pdf', buffer: PDF })
      await go(page, page.getByRole('button', { name: 'Upload' }))
      assert.equal(new URL(page.url()).pathname, requestPath)
      assert.match(await banner(page), /Document added/)
      const download = page.locator(`a[href^="${requestPath}/documents/"]`)
      assert.equal(await download.count(), 1)
      const fetched = await page.request.get(server.baseUrl + await download.getAttribute('href'))
      assert.equal(fetched.status(), 200)
      assert.equal(fetched.headers()['content-type'], 'application/pdf')
      assert.deepEqual(Buffer.from(await fetched.body()), PDF)
      // Not for anyone outside management.
      const denied = await pat.page.request.get(server.baseUrl + await download.getAttribute('href'))
      assert.equal(denied.status(), 403)

      await go(page, page.getByRole('button', { name: /Mark the form as received/ }))
      assert.match(await banner(page), /Completed request form recorded as received/)
      assert.match(await page.content(), /Completed form received on/)

      // (6) The log: the confirmation went back to the requester.
      await page.goto(`${server.baseUrl}/management/shielding-log`)
      const marks = page.locator('form[action$="/confirmation-sent"] button')
      const before = await marks.count()
      assert.ok(before >= 1)
      await go(page, marks.first())
      assert.match(await banner(page), /Confirmation recorded as sent today/)
      assert.equal(await marks.count(), before - 1)
      await expectNoAxeViolations(page, 'shielding log with confirmation buttons')

      // (7) An appeal about the decision, and its outcome.
      await page.goto(`${server.baseUrl}/management/appeals`)
      await expectNoAxeViolations(page, 'appeals')
      await go(page, page.locator('a[href="/management/appeals/new"]'))
      await expectNoAxeViolations(page, 'new appeal')
      await page.locator('#uin').fill(uin)
      await page.locator('#appellant').fill('Mr Okafor, 07700 900999')
      await page.locator('#grounds').fill('Disputes the decision to shield')
      await go(page, page.getByRole('button', { name: 'Record the appeal' }))
      assert.match(new URL(page.url()).pathname, /^\/management\/appeals\/\d+$/)
      assert.match(await banner(page), /Appeal recorded/)
      await expectNoAxeViolations(page, 'appeal')
      await page.getByLabel('Not upheld').check()
      await page.locator('#notes').fill('The criteria are still met')
      await go(page, page.getByRole('button', { name: 'Record the outcome' }))
      assert.match(await banner(page), /Outcome of the appeal recorded/)
      assert.match(await page.content(), /The criteria are still met/)
      await expectNoAxeViolations(page, 'appeal decided')
    } finally {
      for (const s of sessions) await s.close()
      await server.stop()
    }
  })
