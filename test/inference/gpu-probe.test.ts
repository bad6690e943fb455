import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { InferenceError } from '../../src/inference/errors.js'
import { chooseDevice, probeDevice } from '../../src/inference/gpu-probe.js'

const FIX = /npx node-llama-cpp source build --gpu cuda/

/**
 * Test double of a GPU backend that does not fit the driver: it loads the real (CPU) runtime and a
 * model, then aborts the process natively at the first decode, as node-llama-cpp's prebuilt CUDA
 * binary does on a driver older than its toolkit. No GPU runs here, so the crash is staged.
 */
async function abortingBackend(): Promise<string> {
  const runtime = new URL('../../src/inference/llama-runtime.js', import.meta.url).href
  const models = new URL('../../src/inference/gguf/test-model-file.js', import.meta.url).href
  const file = join(await mkdtemp(join(tmpdir(), 'mesh-probe-')), 'aborting-backend.mjs')
  await writeFile(file, `
    const { acquireLlamaRuntime } = await import(${JSON.stringify(runtime)})
    const { testModelFile } = await import(${JSON.stringify(models)})
    const { llama } = await acquireLlamaRuntime('cpu')
    await llama.loadModel({ modelPath: testModelFile() })
    process.stderr.write('CUDA error: the provided PTX was compiled with an unsupported toolchain.\\n')
    process.abort()`)
  return file
}

test('a GPU backend that aborts at its first decode: the check survives it, auto falls back to the CPU naming cause and fix, --device cuda is refused', async () => {
  const childScript = await abortingBackend()
  const result = await probeDevice('cuda', { childScript })
  assert.equal(result.ok, false)
  assert.match(!result.ok ? result.cause : '', /crashed \(SIGABRT\).*unsupported toolchain/)
  const probe = (device: Parameters<typeof probeDevice>[0]) => probeDevice(device, { childScript })
  const auto = await chooseDevice('auto', probe)
  assert.equal(auto.device, 'cpu')
  assert.equal(auto.fellBack, true)
  assert.match(auto.message, /failed its check \(.*SIGABRT.*\): running on the CPU/)
  assert.match(auto.message, FIX)
  await assert.rejects(chooseDevice('cuda', probe), (err: unknown) =>
    err instanceof InferenceError && err.code === 'DEVICE_UNAVAILABLE' && /the cuda backend failed its check: .*SIGABRT/.test(err.message) &&
    FIX.test(err.fix ?? ''))
})

test('a check that hangs is cut off and counts as a failure', async () => {
  const file = join(await mkdtemp(join(tmpdir(), 'mesh-probe-')), 'hanging-backend.mjs')
  await writeFile(file, 'setInterval(() => {}, 1000)')
  const result = await probeDevice('cuda', { childScript: file, timeoutMs: 1000 })
  assert.deepEqual(result, { ok: false, cause: 'it did not decode a token within 1 s' })
})

test('the real check: --device cpu is not probed, auto names what it chose, cuda without a working CUDA backend is refused', async (t) => {
  assert.deepEqual(await chooseDevice('cpu', () => assert.fail('cpu is not probed')), { device: 'cpu', message: 'running on the CPU (--device cpu)', fellBack: false })
  const auto = await chooseDevice('auto')
  assert.match(auto.message, auto.device === 'cpu' ? /running on the CPU/ : /running on the GPU: /)
  const cuda = await probeDevice('cuda')
  if (cuda.ok) {
    t.skip(`this machine has a working CUDA backend (${cuda.gpu ?? 'a GPU'}): the refusal is covered by the aborting backend above`)
    return
  }
  await assert.rejects(chooseDevice('cuda'), (err: unknown) =>
    err instanceof InferenceError && err.code === 'DEVICE_UNAVAILABLE' && /the cuda backend failed its check/.test(err.message) && FIX.test(err.fix ?? ''))
})
