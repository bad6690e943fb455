// Generates TypeScript codecs from .proto files: `node scripts/protons.mjs src/dht/messages.proto`.
// The codegen (protons 9) writes code typed for protons-runtime 7; the runtime installed here is 8,
// whose JavaScript is the same but whose Codec type takes two parameters. The generated files are
// therefore marked @ts-nocheck: their exported interfaces and functions keep their declared types.
import { execFileSync } from 'node:child_process'
import { readFileSync, writeFileSync } from 'node:fs'

const files = process.argv.slice(2)
if (files.length === 0) {
  console.error('usage: node scripts/protons.mjs <file.proto>...')
  process.exit(1)
}
execFileSync('node_modules/.bin/protons', files, { stdio: 'inherit' })
for (const proto of files) {
  const out = proto.replace(/\.proto$/, '.ts')
  const header = `// Generated from ${proto.split('/').pop()} by scripts/protons.mjs: do not edit.\n// @ts-nocheck\n`
  writeFileSync(out, header + readFileSync(out, 'utf8'))
}
