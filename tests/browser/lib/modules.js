'use strict'
// Resolves the npm packages installed in web/node_modules (scripts/install-web-deps), so the
// tests need no node_modules of their own.
const path = require('node:path')
const { createRequire } = require('node:module')

const repoRoot = path.resolve(__dirname, '..', '..', '..')
const webRequire = createRequire(path.join(repoRoot, 'web', 'package.json'))

module.exports = { repoRoot, webRequire }
