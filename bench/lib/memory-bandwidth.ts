// Memory read bandwidth of this machine, as the engine's threads see it: each of N worker
// threads scans its share of a buffer much larger than the caches with Buffer.indexOf for a
// byte the buffer does not hold (glibc memchr: SIMD loads, no writes), all starting together.
// The figure is the best of several passes: bytes read ÷ time from start to the last finish.
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads'

interface Job { buffer: SharedArrayBuffer; start: number; end: number; passes: number; go: SharedArrayBuffer }

export interface Bandwidth { threads: number; bytesPerSecond: number; bufferBytes: number; passes: number }

export async function measureReadBandwidth(threads: number, bufferBytes = 1 << 30, passes = 5): Promise<Bandwidth> {
  const buffer = new SharedArrayBuffer(bufferBytes)
  new Uint8Array(buffer).fill(1) // touch every page, so the scans read real memory
  const share = Math.floor(bufferBytes / threads / 64) * 64
  const go = new SharedArrayBuffer(4 * (passes + 1))
  const workers = Array.from({ length: threads }, (_, i) => new Worker(new URL(import.meta.url), {
    workerData: { buffer, start: i * share, end: i === threads - 1 ? bufferBytes : (i + 1) * share, passes, go } satisfies Job,
  }))
  try {
    const ready = workers.map((w) => new Promise((resolve, reject) => {
      w.once('message', resolve)
      w.once('error', reject)
    }))
    await Promise.all(ready)
    const flags = new Int32Array(go)
    let best = 0
    for (let pass = 0; pass < passes; pass++) {
      const done = workers.map((w) => new Promise((resolve) => w.once('message', resolve)))
      const started = performance.now()
      Atomics.store(flags, pass, 1)
      Atomics.notify(flags, pass)
      await Promise.all(done)
      best = Math.max(best, bufferBytes / ((performance.now() - started) / 1000))
    }
    return { threads, bytesPerSecond: best, bufferBytes, passes }
  } finally {
    await Promise.all(workers.map((w) => w.terminate()))
  }
}

if (!isMainThread && parentPort !== null) {
  const job = workerData as Job
  const view = Buffer.from(job.buffer, job.start, job.end - job.start)
  const flags = new Int32Array(job.go)
  parentPort.postMessage('ready')
  for (let pass = 0; pass < job.passes; pass++) {
    Atomics.wait(flags, pass, 0)
    if (view.indexOf(0) !== -1) throw new Error('the scanned buffer holds a zero byte')
    parentPort.postMessage('done')
  }
}
