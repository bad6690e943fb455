import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TOKEN } from '../../src/chain/chain.js'
import { formatTokens, parseTokens } from '../../src/chain/tokens.js'

test('token amounts parse exactly and print back the same', () => {
  assert.equal(parseTokens('200'), 200n * TOKEN)
  assert.equal(parseTokens('0.5'), TOKEN / 2n)
  assert.equal(parseTokens(' 1.000000000000000001 '), TOKEN + 1n)
  for (const text of ['200', '0.5', '1.000000000000000001', '0']) assert.equal(formatTokens(parseTokens(text)), text)
  assert.equal(formatTokens(-3n * TOKEN / 2n), '-1.5')
})

test('anything else is refused, naming what was wrong', () => {
  for (const bad of ['', '-1', '1e3', 'ten', '1.2.3', '0.0000000000000000001', '.5']) {
    assert.throws(() => parseTokens(bad, '--stake'), (err: Error & { code?: string }) => err.code === 'USAGE' && err.message.includes('--stake'))
  }
})
