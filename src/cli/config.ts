// Settings from three places, in the usual precedence: a command-line flag, then its environment
// variable (MESH_ and the flag's name in capitals: --subnet_id → MESH_SUBNET_ID), then the config
// file (--config mesh.yml, keys named as the flags: `subnet_id: 1`), then the default.
import { readFileSync } from 'node:fs'
import { type Command, Option } from 'commander'
import { parse } from 'yaml'
import { MeshError, errorMessage } from '../errors.js'

/** The environment variable of a flag: `--initial_peers` → `MESH_INITIAL_PEERS`. */
export function envName(flag: string): string {
  return `MESH_${flag.replace(/^--/, '').replace(/-/g, '_').toUpperCase()}`
}

/**
 * Adds `options` to `command`, each with its environment variable (commander reads an option's
 * variable only if it is set before the option is added).
 */
export function addOptionsWithEnvironment(command: Command, options: Option[]): Command {
  for (const option of options) {
    if (option.long !== undefined && option.long !== '--config') option.env(envName(option.long))
    command.addOption(option)
  }
  return command
}

/**
 * Fills the options that neither a flag nor the environment set from the YAML file at `path`.
 * Unknown keys are refused, naming the key, so that a typo does not pass silently.
 */
export function applyConfigFile(command: Command, path: string): void {
  let config: unknown
  try {
    config = parse(readFileSync(path, 'utf8'))
  } catch (err) {
    throw new MeshError('CONFIG_INVALID', `cannot read the config file ${path}: ${errorMessage(err)}`)
  }
  if (config === null || config === undefined) return
  if (typeof config !== 'object' || Array.isArray(config)) throw new MeshError('CONFIG_INVALID', `${path} must hold a mapping of flag names to values`)
  const options = new Map((command.options as Option[]).filter((o) => o.long !== undefined).map((o) => [o.long!.slice(2), o]))
  for (const [key, value] of Object.entries(config)) {
    const option = options.get(key) ?? options.get(key.replace(/_/g, '-'))
    if (option === undefined || key === 'config') {
      throw new MeshError('CONFIG_INVALID', `${path}: unknown setting ${key}`, { fix: `settings are named as the flags of \`mesh ${command.name()} --help\`` })
    }
    const name = option.attributeName()
    const source = command.getOptionValueSource(name)
    if (source === 'cli' || source === 'env') continue
    const normalized = option.variadic ? (Array.isArray(value) ? value.map(String) : [String(value)])
      : option.isBoolean() || option.negate ? Boolean(value) : String(value)
    command.setOptionValueWithSource(name, normalized, 'config')
  }
}
