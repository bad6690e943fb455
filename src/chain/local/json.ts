// JSON that keeps bigints and bytes: a bigint travels as {"$bigint": "<decimal>"}, a Uint8Array as
// {"$bytes": "<hex>"} (state files and the wire).
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v === 'bigint') return { $bigint: v.toString() }
    if (v instanceof Uint8Array) return { $bytes: Buffer.from(v).toString('hex') }
    return v
  }, space)
}

export function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v)
      if (keys.length === 1 && keys[0] === '$bigint' && typeof v.$bigint === 'string' && /^-?\d+$/.test(v.$bigint)) return BigInt(v.$bigint)
      if (keys.length === 1 && keys[0] === '$bytes' && typeof v.$bytes === 'string' && /^([0-9a-f]{2})*$/.test(v.$bytes)) return new Uint8Array(Buffer.from(v.$bytes, 'hex'))
    }
    return v
  })
}
