// `mesh chain` commands, run as users run them, against a local chain server started by the test.
import { after, before, describe, test } from 'node:test'
import assert from 'node:assert/strict'
import { readFileSync, statSync } from 'node:fs'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS, accountFromSecret } from '../../src/chain/accounts.js'
import { TOKEN } from '../../src/chain/chain.js'
import { LocalChainRuntime } from '../../src/chain/local/runtime.js'
import { LocalChainServer } from '../../src/chain/local/server.js'
import { LocalChain } from '../../src/chain/local/local-chain.js'
import { type CliResult, runMesh } from '../helpers/cli.js'
import { startLocalChain } from '../helpers/chain-process.js'
import { freshPeerId } from '../chain/contract.js'
import { SubstrateHarness } from '../chain/substrate-harness.js'
import { chopsticksSkipReason } from '../helpers/chopsticks.js'

const NO_KEYS = { MESH_COLDKEY: '', MESH_HOTKEY: '' }

describe('mesh chain against a local chain server', () => {
  let runtime: LocalChainRuntime
  let server: LocalChainServer
  let url: string
  let dir: string
  const file = (name: string): string => join(dir, name)

  before(async () => {
    runtime = new LocalChainRuntime({ params: { epochLength: 8 } })
    server = new LocalChainServer(runtime, { port: 0 })
    url = await server.listen()
    dir = await mkdtemp(join(tmpdir(), 'mesh-chain-cli-'))
    for (const [name, key] of Object.entries(DEV_ACCOUNTS)) await writeFile(file(`${name}.cold`), key)
    for (const name of ['baltathar', 'charleth', 'dorothy']) await writeFile(file(`${name}.hot`), `0x${Buffer.from(`${name}-hotkey-seed-padding-32bytes!!`).toString('hex').slice(0, 64)}`)
  })
  after(async () => {
    await server.close()
  })

  const mesh = (args: string[], env: NodeJS.ProcessEnv = {}) => runMesh(['chain', ...args, '--local_chain', url], { env: { ...NO_KEYS, ...env } })

  test('a subnet is registered, gets three nodes, is activated and shows in status', async () => {
    const coldkeys = await Promise.all(['baltathar', 'charleth', 'dorothy'].map(async (n) => (await accountFromSecret(DEV_ACCOUNTS[n as 'baltathar'])).address))
    const subnet = await mesh(['register-subnet', '--name', 'cli-subnet', '--coldkey-file', file('alith.cold'), '--initial-coldkeys', ...coldkeys])
    assert.equal(subnet.code, 0, subnet.stderr)
    assert.match(subnet.stdout, /registered subnet 1 "cli-subnet"/)
    assert.match(subnet.stdout, /`mesh chain activate-subnet --subnet_id 1`/)

    for (const name of ['baltathar', 'charleth', 'dorothy']) {
      // One by files, the others by the environment: both ways load keys.
      const byFile = name === 'baltathar'
      const args = ['register-node', '--subnet_id', '1', '--peer-id', await freshPeerId(), '--stake', '150']
      const out = byFile
        ? await mesh([...args, '--coldkey-file', file(`${name}.cold`), '--hotkey-file', file(`${name}.hot`)])
        : await mesh(args, { MESH_COLDKEY: DEV_ACCOUNTS[name as 'charleth'], MESH_HOTKEY: readFileSync(file(`${name}.hot`), 'utf8') })
      assert.equal(out.code, 0, out.stderr)
      assert.match(out.stdout, /registered node \d+ in subnet 1: .* stake 150, class Validator/)
    }
    const activated = await mesh(['activate-subnet', '--subnet_id', '1', '--coldkey-file', file('alith.cold')])
    assert.equal(activated.code, 0, activated.stderr)

    runtime.advance(8)
    const text = await mesh(['status', '--subnet_id', '1'])
    assert.equal(text.code, 0, text.stderr)
    assert.match(text.stdout, /subnet 1 "cli-subnet": Active/)
    assert.match(text.stdout, /elected validator: node \d/)
    assert.equal(text.stdout.match(/Validator\s+stake\s+150 /g)?.length, 3)
    const json = await mesh(['status', '--subnet_id', '1', '--json'])
    const status = JSON.parse(json.stdout)
    assert.equal(status.subnet.state, 'Active')
    assert.equal(status.nodes.length, 3)
    assert.equal(status.nodes[0].stake, (150n * TOKEN).toString())
    assert.equal(status.lastSubmission, null)
  })

  test('register-subnet has no --reference: every subnet scores against the median', async () => {
    const coldkeys = await Promise.all(['baltathar', 'charleth', 'dorothy'].map(async (n) => (await accountFromSecret(DEV_ACCOUNTS[n as 'baltathar'])).address))
    const args = ['register-subnet', '--name', 'robust-subnet', '--coldkey-file', file('alith.cold'), '--initial-coldkeys', ...coldkeys]
    const odd = await mesh([...args, '--reference', 'median'])
    assert.equal(odd.code, 1)
    assert.match(odd.stderr, /unknown option '--reference'/)
    const out = await mesh(args)
    assert.equal(out.code, 0, out.stderr)
    assert.match(out.stdout, /registered subnet (\d+) "robust-subnet" owned by \S+; register its nodes/)
  })

  test('stake is added and removed in tokens', async () => {
    // The elected validator may not unstake this epoch: use a node that is not elected.
    const epoch = (await new LocalChain(runtime).epochInfo(1)).epoch
    const elected = await new LocalChain(runtime).electedValidator(1, epoch)
    const names = ['baltathar', 'charleth', 'dorothy']
    const nodeId = elected === 1 ? 2 : 1
    const name = names[nodeId - 1]!
    const keys = ['--coldkey-file', file(`${name}.cold`), '--hotkey-file', file(`${name}.hot`)]
    const added = await mesh(['add-stake', '--subnet_id', '1', '--stake', '50', ...keys])
    assert.equal(added.code, 0, added.stderr)
    assert.match(added.stdout, new RegExp(`added 50 to node ${nodeId} in subnet 1; stake now 200`))
    const removed = await mesh(['remove-stake', '--subnet_id', '1', '--stake', '20.5', ...keys])
    assert.equal(removed.code, 0, removed.stderr)
    assert.match(removed.stdout, new RegExp(`removed 20.5 from node ${nodeId} in subnet 1; stake now 179.5`))
  })

  test('bad input gets a clear error and exit code 1', async () => {
    const keys = ['--coldkey-file', file('baltathar.cold'), '--hotkey-file', file('baltathar.hot')]
    const cases: Array<[string[], RegExp]> = [
      [['add-stake', '--stake', 'lots', ...keys], /--stake "lots" is not a token amount/],
      [['add-stake', '--stake', '5', '--hotkey-file', file('baltathar.hot')], /add-stake needs the node's coldkey .*--coldkey-file/],
      [['remove-stake', '--stake', '5000', ...keys], /network\.NotEnoughStakeToWithdraw/],
      [['status', '--subnet_id', '77'], /network\.InvalidSubnetId/],
      [['status', '--subnet_id', 'one'], /--subnet_id must be a positive integer/],
      [['status', '--subnet', '1'], /unknown option '--subnet'/], // the flag is --subnet_id, as in `mesh run` and `mesh api`
      [['register-node', '--peer-id', 'short', '--stake', '150', '--coldkey-file', file('alith.cold'), '--hotkey-file', file('dorothy.hot')], /network\.(InvalidPeerId|HotkeyHasOwner)/],
    ]
    const outs = await Promise.all(cases.map(([args]) => mesh(args)))
    cases.forEach(([args, expected], i) => {
      assert.equal(outs[i]!.code, 1, `${args.join(' ')}: ${outs[i]!.stdout}`)
      assert.match(outs[i]!.stderr, expected)
    })
  })

  test('account new writes a secret file (mode 0600, never overwritten) whose address account show prints', async () => {
    const made = await runMesh(['chain', 'account', 'new', file('operator.key')])
    assert.equal(made.code, 0, made.stderr)
    const address = made.stdout.trim()
    assert.match(address, /^0x[0-9a-fA-F]{40}$/)
    assert.equal(statSync(file('operator.key')).mode & 0o777, 0o600)
    assert.equal((await accountFromSecret(readFileSync(file('operator.key'), 'utf8'))).address, address)
    const shown = await runMesh(['chain', 'account', 'show', file('operator.key')])
    assert.equal(shown.code, 0, shown.stderr)
    assert.equal(shown.stdout.trim(), address)
    assert.equal(shown.stderr, '', 'no warning for a file only its owner reads')
    const again = await runMesh(['chain', 'account', 'new', file('operator.key')])
    assert.equal(again.code, 1)
    assert.match(again.stderr, /operator\.key exists: an account secret is never overwritten.*\[ACCOUNT_FILE_EXISTS\]/)
    assert.equal((await accountFromSecret(readFileSync(file('operator.key'), 'utf8'))).address, address, 'the secret is unchanged')
    await writeFile(file('open.key'), DEV_ACCOUNTS.alith, { mode: 0o644 })
    const open = await runMesh(['chain', 'account', 'show', file('open.key')])
    assert.equal(open.code, 0)
    assert.match(open.stderr, /readable by others \(mode 644\): chmod 600/)
  })

  test('transfer and delegate-stake: bad input is refused before connecting, and the local chain says what to do instead', async () => {
    const cold = ['--coldkey-file', file('alith.cold')]
    const cases: Array<[string[], RegExp]> = [
      [['account', 'new', join(dir, 'no-such-dir', 'x.key')], /cannot write .*x\.key.*check that its folder exists.*\[ACCOUNT_FILE_UNWRITABLE\]/],
      [['account', 'show', file('missing.key')], /cannot read account file .*missing\.key.*\[ACCOUNT_FILE_UNREADABLE\]/],
      [['account', 'show', file('alith.cold.nope')], /\[ACCOUNT_FILE_UNREADABLE\]/],
      [['transfer', '--to', '0x1234', '--amount', '5', ...cold], /--to 0x1234 is not an Ethereum-style address.*\[CHAIN_INVALID_ADDRESS\]/],
      [['transfer', '--to', '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac', '--amount', 'ten', ...cold], /--amount "ten" is not a token amount/],
      [['transfer', '--to', '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac', '--amount', '0', ...cold], /--amount must be more than 0/],
      [['transfer', '--to', '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac', '--amount', '5'], /transfer needs the node's coldkey/],
      [['transfer', '--to', '0xf24FF3a9CF04c71Dbc94D0b566f7A27B94566cac', '--amount', '5', ...cold], /the local chain has no transfers.*mesh chain local --fund.*\[CHAIN_UNSUPPORTED\]/],
      [['delegate-stake', '--subnet_id', '1', ...cold], /exactly one of --amount and --remove/],
      [['delegate-stake', '--subnet_id', '1', '--amount', '5', '--remove', 'all', ...cold], /exactly one of --amount and --remove/],
      [['delegate-stake', '--subnet_id', '1', '--remove', 'some', ...cold], /--remove "some" is not a token amount/],
      [['delegate-stake', '--subnet_id', '1', '--amount', '5', ...cold], /the local chain has no delegate stake.*\[CHAIN_UNSUPPORTED\]/],
      [['status', '--subnet_id', '1', '--rewards', 'x'], /--rewards must be a whole number/],
    ]
    // Four processes at a time: a loaded machine starting thirteen at once times them out.
    const outs: CliResult[] = []
    for (let i = 0; i < cases.length; i += 4) {
      outs.push(...await Promise.all(cases.slice(i, i + 4).map(([args]) => (args[0] === 'account' ? runMesh(['chain', ...args], { env: NO_KEYS }) : mesh(args)))))
    }
    cases.forEach(([args, expected], i) => {
      assert.equal(outs[i]!.code, 1, `${args.join(' ')}: ${outs[i]!.stdout}`)
      assert.match(outs[i]!.stderr, expected)
    })
  })

  test('a chain that is down is named, with the fix', async () => {
    const out = await runMesh(['chain', 'status', '--local_chain', 'ws://127.0.0.1:1'], { env: NO_KEYS })
    assert.equal(out.code, 1)
    assert.match(out.stderr, /the local chain at ws:\/\/127\.0\.0\.1:1 is unreachable.*mesh chain local --port 1.*\[CHAIN_UNREACHABLE\]/)
  })
})

describe('mesh chain local', () => {
  test('produces blocks on a timer, keeps its state across a restart, and refuses another epoch length', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'mesh-chain-local-'))
    const state = join(dir, 'chain.json')
    const first = await startLocalChain(['--block-time', '0.2', '--epoch-length', '5', '--state', state])
    let reached: number
    try {
      assert.match(first.url, /^ws:\/\/127\.0\.0\.1:\d+$/)
      const deadline = Date.now() + 60_000
      do {
        const out = await runMesh(['chain', 'status', '--local_chain', first.url], { env: NO_KEYS })
        assert.match(out.stderr, /network\.InvalidSubnetId/, 'a new chain has no subnet')
        reached = Number(/"block":\s*(\d+)/.exec(readFileSync(state, 'utf8'))?.[1])
      } while (reached < 8 && Date.now() < deadline)
      assert.ok(reached >= 8, 'blocks are produced on the timer')
    } finally {
      assert.equal(await first.stop(), 0, first.output())
    }
    const second = await startLocalChain(['--block-time', '0.2', '--state', state])
    try {
      assert.match(second.output(), new RegExp(`block (\\d+)`))
      const resumedAt = Number(/\(block (\d+)/.exec(second.output())![1])
      assert.ok(resumedAt >= reached, `resumed at block ${resumedAt}, after ${reached}`)
      assert.match(second.output(), /epochs of 5 blocks/)
    } finally {
      assert.equal(await second.stop(), 0, second.output())
    }
    const refused = await runMesh(['chain', 'local', '--port', '0', '--epoch-length', '9', '--state', state])
    assert.equal(refused.code, 1)
    assert.match(refused.stderr, /holds a chain with epoch length 5, not 9/)
  })
})

