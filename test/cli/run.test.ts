// `mesh run` refuses what cannot work, before it starts anything, and says what to do.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { DEV_ACCOUNTS } from '../../src/chain/accounts.js'
import { testModelFile } from '../../src/inference/gguf/test-model-file.js'
import { probeDevice } from '../../src/inference/gpu-probe.js'
import { startLocalChain, type ChainProcess } from '../helpers/chain-process.js'
import { runMesh } from '../helpers/cli.js'

let dir: string
let key: string
let model: string
let chain: ChainProcess

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'mesh-run-'))
  key = join(dir, 'peer.key')
  assert.equal((await runMesh(['keygen', '--path', key])).code, 0)
  model = testModelFile({ quant: 'q8_0' })
  chain = await startLocalChain(['--block-time', '1'])
})
after(async () => {
  await chain?.stop()
})

const base = (): string[] => ['run', model, '--hoster', '--identity_path', key, '--subnet_id', '1', '--new_swarm', '--host_maddrs', '/ip4/127.0.0.1/tcp/0']

async function refused(args: string[], message: RegExp, env: NodeJS.ProcessEnv = {}): Promise<void> {
  const out = await runMesh(args, { env: { MESH_HOTKEY: DEV_ACCOUNTS.alith, ...env } })
  assert.equal(out.code, 1, `${args.join(' ')}\n${out.stdout}${out.stderr}`)
  assert.match(out.stderr, message)
}

test('a configuration missing a part is refused with what to pass', async () => {
  await refused(['run', '--hoster'], /no model given.*first argument/)
  await refused([...base(), '--validator'], /choose one role.*--hoster or --validator/)
  await refused(['run', model, '--hoster', '--subnet_id', '1', '--new_swarm'], /no node identity.*mesh keygen/)
  await refused(['run', model, '--hoster', '--identity_path', key, '--new_swarm'], /no subnet.*--subnet_id/)
  await refused(['run', model, '--hoster', '--identity_path', key, '--subnet_id', '1'], /no way into the swarm.*--new_swarm/)
  await refused([...base(), '--device', 'tpu'], /unknown device tpu/)
  await refused([...base(), '--local_chain', chain.url], /no hotkey.*--hotkey-file/, { MESH_HOTKEY: '' })
})

test('--device cuda without a working CUDA backend is refused before anything starts, naming the cause and the fix', async (t) => {
  const cuda = await probeDevice('cuda')
  if (cuda.ok) return t.skip(`this machine has a working CUDA backend (${cuda.gpu ?? 'a GPU'})`)
  await refused([...base(), '--device', 'cuda'], /the cuda backend failed its check: .*npx node-llama-cpp source build --gpu cuda/s)
})

test('bad files and an unreachable or wrong chain are clear errors', async () => {
  const corrupt = join(dir, 'corrupt.key')
  await writeFile(corrupt, 'nope')
  await refused(['run', model, '--hoster', '--identity_path', corrupt, '--subnet_id', '1', '--new_swarm'], /corrupt\.key is not a libp2p private key file/)
  await refused([...base(), '--local_chain', 'ws://127.0.0.1:9'], /CHAIN_UNREACHABLE/)
  await refused([...base(), '--local_chain', chain.url, '--rpc', 'ws://127.0.0.1:9'], /either --rpc or --local_chain/)
  await refused([...base(), '--local_chain', chain.url], /subnet 1 does not exist/)
  await refused(base(), /no chain to connect to.*--local_chain/)
})

test('flags win over environment variables, which win over the config file', async () => {
  const config = join(dir, 'mesh.yml')
  await writeFile(config, 'subnet_id: from-config\nhoster: true\n')
  const args = ['run', model, '--config', config, '--identity_path', key, '--new_swarm']
  await refused(args, /--subnet_id must be an integer ≥ 1, got "from-config"/)
  await refused(args, /got "from-env"/, { MESH_SUBNET_ID: 'from-env' })
  await refused([...args, '--subnet_id', 'from-flag'], /got "from-flag"/, { MESH_SUBNET_ID: 'from-env' })
  await writeFile(config, 'subnet: 1\n')
  await refused(args, /mesh\.yml: unknown setting subnet/)
})
