'use strict'
// Starts the real ContactPoint server in demo mode for a test file:
//   ${CP_BIN:-build-asan/bin/contactpoint} demo --data <fresh tmpdir> --port <free port>
// (plus `--assets $CP_ASSETS_DIR` when that is set), waits for GET /healthz to answer 200,
// and reads <data>/demo-accounts.json: an array of
//   { username, password, totp_secret (base32; "" = not yet enrolled), roles, organisation,
//     display_name (optional) }.
const fs = require('node:fs')
const net = require('node:net')
const os = require('node:os')
const path = require('node:path')
const { spawn } = require('node:child_process')
const { repoRoot } = require('./modules')

function serverBinary () {
  const bin = process.env.CP_BIN || 'build-asan/bin/contactpoint'
  return path.isAbsolute(bin) ? bin : path.join(repoRoot, bin)
}

function freePort () {
  return new Promise((resolve, reject) => {
    const srv = net.createServer()
    srv.unref()
    srv.on('error', reject)
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address()
      srv.close(() => resolve(port))
    })
  })
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// `env`: extra environment for the server (e.g. CP_SESSION_IDLE_SECONDS).
// Returns { baseUrl, dataDir, accounts, output(), stop() }.
async function startServer ({ env = {}, timeoutMs = 60_000 } = {}) {
  const bin = serverBinary()
  if (!fs.existsSync(bin)) {
    throw new Error(`ContactPoint server binary not found at ${bin}: build it or set CP_BIN`)
  }
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'cp-demo-'))
  const port = await freePort()
  const args = ['demo', '--data', dataDir, '--port', String(port)]
  if (process.env.CP_ASSETS_DIR) args.push('--assets', process.env.CP_ASSETS_DIR)
  const child = spawn(bin, args, {
    cwd: repoRoot,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const lines = []
  const keep = (chunk) => {
    lines.push(...chunk.toString('utf8').split('\n').filter(Boolean))
    if (lines.length > 200) lines.splice(0, lines.length - 200)
  }
  child.stdout.on('data', keep)
  child.stderr.on('data', keep)
  let exited = null
  const exitPromise = new Promise((resolve) => child.on('exit', (code, signal) => {
    exited = { code, signal }
    resolve(exited)
  }))
  const output = () => lines.join('\n')
  const scheme = process.env.CP_SERVER_SCHEME || 'http'
  const baseUrl = `${scheme}://127.0.0.1:${port}`

  const stop = async () => {
    if (!exited) {
      child.kill('SIGTERM')
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000)
      await exitPromise
      clearTimeout(timer)
    }
    fs.rmSync(dataDir, { recursive: true, force: true })
  }

  const deadline = Date.now() + timeoutMs
  for (;;) {
    if (exited) {
      await stop()
      throw new Error(`server exited (${JSON.stringify(exited)}) before it was healthy:\n${output()}`)
    }
    try {
      const res = await fetch(`${baseUrl}/healthz`)
      if (res.status === 200) break
    } catch {
      // Not listening yet.
    }
    if (Date.now() > deadline) {
      await stop()
      throw new Error(`server not healthy after ${timeoutMs} ms:\n${output()}`)
    }
    await sleep(200)
  }

  let accounts
  try {
    accounts = JSON.parse(fs.readFileSync(path.join(dataDir, 'demo-accounts.json'), 'utf8'))
  } catch (err) {
    await stop()
    throw new Error(`cannot read ${dataDir}/demo-accounts.json: ${err.message}`)
  }
  return { baseUrl, dataDir, accounts, output, stop }
}

// The first account matching `predicate`, or a clear failure.
function findAccount (accounts, description, predicate) {
  const account = accounts.find(predicate)
  if (!account) {
    throw new Error(`demo-accounts.json has no ${description}: ` +
      JSON.stringify(accounts.map((a) => ({ username: a.username, roles: a.roles }))))
  }
  return account
}

const isEnrolled = (a) => typeof a.totp_secret === 'string' && a.totp_secret.length > 0
const hasRole = (a, role) => Array.isArray(a.roles) && a.roles.includes(role)

module.exports = { startServer, findAccount, isEnrolled, hasRole, serverBinary }
