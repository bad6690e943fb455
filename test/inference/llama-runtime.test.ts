import { test } from 'node:test'
import assert from 'node:assert/strict'
import { mkdir, mkdtemp, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { localBuild } from '../../src/inference/llama-runtime.js'

// node-llama-cpp's files after `NODE_LLAMA_CPP_CMAKE_OPTION_CMAKE_CUDA_ARCHITECTURES=90 npx node-llama-cpp
// source build --gpu cuda`, as the GPU machine's build wrote them (folder name shortened).
async function llamaDir(gpu: string | false, withMetadata = true): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'mesh-llama-'))
  const folderName = `linux-x64-${gpu === false ? 'cpu' : gpu}-release-b0-0ab1`
  await writeFile(join(dir, 'lastBuild.json'), JSON.stringify({ folderName }))
  await mkdir(join(dir, 'localBuilds', folderName, 'Release'), { recursive: true })
  if (withMetadata) {
    await writeFile(join(dir, 'localBuilds', folderName, 'Release', '_nlcBuildMetadata.json'), JSON.stringify({
      buildOptions: { gpu, customCmakeOptions: { CMAKE_CUDA_ARCHITECTURES: '90' }, platform: 'linux', arch: 'x64' },
    }))
  }
  return dir
}

test('the last local build is found with the cmake options its folder name carries; none, a CPU build or a broken one give nothing', async () => {
  assert.deepEqual(localBuild(await llamaDir('cuda')), { gpu: 'cuda', cmakeOptions: { CMAKE_CUDA_ARCHITECTURES: '90' } })
  assert.equal(localBuild(await llamaDir(false)), undefined)
  assert.equal(localBuild(await llamaDir('cuda', false)), undefined)
  assert.equal(localBuild(await mkdtemp(join(tmpdir(), 'mesh-llama-'))), undefined)
})
