// `mesh chain`: run a local chain, read a subnet's status, register a node and manage its stake.
import { Command } from 'commander'
import { existsSync } from 'node:fs'
import { stat, writeFile } from 'node:fs/promises'
import { loadAccount, randomSecret, accountFromSecret, type KeyringPair } from '../chain/accounts.js'
import type { Chain } from '../chain/chain.js'
import { connectChain } from '../chain/connect.js'
import { LocalChainRuntime } from '../chain/local/runtime.js'
import { LocalChainServer } from '../chain/local/server.js'
import { normalizeAddress } from '../chain/local/address.js'
import { formatTokens, parseTokens } from '../chain/tokens.js'
import { ChainError } from '../chain/errors.js'
import { MeshError, errorMessage } from '../errors.js'
import { statusJson, statusText, subnetStatus } from './chain-status.js'

/** Where the chain is: a Hypertensor node (--rpc) or a local chain server (--local_chain). */
interface Endpoint { rpc?: string; local_chain?: string }
interface EndpointOptions extends Endpoint { subnet_id: string }
interface KeyOptions { coldkeyFile?: string; hotkeyFile?: string }

function positiveInt(value: string, what: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n) || n <= 0) throw new MeshError('USAGE', `${what} must be a positive integer, got ${JSON.stringify(value)}`)
  return n
}

function nonNegativeInt(value: string, what: string): number {
  const n = Number(value)
  if (!/^\d+$/.test(value) || !Number.isSafeInteger(n)) throw new MeshError('USAGE', `${what} must be a whole number ≥ 0, got ${JSON.stringify(value)}`)
  return n
}

function positiveTokens(value: string, what: string): bigint {
  const amount = parseTokens(value, what)
  if (amount === 0n) throw new MeshError('USAGE', `${what} must be more than 0`, { fix: 'write it in tokens, e.g. 10 or 0.5' })
  return amount
}

const RPC_HELP = 'a Hypertensor node (the real chain), e.g. ws://127.0.0.1:9944'
const LOCAL_CHAIN_HELP = 'a local chain server, e.g. ws://127.0.0.1:9944 (see `mesh chain local`)'

function endpointOptions(command: Command): Command {
  return command
    .option('--rpc <url>', RPC_HELP)
    .option('--local_chain <url>', LOCAL_CHAIN_HELP)
    .option('--subnet_id <id>', 'the subnet id', '1')
}

function keyOptions(command: Command): Command {
  return command
    .option('--coldkey-file <file>', 'file holding the coldkey secret (0x private key or mnemonic); default: $MESH_COLDKEY')
    .option('--hotkey-file <file>', 'file holding the hotkey secret; default: $MESH_HOTKEY')
}

async function requireKey(file: string | undefined, env: string, which: string, command: string): Promise<KeyringPair> {
  const pair = await loadAccount(file, env)
  if (pair === undefined) {
    throw new MeshError('USAGE', `${command} needs the node's ${which}`, { fix: `pass --${which}-file <file> or set ${env}` })
  }
  return pair
}

/** Connects, runs `body`, and always lets go of the connection. */
async function withChain<T>(endpoint: Endpoint, keys: { hotkey?: KeyringPair; coldkey?: KeyringPair }, body: (chain: Chain) => Promise<T>): Promise<T> {
  const chain = await connectChain({
    ...(endpoint.rpc === undefined ? {} : { rpc: endpoint.rpc }),
    ...(endpoint.local_chain === undefined ? {} : { localChain: endpoint.local_chain }),
    ...keys,
  })
  try {
    return await body(chain)
  } finally {
    await chain.close()
  }
}

