// The child of gpu-probe.ts: `node gpu-probe-child.js <device>` loads a tiny generated model with
// every layer on the device, decodes one token, and prints one JSON line: the backend and GPU that
// ran, or {"error": …}. A backend that aborts natively kills only this process.
import '../polyfill.js'
import { testModelFile } from './gguf/test-model-file.js'
import { acquireLlamaRuntime, type Device } from './llama-runtime.js'

const device = (process.argv[2] ?? 'auto') as Device
try {
  const { llama, release } = await acquireLlamaRuntime(device)
  // Flash attention as the engine uses it on a GPU, so the check runs the same kernels.
  const model = await llama.loadModel({ modelPath: testModelFile(), gpuLayers: llama.gpu === false ? 0 : 'max', defaultContextFlashAttention: llama.gpu !== false })
  const context = await model.createContext({ contextSize: 64, sequences: 1 })
  const evaluation = context.getSequence().evaluate(model.tokenize('hello'), { temperature: 0 })
  const token = await evaluation.next()
  await evaluation.return()
  if (token.done === true) throw new Error('the backend decoded no token')
  const report = llama.gpu === false
    ? { device: 'cpu' }
    : { device: llama.gpu, gpu: (await llama.getGpuDeviceNames()).join(', '), freeVramBytes: (await llama.getVramState()).free }
  await model.dispose()
  await release()
  process.stdout.write(`${JSON.stringify(report)}\n`)
} catch (err) {
  process.stdout.write(`${JSON.stringify({ error: err instanceof Error ? err.message : String(err) })}\n`)
  process.exitCode = 1
}
