#!/usr/bin/env node
import '../polyfill.js'
import { Command, CommanderError } from 'commander'
import { MeshError, errorMessage } from '../errors.js'
import { chainCommand } from './chain.js'
import { keygenCommand } from './keygen.js'

const program = new Command('mesh')
  .description('A node of the open LLM inference network on the Hypertensor blockchain')
  .version('0.1.0')
  .showHelpAfterError()
  .exitOverride()

program.addCommand(keygenCommand())
program.addCommand(chainCommand())

try {
  await program.parseAsync(process.argv)
} catch (err) {
  if (err instanceof CommanderError) process.exit(err.exitCode)
  const code = err instanceof MeshError ? ` [${err.code}]` : ''
  process.stderr.write(`mesh: ${errorMessage(err)}${code}\n`)
  process.exit(1)
}