function localCommand(): Command {
  return new Command('local')
    .description('run a local chain (a simulation of the Hypertensor pallet) that nodes share over WebSocket')
    .option('--port <port>', 'port to listen on (0 picks a free one)', '9944')
    .option('--host <host>', 'address to listen on', '127.0.0.1')
    .option('--block-time <seconds>', 'seconds between blocks', '6')
    .option('--epoch-length <blocks>', 'blocks per epoch, for a new chain (default 20)')
    .option('--state <file>', 'keep the chain state in this file, so that it survives a restart')
    .option('--seed <text>', 'seed of the validator elections, for a new chain (default: fixed)')
    .option('--fund <address...>', 'for a new chain: extra accounts to fund with 1,000,000 tokens (the dev accounts always are)')
    .action(async (opts: { port: string; host: string; blockTime: string; epochLength?: string; state?: string; seed?: string; fund?: string[] }) => {
      const port = Number(opts.port)
      if (!/^\d+$/.test(opts.port) || port > 65535) throw new MeshError('USAGE', `--port must be a port number, got ${JSON.stringify(opts.port)}`)
      const blockTime = Number(opts.blockTime)
      if (!(blockTime > 0) || !Number.isFinite(blockTime)) throw new MeshError('USAGE', `--block-time must be a positive number of seconds, got ${JSON.stringify(opts.blockTime)}`)
      const epochLength = opts.epochLength === undefined ? undefined : positiveInt(opts.epochLength, '--epoch-length')
      const resumed = opts.state !== undefined && existsSync(opts.state)
      const runtime = new LocalChainRuntime({
        ...(opts.state === undefined ? {} : { statePath: opts.state }),
        blockTimeMs: Math.round(blockTime * 1000),
        params: { ...(epochLength === undefined ? {} : { epochLength }), ...(opts.seed === undefined ? {} : { seed: opts.seed }) },
      })
      if (resumed && epochLength !== undefined && epochLength !== runtime.params.epochLength) {
        throw new MeshError('USAGE', `${opts.state} holds a chain with epoch length ${runtime.params.epochLength}, not ${epochLength}`, {
          fix: 'drop --epoch-length, or start a new chain with another --state file',
        })
      }
      if (!resumed) for (const address of opts.fund ?? []) runtime.fund(normalizeAddress(address, '--fund'))
      // Listen for the stop signal before anyone can learn the URL and send it.
      const stopped = new Promise<string>((resolve) => {
        process.once('SIGINT', () => resolve('SIGINT'))
        process.once('SIGTERM', () => resolve('SIGTERM'))
      })
      const server = new LocalChainServer(runtime, { host: opts.host, port })
      const url = await server.listen()
      runtime.start()
      process.stdout.write(`local chain ${runtime.chainId} listening on ${url} (block ${runtime.block}, ` +
        `${runtime.params.blockTimeMs / 1000} s blocks, epochs of ${runtime.params.epochLength} blocks${opts.state === undefined ? '' : `, state in ${opts.state}`})\n`)
      const signal = await stopped
      runtime.stop()
      await server.close()
      process.stderr.write(`local chain stopped by ${signal} at block ${runtime.block}\n`)
    })
}

function statusCommand(): Command {
  return endpointOptions(new Command('status'))
    .description("show a subnet: epoch and progress, nodes with classes and stake, the elected validator, the last submission")
    .option('--json', 'print JSON (amounts as strings in 1e-18 token units)', false)
    .option('--rewards <epochs>', 'show what the chain paid each node for this many recent epochs', '3')
    .option('--pace-wait <seconds>', "at most this long to time arriving blocks for the estimates (0: take the runtime's slot)", '15')
    .action(async (opts: EndpointOptions & { json: boolean; rewards: string; paceWait: string }) => {
      const subnetId = positiveInt(opts.subnet_id, '--subnet_id')
      const rewardEpochs = nonNegativeInt(opts.rewards, '--rewards')
      // A local chain's block time is its pace; the real runtime's slot need not be.
      const paceWaitMs = opts.rpc === undefined ? undefined : nonNegativeInt(opts.paceWait, '--pace-wait') * 1000
      await withChain(opts, {}, async (chain) => {
        const status = await subnetStatus(chain, subnetId, { rewardEpochs, ...(paceWaitMs === undefined ? {} : { paceWaitMs }) })
        process.stdout.write(`${opts.json ? statusJson(status) : statusText(status)}\n`)
      })
    })
}

