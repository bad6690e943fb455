import { test } from 'node:test'
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { promisify } from 'node:util'

test("apps import the library by the package's name", async () => {
  // A fresh process, as an app would: the package's own name resolves through its exports map.
  const script = "import('mesh').then((m) => console.log(Object.keys(m).sort().join(',')))"
  const { stdout } = await promisify(execFile)(process.execPath, ['--input-type=module', '-e', script])
  const names = stdout.trim().split(',')
  for (const name of ['MeshClient', 'ApiServer', 'SubnetNode', 'connectChain', 'openLlamaEngine', 'generateIdentity', 'MeshError']) {
    assert.ok(names.includes(name), `${name} is exported`)
  }
})
