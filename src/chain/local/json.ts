// JSON that keeps bigints: a bigint travels as {"$bigint": "<decimal>"} (state files and the wire).
export function toJson(value: unknown, space?: number): string {
  return JSON.stringify(value, (_key, v) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v), space)
}

export function fromJson(text: string): unknown {
  return JSON.parse(text, (_key, v) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v)
      if (keys.length === 1 && keys[0] === '$bigint' && typeof v.$bigint === 'string' && /^-?\d+$/.test(v.$bigint)) return BigInt(v.$bigint)
    }
    return v
  })
}
