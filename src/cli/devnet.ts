// `mesh devnet`: a whole local subnet in one command, on the embedded defaults.
import { join } from 'node:path'
import { Command } from 'commander'
import { checkEpochLength } from '../dht/keys.js'
import { MeshError } from '../errors.js'
import { testModelFile } from '../inference/gguf/test-model-file.js'
import { Devnet, type EpochLine } from '../node/devnet.js'

interface DevnetFlags {
  model?: string
  hosters: string
  validators: string
  epochs?: string
  blockTime: string
  epochLength: string
  port: string
  dir: string
}

function count(value: string, flag: string, min: number): number {
  const n = Number(value)
  if (!Number.isSafeInteger(n) || n < min) throw new MeshError('USAGE', `${flag} must be an integer ≥ ${min}, got ${JSON.stringify(value)}`)
  return n
}

function formatLine(line: EpochLine): string {
  const ratio = line.attestationRatio === null ? '–' : `${(100 * line.attestationRatio).toFixed(0)}%`
  return `epoch ${line.epoch}: challenge ${line.challenge ? 'yes' : 'NO'} · reveals ${line.reveals}/${line.hosters} · ` +
    `scores ${line.proposed ? 'proposed' : 'NOT proposed'} · attestation ${ratio}`
}

/** An epoch counts when its scores were proposed and attested by at least 66% of the validators. */
function epochOk(line: EpochLine): boolean {
  return line.proposed && line.attestationRatio !== null && line.attestationRatio >= 0.66
}

export function devnetCommand(): Command {
  return new Command('devnet')
    .description('run a whole local subnet: a local chain, hosters and validators (each a process) and the API with the dashboard')
    .option('--model <file>', 'a GGUF model for the hosters (default: a generated tiny random-weight model)')
    .option('--hosters <n>', 'hoster processes', '3')
    .option('--validators <n>', 'validator processes', '1')
    .option('--epochs <n>', 'stop after n full epochs; exit 0 only if each was proposed and attested above 66%')
    .option('--block-time <seconds>', 'seconds between blocks', '1')
    .option('--epoch-length <blocks>', 'blocks an epoch', '20')
    .option('--port <port>', 'port of the OpenAI API and the dashboard', '8000')
    .option('--dir <dir>', 'where the devnet keeps its keys and model', join('.mesh', 'devnet'))
    .action(async (flags: DevnetFlags) => {
      const print = (line: string): void => { process.stdout.write(`${line}\n`) }
      const hosters = count(flags.hosters, '--hosters', 1)
      const validators = count(flags.validators, '--validators', 0)
      if (hosters + validators < 3) throw new MeshError('USAGE', 'a subnet needs at least 3 nodes', { fix: 'raise --hosters or --validators' })
      const epochs = flags.epochs === undefined ? undefined : count(flags.epochs, '--epochs', 1)
      const model = flags.model ?? testModelFile({ dir: flags.dir, quant: 'q8_0' })
      const epochLength = count(flags.epochLength, '--epoch-length', 1)
      checkEpochLength(epochLength)
      const devnet = new Devnet({
        dir: flags.dir, model, hosters, validators, print,
        blockTimeSeconds: Number(flags.blockTime), epochLength, apiPort: count(flags.port, '--port', 0),
      })
      let stopping = false
      const stop = async (code: number): Promise<never> => {
        if (!stopping) {
          stopping = true
          print('stopping the devnet…')
          await devnet.stop()
        }
        process.exit(code)
      }
      process.once('SIGINT', () => void stop(130))
      process.once('SIGTERM', () => void stop(143))
      try {
        await devnet.start()
      } catch (err) {
        await devnet.stop()
        throw err
      }
      print(devnet.describe())
      print('one line an epoch follows (Ctrl-C stops everything)')
      // An epoch's line is printed once its scores' submission has had the next epoch to be attested.
      const first = (await devnet.epochInfo()).epoch + 1
      let next = first
      let failed = 0
      for (;;) {
        const { epoch } = await devnet.epochInfo()
        while (next + 1 < epoch) {
          const line = await devnet.epochLine(next)
          print(formatLine(line))
          if (!epochOk(line)) failed++
          next++
          if (epochs !== undefined && next - first >= epochs) await stop(failed === 0 ? 0 : 1)
        }
        await new Promise((resolve) => setTimeout(resolve, 1000))
      }
    })
}
