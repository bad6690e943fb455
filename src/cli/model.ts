import { Command, Option } from 'commander'
import { MeshError } from '../errors.js'
import { TEST_MODEL_QUANTS, TEST_MODEL_SHAPES, type TestModelQuant, type TestModelShape, writeTestModel } from '../inference/gguf/llama-model.js'

interface MakeTestOptions { out: string; shape: TestModelShape; quant: TestModelQuant; seed: string }

export function modelCommand(): Command {
  const model = new Command('model').description('model files: make random-weight test models')
  model.addCommand(new Command('make-test')
    .description('write a random-weight Llama GGUF model (byte-identical for the same options) for tests, devnets and benchmarks')
    .requiredOption('--out <file>', 'the .gguf file to write')
    .addOption(new Option('--shape <shape>', 'tiny: 2 layers × 64 wide, for tests; tinyllama: TinyLlama 1.1B\'s shape, for benchmarks; llama8b: Llama 3 8B\'s layers (32,000-token vocabulary), for GPU benchmarks')
      .choices(TEST_MODEL_SHAPES).default('tiny'))
    .addOption(new Option('--quant <type>', 'encoding of the weight matrices').choices(TEST_MODEL_QUANTS).default('f32'))
    .option('--seed <n>', 'seed of the random weights (0 to 4294967295)', '1')
    .action((opts: MakeTestOptions) => {
      const seed = Number(opts.seed)
      if (!/^\d+$/.test(opts.seed) || seed > 0xffffffff) {
        throw new MeshError('USAGE', `--seed ${opts.seed} is not an integer from 0 to 4294967295`)
      }
      const started = performance.now()
      const progress = process.stderr.isTTY && opts.shape !== 'tiny'
      let shown = -1
      writeTestModel(opts.out, { shape: opts.shape, quant: opts.quant, seed }, ({ writtenBytes, totalBytes }) => {
        const percent = Math.floor((writtenBytes / totalBytes) * 100)
        if (percent === shown) return
        shown = percent
        const line = `writing ${opts.out}: ${percent}% of ${(totalBytes / 2 ** 20).toFixed(0)} MiB`
        if (progress) process.stderr.write(`\r${line}`)
        else if (opts.shape !== 'tiny' && percent % 10 === 0) process.stderr.write(`${line}\n`)
      })
      if (progress) process.stderr.write('\n')
      process.stdout.write(`${opts.out}  ${opts.shape} ${opts.quant} seed ${seed}  ${Math.round(performance.now() - started)} ms\n`)
    }))
  return model
}
