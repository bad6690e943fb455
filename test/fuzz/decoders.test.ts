// Every decoder on random and mutated input for a bounded time: each input is decoded or
// refused with a MeshError of the decoder's codes, quickly. The seed is printed; a failure
// names it (replay with MESH_FUZZ_SEED). `npm run test:soak` runs the same for minutes.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { fuzzSeed } from '../helpers/fuzz.js'
import { decoderTargets, fuzzDecoders } from './decoders.js'

test('every decoder decodes or refuses with its codes, never crashes or hangs', { timeout: 120_000 }, async (t) => {
  const seed = fuzzSeed()
  t.diagnostic(`seed ${seed}`)
  const outcomes = await fuzzDecoders(seed, { inputs: 3_000, ms: 3_000 })
  for (const [name, outcome] of Object.entries(outcomes)) {
    t.diagnostic(`${name}: ${outcome.inputs} inputs, ${outcome.accepted} accepted, refused ${JSON.stringify(outcome.refused)}`)
    assert.ok(outcome.inputs > 0)
  }
})

test('the valid inputs of every target decode, so that mutations start from the real format', async () => {
  for (const target of await decoderTargets()) {
    for (const bytes of target.valid) await target.decode(bytes)
  }
})
