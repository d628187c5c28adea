'use strict'
// RFC 4648 base32 and RFC 6238 TOTP (HMAC-SHA-1, 6 digits, 30-second steps), for signing in
// as the demo accounts.
const crypto = require('node:crypto')

const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567'

// Decodes base32 text; spaces, hyphens and '=' padding are ignored, case is not significant.
function base32Decode (text) {
  const clean = text.toUpperCase().replace(/[\s=-]/g, '')
  let bits = 0
  let value = 0
  const out = []
  for (const ch of clean) {
    const idx = ALPHABET.indexOf(ch)
    if (idx < 0) throw new Error(`not base32: ${JSON.stringify(ch)}`)
    value = (value << 5) | idx
    bits += 5
    if (bits >= 8) {
      out.push((value >>> (bits - 8)) & 0xff)
      bits -= 8
    }
  }
  return Buffer.from(out)
}

function hotp (key, counter, digits = 6) {
  const msg = Buffer.alloc(8)
  msg.writeBigUInt64BE(BigInt(counter))
  const mac = crypto.createHmac('sha1', key).update(msg).digest()
  const offset = mac[mac.length - 1] & 0x0f
  const binary = (mac.readUInt32BE(offset) & 0x7fffffff) % 10 ** digits
  return String(binary).padStart(digits, '0')
}

const PERIOD_SECONDS = 30

function totpStep (timeMs = Date.now()) {
  return Math.floor(timeMs / 1000 / PERIOD_SECONDS)
}

function totp (key, timeMs = Date.now(), digits = 6) {
  return hotp(key, totpStep(timeMs), digits)
}

// Hands out codes that the server will accept: each code is for a time step newer than the
// last one used for that key (the server rejects replays) and within one step of now (the
// server's window), waiting for the clock when both cannot hold.
class CodeSource {
  constructor () {
    this.lastStep = new Map()
  }

  async next (base32Secret) {
    const key = base32Decode(base32Secret)
    for (;;) {
      const now = totpStep()
      const last = this.lastStep.get(base32Secret) ?? -Infinity
      const step = Math.max(now, last + 1)
      if (step <= now + 1) {
        this.lastStep.set(base32Secret, step)
        return hotp(key, step)
      }
      const wait = (now + 1) * PERIOD_SECONDS * 1000 - Date.now() + 250
      await new Promise((resolve) => setTimeout(resolve, wait))
    }
  }
}

module.exports = { base32Decode, hotp, totp, totpStep, CodeSource, PERIOD_SECONDS }
