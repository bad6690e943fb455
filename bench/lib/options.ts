// A benchmark's numeric command-line option: `--name N`, a positive number, or the fallback.
export function positiveOption(args: string[], name: string, fallback: number): number {
  const at = args.indexOf(name)
  const value = at >= 0 ? Number(args[at + 1]) : fallback
  if (!(value > 0)) throw new Error(`${name} needs a positive number`)
  return value
}
