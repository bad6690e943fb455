import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { inspectModelFile, modelId } from '../../src/inference/model-file.js'

test('inspectModelFile reads the architecture, name and dimensions', async () => {
  const info = await inspectModelFile(testModelFile({ quant: 'q4_0' }))
  assert.deepEqual({ ...info, path: undefined, sizeBytes: undefined }, {
    path: undefined, sizeBytes: undefined, architecture: 'llama', name: 'mesh-test-tiny-q4_0-seed1', nEmbd: 64, nVocab: 618, contextLength: 1024,
  })
})

test('the model id is the sha256, hashed once per version of the file', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-model-id-'))
  const model = join(dir, 'model.gguf')
  await copyFile(testModelFile({ quant: 'q4_0' }), model)
  const sha = createHash('sha256').update(await readFile(model)).digest('hex')
  const cache = join(dir, 'cache')
  assert.equal(await modelId(model, cache), sha)
  // The kept id is what a second call returns: show it by changing it.
  const [kept] = await readdir(join(cache, 'ids'))
  await writeFile(join(cache, 'ids', kept), 'f'.repeat(64))
  assert.equal(await modelId(model, cache), 'f'.repeat(64))
  // A new version of the file (here: a new modification time) is hashed again.
  await utimes(model, new Date(), new Date(Date.now() + 5000))
  assert.equal(await modelId(model, cache), sha)
})