describe('mesh chain against the real runtime (chopsticks)', { skip: chopsticksSkipReason() ?? false }, () => {
  const harness = new SubstrateHarness()
  after(() => harness.close())

  test('status --rpc shows the subnet, its epoch and its nodes', async () => {
    const fixture = await harness.subnet({ nodes: 3 })
    const rpc = harness.chopsticks.url
    const text = await runMesh(['chain', 'status', '--rpc', rpc, '--subnet_id', String(fixture.subnetId), '--pace-wait', '0'], { env: NO_KEYS })
    assert.equal(text.code, 0, text.stderr)
    assert.match(text.stdout, new RegExp(`^subnet ${fixture.subnetId} "mesh-test-[0-9a-f]+": Active, slot \\d+`))
    assert.match(text.stdout, /^block \d+, epoch \d+ at /m)
    assert.match(text.stdout, /^nodes \(3\):$/m)
    for (const node of fixture.nodes) assert.match(text.stdout, new RegExp(`^ +${node.nodeId} +Validator .*${node.peerId}`, 'm'))
    const json = await runMesh(['chain', 'status', '--rpc', rpc, '--subnet_id', String(fixture.subnetId), '--json', '--pace-wait', '0'], { env: NO_KEYS })
    const status = JSON.parse(json.stdout) as { subnet: { id: number; state: string }; nodes: { hotkey: string }[] }
    assert.equal(status.subnet.state, 'Active')
    assert.deepEqual(status.nodes.map((n) => n.hotkey).sort(), fixture.nodes.map((n) => n.hotkey).sort())
    const unknown = await runMesh(['chain', 'status', '--rpc', rpc, '--subnet_id', '999999'], { env: NO_KEYS })
    assert.equal(unknown.code, 1)
    assert.match(unknown.stderr, /network\.InvalidSubnetId/)
  })

  test('an operator with only mesh: a new account is funded by transfer, delegates stake and takes it back; status shows rewards and the measured pace', async () => {
    const fixture = await harness.subnet({ nodes: 3 })
    const rpc = harness.chopsticks.url
    const dir = await mkdtemp(join(tmpdir(), 'mesh-chain-operator-'))
    await writeFile(join(dir, 'alith.key'), DEV_ACCOUNTS.alith, { mode: 0o600 })
    const made = await runMesh(['chain', 'account', 'new', join(dir, 'operator.key')])
    const address = made.stdout.trim()
    const sent = await runMesh(['chain', 'transfer', '--rpc', rpc, '--to', address, '--amount', '50', '--coldkey-file', join(dir, 'alith.key')], { env: NO_KEYS })
    assert.equal(sent.code, 0, sent.stderr)
    assert.match(sent.stdout, new RegExp(`sent 50 from 0x[0-9a-fA-F]{40} to ${address} at block \\d+; ${address} now holds 50`))
    const operator = ['--rpc', rpc, '--subnet_id', String(fixture.subnetId), '--coldkey-file', join(dir, 'operator.key')]
    const delegated = await runMesh(['chain', 'delegate-stake', ...operator, '--amount', '20'], { env: NO_KEYS })
    assert.equal(delegated.code, 0, delegated.stderr)
    assert.match(delegated.stdout, new RegExp(`delegated 20 to subnet ${fixture.subnetId} at block \\d+; ${address} now has 19\\.\\d+|20 delegated`))
    const removed = await runMesh(['chain', 'delegate-stake', ...operator, '--remove', 'all'], { env: NO_KEYS })
    assert.equal(removed.code, 0, removed.stderr)
    assert.match(removed.stdout, new RegExp(`took back all delegate stake from subnet ${fixture.subnetId} at block \\d+; ${address} now has 0 delegated`))
    const none = await runMesh(['chain', 'delegate-stake', ...operator, '--remove', '1'], { env: NO_KEYS })
    assert.equal(none.code, 1)
    assert.match(none.stderr, /has no stake delegated to subnet .*\[CHAIN_NO_DELEGATE_STAKE\]/)

    // Blocks a second while status times them: the estimate follows them, not the runtime's 6 s slot.
    let producing = true
    const producer = (async () => { while (producing) { await harness.advance(1); await new Promise((r) => setTimeout(r, 1000)) } })()
    try {
      const status = await runMesh(['chain', 'status', '--rpc', rpc, '--subnet_id', String(fixture.subnetId), '--pace-wait', '60', '--rewards', '2'], { env: NO_KEYS })
      assert.equal(status.code, 0, status.stderr)
      const pace = Number(/at ([\d.]+) s a block, measured\)/.exec(status.stdout)?.[1])
      assert.ok(pace > 0 && pace < 5.5, `a measured pace under the 6 s slot: ${status.stdout}`)
      // One rewards line for each finished epoch, up to --rewards (none in epoch 0).
      const epoch = Number(/^block \d+, epoch (\d+) /m.exec(status.stdout)?.[1])
      assert.equal(status.stdout.match(/^rewards for epoch \d+/gm)?.length ?? 0, Math.min(2, epoch))
    } finally {
      producing = false
      await producer
    }
    const slot = await runMesh(['chain', 'status', '--rpc', rpc, '--subnet_id', String(fixture.subnetId), '--pace-wait', '0'], { env: NO_KEYS })
    assert.match(slot.stdout, /at 6\.0 s a block, the runtime's slot/)
  })

  test('status --rpc against an endpoint that is down names it, with the fix', async () => {
    const out = await runMesh(['chain', 'status', '--rpc', 'ws://127.0.0.1:1'], { env: NO_KEYS })
    assert.equal(out.code, 1)
    assert.match(out.stderr, /chain endpoint ws:\/\/127\.0\.0\.1:1 is unreachable.*check that the Hypertensor node at ws:\/\/127\.0\.0\.1:1 is running.*\[CHAIN_UNREACHABLE\]/)
  })

  test('--rpc and --local_chain together are refused', async () => {
    const out = await runMesh(['chain', 'status', '--rpc', 'ws://127.0.0.1:1', '--local_chain', 'ws://127.0.0.1:2'], { env: NO_KEYS })
    assert.equal(out.code, 1)
    assert.match(out.stderr, /pass either --rpc or --local_chain.*\[CHAIN_AMBIGUOUS\]/)
  })
})