function registerSubnetCommand(): Command {
  return new Command('register-subnet')
    .description('register a subnet owned by the coldkey; whitelisted coldkeys register its first nodes as Validator class')
    .option('--rpc <url>', RPC_HELP)
    .option('--local_chain <url>', LOCAL_CHAIN_HELP)
    .option('--coldkey-file <file>', "file holding the owner's coldkey secret; default: $MESH_COLDKEY")
    .requiredOption('--name <name>', 'the subnet name (unique on the chain)')
    .option('--min-stake <tokens>', 'minimum stake of a node, in tokens', '100')
    .option('--max-stake <tokens>', 'maximum stake of a node, in tokens', '1000')
    .requiredOption('--initial-coldkeys <address...>', 'coldkeys that may register nodes before activation (at least 3; repeat one for several nodes)')
    .option('--bootnodes <multiaddr...>', 'the subnet bootnodes, each ending in /p2p/<peer id> (the real chain requires one)')
    .action(async (opts: { rpc?: string; local_chain?: string; coldkeyFile?: string; name: string; minStake: string; maxStake: string; initialColdkeys: string[]; bootnodes?: string[] }) => {
      const minStake = parseTokens(opts.minStake, '--min-stake')
      const maxStake = parseTokens(opts.maxStake, '--max-stake')
      const coldkey = await requireKey(opts.coldkeyFile, 'MESH_COLDKEY', 'coldkey', 'register-subnet')
      await withChain(opts, { coldkey }, async (chain) => {
        const subnetId = await chain.registerSubnet({
          name: opts.name, minStake, maxStake, initialColdkeys: opts.initialColdkeys,
          ...(opts.bootnodes === undefined ? {} : { bootnodes: opts.bootnodes }),
        })
        process.stdout.write(`registered subnet ${subnetId} "${opts.name}" owned by ${coldkey.address}; register its nodes, then \`mesh chain activate-subnet --subnet_id ${subnetId}\`\n`)
      })
    })
}

function activateSubnetCommand(): Command {
  return endpointOptions(new Command('activate-subnet'))
    .description("activate a subnet once it has enough nodes (signed by the owner's coldkey)")
    .option('--coldkey-file <file>', "file holding the owner's coldkey secret; default: $MESH_COLDKEY")
    .action(async (opts: EndpointOptions & { coldkeyFile?: string }) => {
      const coldkey = await requireKey(opts.coldkeyFile, 'MESH_COLDKEY', 'coldkey', 'activate-subnet')
      const subnetId = positiveInt(opts.subnet_id, '--subnet_id')
      await withChain(opts, { coldkey }, async (chain) => {
        const { block } = await chain.activateSubnet(subnetId)
        process.stdout.write(`activated subnet ${subnetId} at block ${block}\n`)
      })
    })
}

function registerNodeCommand(): Command {
  return keyOptions(endpointOptions(new Command('register-node')))
    .description("register a node in a subnet, staking from the coldkey (signed by the coldkey)")
    .requiredOption('--peer-id <id>', "the node's peer id (see `mesh keygen --show peer.key`)")
    .option('--bootnode-peer-id <id>', "the node's bootnode peer id")
    .option('--client-peer-id <id>', "the node's client peer id")
    .requiredOption('--stake <tokens>', 'stake to put up, in tokens (e.g. 200)')
    .action(async (opts: EndpointOptions & KeyOptions & { peerId: string; bootnodePeerId?: string; clientPeerId?: string; stake: string }) => {
      const subnetId = positiveInt(opts.subnet_id, '--subnet_id')
      const stake = parseTokens(opts.stake, '--stake')
      const coldkey = await requireKey(opts.coldkeyFile, 'MESH_COLDKEY', 'coldkey', 'register-node')
      const hotkey = await requireKey(opts.hotkeyFile, 'MESH_HOTKEY', 'hotkey', 'register-node')
      await withChain(opts, { hotkey, coldkey }, async (chain) => {
        const nodeId = await chain.registerSubnetNode({
          subnetId, hotkey: hotkey.address, peerId: opts.peerId, stake,
          ...(opts.bootnodePeerId === undefined ? {} : { bootnodePeerId: opts.bootnodePeerId }),
          ...(opts.clientPeerId === undefined ? {} : { clientPeerId: opts.clientPeerId }),
        })
        const node = (await chain.subnetNodes(subnetId)).find((n) => n.id === nodeId)
        process.stdout.write(`registered node ${nodeId} in subnet ${subnetId}: hotkey ${hotkey.address}, peer ${opts.peerId}, ` +
          `stake ${formatTokens(stake)}, class ${node?.class ?? 'unknown'}\n`)
      })
    })
}

