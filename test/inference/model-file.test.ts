import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { copyFile, mkdtemp, readdir, readFile, utimes, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { writeGguf } from '../../src/inference/gguf/container.js'
import { describeTestModel } from '../../src/inference/gguf/llama-model.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { openLlamaEngine } from '../../src/inference/llama-engine.js'
import { inspectModelFile, modelId } from '../../src/inference/model-file.js'

test('inspectModelFile reads the architecture, name and dimensions', async () => {
  const info = await inspectModelFile(testModelFile({ quant: 'q4_0' }))
  assert.deepEqual({ ...info, path: undefined, sizeBytes: undefined, challengeVocabulary: undefined }, {
    path: undefined, sizeBytes: undefined, challengeVocabulary: undefined, architecture: 'llama', name: 'mesh-test-tiny-q4_0-seed1', nEmbd: 64, nVocab: 618, contextLength: 1024,
  })
})

test("the challenge vocabulary is read from the file's token types (validators load no engine), the same as the engine's", async () => {
  const path = testModelFile({ quant: 'q8_0' })
  const { challengeVocabulary } = await inspectModelFile(path)
  // 618 tokens: <unk>, <s>, </s>, 256 byte tokens, the text pieces, 3 user-defined chat markers.
  assert.equal(challengeVocabulary.length, 618 - 3 - 3)
  assert.deepEqual(challengeVocabulary, Array.from({ length: 612 }, (_, i) => i + 3))
  const engine = await openLlamaEngine({ model: path, threads: 1, parallel: 1 })
  try {
    assert.deepEqual(engine.challengeVocabulary(), challengeVocabulary)
  } finally {
    await engine.close()
  }
})

test('a model file without token types is refused with a clear error', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-no-types-'))
  const model = describeTestModel({ quant: 'q4_0' })
  const path = join(dir, 'no-types.gguf')
  writeGguf(path, { ...model, metadata: model.metadata.filter(([key]) => key !== 'tokenizer.ggml.token_type') })
  await assert.rejects(inspectModelFile(path), (err: Error & { code?: string }) =>
    err.code === 'MODEL_NO_TOKEN_TYPES' && /no tokenizer.ggml.token_type/.test(err.message) && /convert the model again/.test(err.message))
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
