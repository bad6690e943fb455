// `mesh devnet`: a whole local subnet in one command, on the embedded local chain or on the real
// Hypertensor runtime under chopsticks.
import { join } from 'node:path'
import { Command } from 'commander'
import { checkRawSpec } from '../chain/chopsticks.js'
import { formatTokens } from '../chain/tokens.js'
import { checkEpochLength } from '../dht/keys.js'
import { MeshError } from '../errors.js'
import { testModelFile } from '../inference/gguf/test-model-file.js'
import { Devnet, type EpochLine } from '../node/devnet.js'

interface DevnetFlags {
  model?: string
  hosters: string
  validators: string
  epochs?: string
  runtime: string
  spec?: string
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

const RUNTIMES = ['local', 'hypertensor'] as const

function seconds(value: string, flag: string): number {
  const n = Number(value)
  if (!Number.isFinite(n) || n <= 0) throw new MeshError('USAGE', `${flag} must be a number of seconds > 0, got ${JSON.stringify(value)}`)
  return n
}

/** The chain spec to run the real runtime from, or undefined for the local chain; checked before anything starts. */
function runtimeSpec(flags: DevnetFlags, epochLengthGiven: boolean): string | undefined {
  if (!(RUNTIMES as readonly string[]).includes(flags.runtime)) {
    throw new MeshError('USAGE', `unknown --runtime ${JSON.stringify(flags.runtime)}`, { fix: `pass --runtime ${RUNTIMES.join(' or --runtime ')}` })
  }
  if (flags.runtime === 'local') {
    if (flags.spec !== undefined) throw new MeshError('USAGE', '--spec is the real runtime\'s chain spec; the local chain takes none', { fix: 'add --runtime hypertensor, or drop --spec' })
    return undefined
  }
  if (flags.spec === undefined) {
    throw new MeshError('USAGE', '--runtime hypertensor needs --spec <raw chain spec>', { fix: 'pass --spec the raw chain spec to run, e.g. hoskinsonSpecRaw.json of the Hypertensor testnet' })
  }
  if (epochLengthGiven) throw new MeshError('USAGE', '--epoch-length is the local chain\'s; the runtime has its own epoch length', { fix: 'drop --epoch-length' })
  checkRawSpec(flags.spec)
  return flags.spec
}

function formatLine(line: EpochLine): string {
  const ratio = line.attestationRatio === null ? '–' : `${(100 * line.attestationRatio).toFixed(0)}%`
  const rewards = line.rewards === undefined ? ''
    : line.rewards === null || line.rewards.nodes.length === 0 ? ' · node rewards NONE'
      : ` · node rewards ${formatTokens(line.rewards.nodes.reduce((sum, n) => sum + n.amount, 0n))} to ${line.rewards.nodes.length} nodes`
  return `epoch ${line.epoch}: challenge ${line.challenge ? 'yes' : 'NO'} · reveals ${line.reveals}/${line.hosters} · ` +
    `scores ${line.proposed ? 'proposed' : 'NOT proposed'} · attestation ${ratio}${rewards}`
}

/**
 * An epoch counts when its scores were proposed and attested by at least 66% of the validators,
 * and, where the chain keeps a record of rewards, its nodes were paid.
 */
function epochOk(line: EpochLine): boolean {
  return line.proposed && line.attestationRatio !== null && line.attestationRatio >= 0.66 &&
    (line.rewards === undefined || (line.rewards !== null && line.rewards.nodes.length > 0))
}

export function devnetCommand(): Command {
  return new Command('devnet')
    .description('run a whole subnet on this machine: a chain (the local one, or the real Hypertensor runtime under chopsticks), hosters and validators (each a process) and the API with the dashboard')
    .option('--model <file>', 'a GGUF model for the hosters (default: a generated tiny random-weight model)')
    .option('--hosters <n>', 'hoster processes', '3')
    .option('--validators <n>', 'validator processes', '1')
    .option('--epochs <n>', 'stop after n full epochs; exit 0 only if each was proposed and attested above 66% (and, on the runtime, its nodes were paid)')
    .option('--runtime <runtime>', 'the chain: local (the embedded local chain) or hypertensor (the real runtime from --spec, under chopsticks)', 'local')
    .option('--spec <file>', 'the raw chain spec the hypertensor runtime starts from (e.g. the testnet\'s hoskinsonSpecRaw.json)')
    .option('--block-time <seconds>', 'seconds between blocks', '1')
    .option('--epoch-length <blocks>', 'blocks an epoch (local chain only: the runtime has its own)', '20')
    .option('--port <port>', 'port of the OpenAI API and the dashboard', '8000')
    .option('--dir <dir>', 'where the devnet keeps its keys and model', join('.mesh', 'devnet'))
    .action(async (flags: DevnetFlags, command: Command) => {
      const print = (line: string): void => { process.stdout.write(`${line}\n`) }
      const spec = runtimeSpec(flags, command.getOptionValueSource('epochLength') === 'cli')
      const blockTimeSeconds = seconds(flags.blockTime, '--block-time')
      const hosters = count(flags.hosters, '--hosters', 1)
      const validators = count(flags.validators, '--validators', 0)
      if (hosters + validators < 3) throw new MeshError('USAGE', 'a subnet needs at least 3 nodes', { fix: 'raise --hosters or --validators' })
      const epochs = flags.epochs === undefined ? undefined : count(flags.epochs, '--epochs', 1)
      const model = flags.model ?? testModelFile({ dir: flags.dir, quant: 'q8_0' })
      const epochLength = count(flags.epochLength, '--epoch-length', 1)
      checkEpochLength(epochLength)
      const devnet = new Devnet({
        dir: flags.dir, model, hosters, validators, print, blockTimeSeconds, epochLength, apiPort: count(flags.port, '--port', 0),
        ...(spec === undefined ? {} : { runtimeSpec: spec }),
      })
      let stopping = false
      const stop = async (code: number): Promise<never> => {
        if (!stopping) {
          stopping = true
          print('stopping the devnet…')
          const pace = devnet.blockPace()
          if (pace !== undefined) {
            print(`chopsticks built ${pace.blocks} blocks: ${(pace.meanBuildMs / 1000).toFixed(2)} s each on average, the longest ${(pace.maxBuildMs / 1000).toFixed(2)} s; ` +
              `${pace.late} took longer than the block time (${blockTimeSeconds} s)`)
          }
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
      // An epoch's line is printed once its scores' submission (made in the next epoch) has had that
      // epoch to be attested, and 2 blocks of the epoch after have passed: its rewards are paid in
      // that epoch's first block or the one after.
      const first = (await devnet.epochInfo()).epoch + 1
      let next = first
      let failed = 0
      for (;;) {
        const { epoch, epochLength, blocksRemaining } = await devnet.epochInfo()
        const settled = epochLength - blocksRemaining >= 2 ? epoch - 1 : epoch - 2
        while (next < settled) {
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
