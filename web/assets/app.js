// ContactPoint's page script: an ES module loaded by every page as
//   <script type="module" src="/assets/app.js"></script>
// There is no inline script anywhere (Content-Security-Policy: script-src 'self'), so this
// module does what GOV.UK's template normally does inline, then starts the idle timer.
//
// Idle timeout (WCAG 2.2.1 Timing Adjustable): when the page has
//   <meta name="cp-session-idle-seconds" content="N">   the server's idle timeout
//   <meta name="cp-session-warn-seconds" content="W">   warn W seconds before it (default 120)
//   <meta name="cp-csrf-token" content="T">             the session's CSRF token
// and the layout's <dialog id="cp-timeout-dialog">, then N - W seconds after the last request
// the dialog opens as a modal with a live countdown. "Stay signed in" POSTs to
// /api/v1/session/extend (header X-CSRF-Token) and restarts the timer; at expiry the page
// goes to /sign-out?reason=timeout. Timing comes only from the meta tags (server config).
// Tabs share the time of the last request through localStorage, so working in one tab keeps
// the others from warning or signing out early.

import { initAll } from './govuk-frontend.min.js'

const EXTEND_URL = '/api/v1/session/extend'
const TIMEOUT_URL = '/sign-out?reason=timeout'
const ACTIVITY_KEY = 'cp-session-last-activity'

document.body.classList.add('js-enabled', 'govuk-frontend-supported')
initAll()
startIdleTimer()

// "You will be signed out in 2 minutes." — must match SignOutCountdownText in layout.cc.
export function countdownText (seconds) {
  const s = Math.max(0, Math.floor(seconds))
  const unit = (n, word) => `${n} ${word}${n === 1 ? '' : 's'}`
  const minutes = Math.floor(s / 60)
  const rest = s % 60
  let when
  if (minutes > 0) {
    when = unit(minutes, 'minute')
    if (rest > 0) when += ` and ${unit(rest, 'second')}`
  } else {
    when = unit(rest, 'second')
  }
  return `You will be signed out in ${when}.`
}

function metaContent (name) {
  const el = document.querySelector(`meta[name="${name}"]`)
  return el ? el.getAttribute('content') : null
}

function metaSeconds (name) {
  const text = metaContent(name)
  if (text === null || !/^\d+$/.test(text)) return null
  return Number.parseInt(text, 10)
}

function readSharedActivity () {
  try {
    const v = Number.parseInt(window.localStorage.getItem(ACTIVITY_KEY) ?? '', 10)
    return Number.isFinite(v) ? v : 0
  } catch {
    return 0 // Storage disabled: each tab keeps its own time.
  }
}

function writeSharedActivity (time) {
  try {
    window.localStorage.setItem(ACTIVITY_KEY, String(time))
  } catch {
    // Storage disabled: nothing to share.
  }
}

function startIdleTimer () {
  const idleSeconds = metaSeconds('cp-session-idle-seconds')
  const dialog = document.getElementById('cp-timeout-dialog')
  if (!idleSeconds || !dialog || typeof dialog.showModal !== 'function') return
  const warnSeconds = Math.min(metaSeconds('cp-session-warn-seconds') ?? 120, idleSeconds)
  const token = metaContent('cp-csrf-token') ?? ''
  const countdown = document.getElementById('cp-timeout-countdown')
  const live = document.getElementById('cp-timeout-live')
  const stay = document.getElementById('cp-timeout-stay')

  // The page load was a request to the server, so the session's idle clock restarted.
  let lastActivity = Date.now()
  writeSharedActivity(lastActivity)
  let returnFocusTo = null
  let extending = false
  let leaving = false

  const secondsLeft = () => {
    lastActivity = Math.max(lastActivity, readSharedActivity())
    return Math.ceil((lastActivity + idleSeconds * 1000 - Date.now()) / 1000)
  }

  const announce = (text) => {
    if (live) live.textContent = text
  }

  const open = () => {
    returnFocusTo = document.activeElement
    announce('')
    dialog.showModal()
    if (stay) stay.focus()
  }

  const close = () => {
    if (!dialog.open) return
    dialog.close()
    if (returnFocusTo && returnFocusTo.isConnected && typeof returnFocusTo.focus === 'function') {
      returnFocusTo.focus()
    }
    returnFocusTo = null
  }

  const signOut = () => {
    if (leaving) return
    leaving = true
    window.location.assign(TIMEOUT_URL)
  }

  const tick = () => {
    if (leaving) return
    const left = secondsLeft()
    if (left <= 0) {
      signOut()
      return
    }
    if (left > warnSeconds) {
      close() // Another tab kept the session alive.
      return
    }
    if (!dialog.open) open()
    const text = countdownText(left)
    if (countdown && countdown.textContent !== text) countdown.textContent = text
    // Screen readers hear the full text when the dialog opens (aria-describedby); after
    // that, only at a few moments rather than every second.
    if (left !== warnSeconds && (left % 60 === 0 || left === 30 || left === 10)) announce(text)
  }

  const extend = async () => {
    if (extending || leaving) return
    extending = true
    try {
      const response = await fetch(EXTEND_URL, {
        method: 'POST',
        headers: { 'X-CSRF-Token': token },
        credentials: 'same-origin'
      })
      if (response.status === 401) {
        signOut() // The session has already ended.
        return
      }
      if (!response.ok) throw new Error(`extend failed: ${response.status}`)
      lastActivity = Date.now()
      writeSharedActivity(lastActivity)
      close()
    } catch {
      announce('Sorry, we could not keep you signed in. Try again.')
    } finally {
      extending = false
    }
  }

  if (stay) stay.addEventListener('click', extend)
  // Escape would close the dialog silently; treat it as "Stay signed in".
  dialog.addEventListener('cancel', (event) => {
    event.preventDefault()
    extend()
  })
  window.addEventListener('storage', (event) => {
    if (event.key === ACTIVITY_KEY) tick()
  })
  document.addEventListener('visibilitychange', () => {
    if (document.visibilityState === 'visible') tick()
  })
  window.setInterval(tick, 1000)
  tick()
}
