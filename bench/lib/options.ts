// A benchmark's command-line options.

/** `--name N`: a positive number, or the fallback. */
export function positiveOption(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name)
  const value = at >= 0 ? Number(args[at + 1]) : fallback
  if (!(value > 0)) throw new Error(`${name} needs a positive number`)
  return value
}

/** `--name value`, one of `choices`, or the fallback. */
export function choice<T extends string>(args: string[], name: string, choices: readonly T[], fallback: T): T {
  const at = args.indexOf(`--${name}`)
  if (at < 0) return fallback
  const value = args[at + 1] as T
  if (!choices.includes(value)) throw new Error(`--${name} takes one of ${choices.join(', ')}`)
  return value
}
