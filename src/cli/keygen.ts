import { Command } from 'commander'
import { MeshError } from '../errors.js'
import { generateIdentity, peerIdOf, readIdentity, writeIdentity } from '../p2p/keys.js'

interface KeygenOptions {
  path?: string
  bootstrap_path?: string
  client_path?: string
  show?: string
  force?: boolean
}

export function keygenCommand(): Command {
  return new Command('keygen')
    .description('write Ed25519 identity files (peer, bootstrap, client) and print their peer ids')
    .option('--path <file>', 'the node identity (peer id) key file')
    .option('--bootstrap_path <file>', 'the bootstrap node identity key file')
    .option('--client_path <file>', 'the client identity key file (for apps and the API gateway)')
    .option('--show <file>', 'print the peer id of an existing key file and exit')
    .option('--force', 'replace existing key files', false)
    .action(async (opts: KeygenOptions) => {
      if (opts.show !== undefined) {
        process.stdout.write(`${peerIdOf(await readIdentity(opts.show)).toString()}\n`)
        return
      }
      const targets: Array<[string, string | undefined]> = [
        ['peer', opts.path],
        ['bootstrap', opts.bootstrap_path],
        ['client', opts.client_path],
      ]
      const chosen = targets.filter((t): t is [string, string] => t[1] !== undefined)
      if (chosen.length === 0) {
        throw new MeshError('USAGE', 'no key file named', { fix: 'pass --path, --bootstrap_path or --client_path, or --show <file>' })
      }
      for (const [label, file] of chosen) {
        const key = await generateIdentity()
        await writeIdentity(file, key, opts.force === true)
        process.stdout.write(`${label.padEnd(9)} ${peerIdOf(key).toString()}  ${file}\n`)
      }
    })
}
