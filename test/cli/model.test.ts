import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, readFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { runMesh } from '../helpers/cli.js'

test('model make-test writes the same model as the test helper, and says what it wrote', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-cli-model-'))
  const out = join(dir, 'tiny.gguf')
  const run = await runMesh(['model', 'make-test', '--out', out, '--quant', 'q4_0', '--seed', '9'])
  assert.equal(run.code, 0, run.stderr)
  assert.match(run.stdout, /tiny\.gguf {2}tiny q4_0 seed 9 {2}\d+ ms/)
  assert.equal(run.stderr, '')
  const expected = testModelFile({ dir, quant: 'q4_0', seed: 9 })
  assert.deepEqual(await readFile(out), await readFile(expected))
})

test('model make-test refuses bad options with a clear message', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-cli-model-'))
  const out = join(dir, 'x.gguf')
  const quant = await runMesh(['model', 'make-test', '--out', out, '--quant', 'q5_k'])
  assert.notEqual(quant.code, 0)
  assert.match(quant.stderr, /argument 'q5_k' is invalid. Allowed choices are f32, f16, q8_0, q4_0/)
  const seed = await runMesh(['model', 'make-test', '--out', out, '--seed', '1.5'])
  assert.equal(seed.code, 1)
  assert.match(seed.stderr, /--seed 1.5 is not an integer from 0 to 4294967295 \[USAGE\]/)
  const missing = await runMesh(['model', 'make-test'])
  assert.notEqual(missing.code, 0)
  assert.match(missing.stderr, /required option '--out <file>'/)
})