function stakeCommand(name: 'add-stake' | 'remove-stake'): Command {
  const adding = name === 'add-stake'
  return keyOptions(endpointOptions(new Command(name)))
    .description(adding ? "add stake from the coldkey to the hotkey's node (signed by the coldkey)"
      : "remove stake from the hotkey's node; it returns to the coldkey after the cooldown (signed by the coldkey)")
    .requiredOption('--stake <tokens>', `amount to ${adding ? 'add' : 'remove'}, in tokens (e.g. 50)`)
    .action(async (opts: EndpointOptions & KeyOptions & { stake: string }) => {
      const subnetId = positiveInt(opts.subnet_id, '--subnet_id')
      const amount = parseTokens(opts.stake, '--stake')
      const coldkey = await requireKey(opts.coldkeyFile, 'MESH_COLDKEY', 'coldkey', name)
      const hotkey = await requireKey(opts.hotkeyFile, 'MESH_HOTKEY', 'hotkey', name)
      await withChain(opts, { hotkey, coldkey }, async (chain) => {
        const nodeId = await chain.nodeIdOf(subnetId, hotkey.address)
        if (adding) {
          if (nodeId === null) throw new MeshError('NODE_NOT_REGISTERED', `hotkey ${hotkey.address} has no node in subnet ${subnetId}`, { fix: 'register one with `mesh chain register-node`' })
          await chain.addStake(subnetId, nodeId, hotkey.address, amount)
        } else {
          await chain.removeStake(subnetId, amount)
        }
        const stake = nodeId === null ? undefined : (await chain.subnetNodes(subnetId)).find((n) => n.id === nodeId)?.stake
        process.stdout.write(`${adding ? 'added' : 'removed'} ${formatTokens(amount)} ${adding ? 'to' : 'from'} ` +
          `${nodeId === null ? `hotkey ${hotkey.address}` : `node ${nodeId}`} in subnet ${subnetId}` +
          `${stake === undefined ? '' : `; stake now ${formatTokens(stake)}`}\n`)
      })
    })
}

function accountCommand(): Command {
  const account = new Command('account').description('make a chain account (a secret file and its address) or show the address of one')
  account.command('new')
    .description('write a fresh account secret to <file> (mode 0600, never overwritten) and print its address')
    .argument('<file>', 'where to write the secret (a 0x private key)')
    .action(async (file: string) => {
      const secret = randomSecret()
      try {
        await writeFile(file, `${secret}\n`, { mode: 0o600, flag: 'wx' })
      } catch (err) {
        const code = (err as NodeJS.ErrnoException).code
        if (code === 'EEXIST') throw new MeshError('ACCOUNT_FILE_EXISTS', `${file} exists: an account secret is never overwritten`, { fix: 'pick another file, or show this one with `mesh chain account show`' })
        throw new MeshError('ACCOUNT_FILE_UNWRITABLE', `cannot write ${file}: ${errorMessage(err)}`, { fix: 'check that its folder exists and is writable' })
      }
      const pair = await accountFromSecret(secret)
      process.stdout.write(`${pair.address}\n`)
      process.stderr.write(`wrote the secret of ${pair.address} to ${file} (mode 0600): keep it safe, it controls the account's funds\n`)
    })
  account.command('show')
    .description('print the address of the account whose secret is in <file>')
    .argument('<file>', 'a file holding an account secret (0x private key or mnemonic)')
    .action(async (file: string) => {
      const pair = await loadAccount(file, 'MESH_UNUSED')
      process.stdout.write(`${pair!.address}\n`)
      const mode = (await stat(file)).mode & 0o777
      if ((mode & 0o077) !== 0) process.stderr.write(`warning: ${file} is readable by others (mode ${mode.toString(8)}): chmod 600 ${file}\n`)
    })
  return account
}

/** The operator calls the local chain lacks, refused with what to do there instead. */
function unsupported(what: string, fix: string): ChainError {
  return new ChainError('CHAIN_UNSUPPORTED', `the local chain has no ${what}`, { fix })
}

