'use strict'
// A tiny static file server for the rendered sample pages (pages/*.html) and the built assets
// (/assets/*), sending the Content-Security-Policy the real server sends. Also answers
// POST /api/v1/session/extend with 204 when the X-CSRF-Token header is present, so the
// idle-timeout dialog can be exercised without the real server. Listens on 127.0.0.1 only.
const fs = require('node:fs')
const http = require('node:http')
const path = require('node:path')

const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self'; " +
  "object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'"

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.map': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2'
}

function serveFile (res, root, rel) {
  const file = path.resolve(root, '.' + path.posix.normalize('/' + rel))
  if (!file.startsWith(path.resolve(root) + path.sep) || !fs.existsSync(file) ||
      !fs.statSync(file).isFile()) {
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Security-Policy': CSP })
    res.end('not found')
    return
  }
  res.writeHead(200, {
    'Content-Type': TYPES[path.extname(file)] || 'application/octet-stream',
    'Content-Security-Policy': CSP,
    'X-Content-Type-Options': 'nosniff',
    'Cache-Control': 'no-store'
  })
  fs.createReadStream(file).pipe(res)
}

// Serves `pagesDir` at /pages/ and `assetsDir` at /assets/. Returns { baseUrl, extendCalls, close }.
async function startStaticServer ({ pagesDir, assetsDir }) {
  const extendCalls = []
  const server = http.createServer((req, res) => {
    const url = new URL(req.url, 'http://localhost')
    if (req.method === 'POST' && url.pathname === '/api/v1/session/extend') {
      extendCalls.push({ csrf: req.headers['x-csrf-token'] })
      res.writeHead(req.headers['x-csrf-token'] ? 204 : 403)
      res.end()
      return
    }
    if (url.pathname.startsWith('/assets/')) return serveFile(res, assetsDir, url.pathname.slice(8))
    if (url.pathname.startsWith('/pages/')) return serveFile(res, pagesDir, url.pathname.slice(7))
    res.writeHead(404, { 'Content-Type': 'text/plain', 'Content-Security-Policy': CSP })
    res.end('not found')
  })
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve))
  const { port } = server.address()
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    extendCalls,
    close: () => new Promise((resolve) => server.close(resolve))
  }
}

module.exports = { startStaticServer, CSP }
