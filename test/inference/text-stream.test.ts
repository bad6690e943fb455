import { test } from 'node:test'
import assert from 'node:assert/strict'
import { TextStream } from '../../src/inference/text-stream.js'

// A toy detokenizer: token n is the n-th piece; byte pieces join into UTF-8 characters.
const PIECES: Array<string | number[]> = ['hello', ' wor', 'ld', ' ST', 'OP', ' end', [0xe2], [0x82], [0xac], '!']
const detokenize = (tokens: number[], context: number[]): string => {
  const bytes = (ts: number[]): Buffer => Buffer.concat(ts.map((t) => {
    const p = PIECES[t]
    return typeof p === 'string' ? Buffer.from(p) : Buffer.from(p)
  }))
  const before = bytes(context).toString('utf8')
  return bytes([...context, ...tokens]).toString('utf8').slice(before.length)
}

function run(tokens: number[], stop: string[]): { chunks: string[]; stopped: boolean } {
  const stream = new TextStream(detokenize, stop, [])
  const chunks: string[] = []
  for (const t of tokens) {
    chunks.push(stream.push(t))
    if (stream.stopped) return { chunks, stopped: true }
  }
  chunks.push(stream.flush())
  return { chunks, stopped: false }
}

test('text streams token by token and a split UTF-8 character waits for its last byte', () => {
  const { chunks, stopped } = run([0, 1, 6, 7, 8, 9], [])
  assert.deepEqual(chunks, ['hello', ' wor', '', '', '€', '!', ''])
  assert.equal(stopped, false)
})

test('a stop sequence across tokens ends the text before it; a false start is released', () => {
  assert.deepEqual(run([0, 1, 2, 3, 4, 5], [' STOP']), { chunks: ['hello', ' wor', 'ld', '', ''], stopped: true })
  // " ST" could begin " STOP" but " end" follows: it is released with it.
  assert.deepEqual(run([0, 3, 5], [' STOP']).chunks, ['hello', '', ' ST end', ''])
  // The earliest of several stop sequences wins, even inside one piece.
  assert.deepEqual(run([0, 1, 2], ['wor', 'ld']), { chunks: ['hello', ' '], stopped: true })
})