function transferCommand(): Command {
  return new Command('transfer')
    .description("send tokens from the coldkey to an address (e.g. to fund a hotkey's fees)")
    .option('--rpc <url>', RPC_HELP)
    .option('--local_chain <url>', LOCAL_CHAIN_HELP)
    .option('--coldkey-file <file>', 'file holding the sending coldkey secret; default: $MESH_COLDKEY')
    .requiredOption('--to <address>', 'the receiving address (0x and 40 hex digits; `mesh chain account show` prints one)')
    .requiredOption('--amount <tokens>', 'how much to send, in tokens (e.g. 10)')
    .action(async (opts: Endpoint & { coldkeyFile?: string; to: string; amount: string }) => {
      const to = normalizeAddress(opts.to, '--to')
      const amount = positiveTokens(opts.amount, '--amount')
      const coldkey = await requireKey(opts.coldkeyFile, 'MESH_COLDKEY', 'coldkey', 'transfer')
      await withChain(opts, { coldkey }, async (chain) => {
        if (chain.transfer === undefined) throw unsupported('transfers', 'fund accounts when starting it: `mesh chain local --fund <address…>`')
        const { block } = await chain.transfer(to, amount)
        const balance = await chain.freeBalance?.(to)
        process.stdout.write(`sent ${formatTokens(amount)} from ${coldkey.address} to ${to} at block ${block}` +
          `${balance === undefined ? '' : `; ${to} now holds ${formatTokens(balance)}`}\n`)
      })
    })
}

function delegateStakeCommand(): Command {
  return endpointOptions(new Command('delegate-stake'))
    .description("delegate the coldkey's tokens to a subnet, or take them back with --remove (a subnet's delegate stake earns it the emissions its nodes are paid from)")
    .option('--coldkey-file <file>', 'file holding the delegating coldkey secret; default: $MESH_COLDKEY')
    .option('--amount <tokens>', 'tokens to delegate')
    .option('--remove <tokens>', "tokens to take back (returned after the runtime's cooldown), or `all`")
    .action(async (opts: EndpointOptions & { coldkeyFile?: string; amount?: string; remove?: string }) => {
      const subnetId = positiveInt(opts.subnet_id, '--subnet_id')
      if ((opts.amount === undefined) === (opts.remove === undefined)) {
        throw new MeshError('USAGE', 'delegate-stake needs exactly one of --amount and --remove', { fix: 'pass --amount <tokens> to delegate, or --remove <tokens|all> to take back' })
      }
      const amount = opts.amount === undefined ? undefined : positiveTokens(opts.amount, '--amount')
      const remove = opts.remove === undefined ? undefined : opts.remove === 'all' ? 'all' as const : positiveTokens(opts.remove, '--remove')
      const coldkey = await requireKey(opts.coldkeyFile, 'MESH_COLDKEY', 'coldkey', 'delegate-stake')
      await withChain(opts, { coldkey }, async (chain) => {
        if (chain.addDelegateStake === undefined || chain.removeDelegateStake === undefined) {
          throw unsupported('delegate stake', 'the local chain pays node rewards without it: nothing to do')
        }
        const { block } = amount !== undefined ? await chain.addDelegateStake(subnetId, amount) : await chain.removeDelegateStake(subnetId, remove!)
        const now = await chain.delegateStakeOf?.(subnetId, coldkey.address)
        const what = amount !== undefined ? `delegated ${formatTokens(amount)} to` : `took back ${remove === 'all' ? 'all delegate stake' : formatTokens(remove as bigint)} from`
        process.stdout.write(`${what} subnet ${subnetId} at block ${block}${now === undefined ? '' : `; ${coldkey.address} now has ${formatTokens(now)} delegated`}\n`)
      })
    })
}

export function chainCommand(): Command {
  return new Command('chain')
    .description('run a local chain, show a subnet, register a subnet or node, add or remove stake, make accounts, transfer, delegate stake')
    .addCommand(localCommand())
    .addCommand(statusCommand())
    .addCommand(registerSubnetCommand())
    .addCommand(activateSubnetCommand())
    .addCommand(registerNodeCommand())
    .addCommand(stakeCommand('add-stake'))
    .addCommand(stakeCommand('remove-stake'))
    .addCommand(accountCommand())
    .addCommand(transferCommand())
    .addCommand(delegateStakeCommand())
}
