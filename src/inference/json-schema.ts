// JSON Schemas (OpenAI's response_format and tool parameters) as node-llama-cpp grammar schemas.
// A grammar can enforce only part of JSON Schema; a keyword it cannot enforce is refused, with
// the path of the schema it is in, rather than left for the model to disobey. The gateway checks
// a request with it (a 400 naming the field) and the hoster again before it builds the grammar.
import type { GbnfJsonSchema } from 'node-llama-cpp'
import { InferenceError } from './errors.js'

/** Keywords that describe and do not constrain: dropped. */
const ANNOTATIONS = new Set(['description', 'title', '$comment', 'examples', 'default', '$schema', '$id', 'deprecated', 'readOnly', 'writeOnly'])
const SCALAR_TYPES = new Set(['string', 'number', 'integer', 'boolean', 'null'])
const FORMATS = new Set(['date-time', 'time', 'date'])
const MAX_DEPTH = 32
/** A grammar's size grows with the schema: a bound on what a caller may make a hoster compile. */
export const MAX_SCHEMA_BYTES = 64 * 1024

/** Any JSON object: response_format json_object. */
export const ANY_OBJECT: GbnfJsonSchema = { type: 'object', additionalProperties: true }
/** Any JSON value (the schema `{}` or `true`). */
const ANY_VALUE: GbnfJsonSchema = { oneOf: [{ type: ['string', 'number', 'boolean', 'null'] }, ANY_OBJECT, { type: 'array' }] }

type Json = Record<string, unknown>

function refuse(path: string, message: string): never {
  throw new InferenceError('INVALID_REQUEST', `${path}: ${message}`, { fix: 'use only what a grammar can enforce: type, properties, required, additionalProperties, items, prefixItems, minItems, maxItems, enum, const, anyOf/oneOf, $defs/$ref, minLength, maxLength, format date-time/time/date' })
}

function count(value: unknown, path: string): number | undefined {
  if (value === undefined) return undefined
  if (!Number.isInteger(value) || (value as number) < 0) refuse(path, 'must be a non-negative integer')
  return value as number
}

/** `schema` as a grammar schema; throws INVALID_REQUEST naming the first part (by `path`) a grammar cannot enforce. */
export function grammarSchema(schema: unknown, path: string): GbnfJsonSchema {
  if (JSON.stringify(schema ?? null).length > MAX_SCHEMA_BYTES) refuse(path, `the schema is over ${MAX_SCHEMA_BYTES} bytes`)
  const out = convert(schema, path, 0)
  // node-llama-cpp turns a reference it cannot resolve into "any value": refused here instead.
  const names = new Set<string>()
  const refs: string[] = []
  walk(out, (node) => {
    for (const name of Object.keys((node.$defs ?? {}) as Json)) names.add(name)
    if (typeof node.$ref === 'string') refs.push(node.$ref.slice('#/$defs/'.length))
  })
  const missing = refs.find((name) => !names.has(name))
  if (missing !== undefined) refuse(path, `#/$defs/${missing} is referenced but not defined`)
  return out
}

function walk(value: unknown, visit: (node: Json) => void): void {
  if (Array.isArray(value)) for (const item of value) walk(item, visit)
  else if (typeof value === 'object' && value !== null) {
    visit(value as Json)
    for (const item of Object.values(value)) walk(item, visit)
  }
}

function convert(schema: unknown, path: string, depth: number): GbnfJsonSchema {
  if (depth > MAX_DEPTH) refuse(path, `nested deeper than ${MAX_DEPTH}`)
  if (schema === true) return ANY_VALUE
  if (typeof schema !== 'object' || schema === null || Array.isArray(schema)) refuse(path, 'a schema must be an object')
  const s = schema as Json
  const out: Record<string, unknown> = {}
  let defs: Record<string, GbnfJsonSchema> | undefined
  for (const [key, value] of Object.entries(s)) {
    const at = `${path}.${key}`
    if (ANNOTATIONS.has(key)) continue
    switch (key) {
      case 'type':
        if (typeof value === 'string' && (SCALAR_TYPES.has(value) || value === 'object' || value === 'array')) out.type = value
        else if (Array.isArray(value) && value.length > 0 && value.every((t) => typeof t === 'string' && SCALAR_TYPES.has(t))) out.type = value
        else refuse(at, 'must be one of string, number, integer, boolean, null, object, array (or a list of the first five)')
        break
      case 'properties':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(at, 'must be an object')
        out.properties = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, convert(sub, `${at}.${name}`, depth + 1)]))
        break
      case 'required':
        // The grammar writes every property, which meets any list of required ones.
        if (!Array.isArray(value) || !value.every((v) => typeof v === 'string')) refuse(at, 'must be a list of property names')
        break
      case 'additionalProperties':
        out.additionalProperties = typeof value === 'boolean' ? value : convert(value, at, depth + 1)
        break
      case 'items':
        out.items = convert(value, at, depth + 1)
        break
      case 'prefixItems':
        if (!Array.isArray(value)) refuse(at, 'must be a list of schemas')
        out.prefixItems = value.map((item, i) => convert(item, `${at}[${i}]`, depth + 1))
        break
      case 'minItems': case 'maxItems': case 'minLength': case 'maxLength': case 'minProperties': case 'maxProperties':
        out[key] = count(value, at)
        break
      case 'enum':
        if (!Array.isArray(value) || value.length === 0 || !value.every(isScalar)) refuse(at, 'must be a non-empty list of strings, numbers, booleans or null')
        out.enum = value
        break
      case 'const':
        if (!isScalar(value)) refuse(at, 'must be a string, number, boolean or null')
        out.const = value
        break
      case 'anyOf': case 'oneOf':
        if (!Array.isArray(value) || value.length === 0) refuse(at, 'must be a non-empty list of schemas')
        out.oneOf = value.map((item, i) => convert(item, `${at}[${i}]`, depth + 1))
        break
      case 'format':
        if (typeof value !== 'string' || !FORMATS.has(value)) refuse(at, 'only date-time, time and date can be enforced')
        out.format = value
        break
      case '$defs':
        if (typeof value !== 'object' || value === null || Array.isArray(value)) refuse(at, 'must be an object')
        defs = Object.fromEntries(Object.entries(value as Json).map(([name, sub]) => [name, convert(sub, `${at}.${name}`, depth + 1)]))
        break
      case '$ref':
        if (typeof value !== 'string' || !value.startsWith('#/$defs/')) refuse(at, 'only references to #/$defs/<name> can be enforced')
        out.$ref = value
        break
      default:
        refuse(at, `the keyword ${JSON.stringify(key)} cannot be enforced by a grammar`)
    }
  }
  if (defs !== undefined) out.$defs = defs
  return shape(out, path)
}

/** Checks that the keywords kept make one schema node-llama-cpp understands; `{}` means any value. */
function shape(out: Record<string, unknown>, path: string): GbnfJsonSchema {
  // {type: 'string', enum: [...]}, as most schemas write it: the values say it all, once they are of the type.
  const values = 'enum' in out ? out.enum as unknown[] : 'const' in out ? [out.const] : undefined
  if (values !== undefined && 'type' in out) {
    const types = ([] as unknown[]).concat(out.type)
    const wrong = values.find((v) => !types.some((t) => ofType(v, t)))
    if (wrong !== undefined) refuse(path, `${JSON.stringify(wrong)} is not of type ${types.join(' or ')}`)
    delete out.type
  }
  const kinds = ['$ref', 'oneOf', 'const', 'enum'].filter((k) => k in out)
  if (kinds.length > 1 || (kinds.length === 1 && 'type' in out)) refuse(path, `${[...kinds, ...('type' in out ? ['type'] : [])].join(' and ')} together cannot be enforced: use one`)
  if (kinds.length === 0 && !('type' in out)) {
    if (Object.keys(out).some((k) => k !== '$defs')) refuse(path, 'a schema with these keywords needs a type')
    return ANY_VALUE
  }
  const type = out.type
  const allowed: Record<string, string[]> = {
    object: ['properties', 'additionalProperties', 'minProperties', 'maxProperties'],
    array: ['items', 'prefixItems', 'minItems', 'maxItems'],
    string: ['minLength', 'maxLength', 'format'],
  }
  const own = typeof type === 'string' ? allowed[type] ?? [] : []
  for (const key of Object.keys(out)) {
    if (key === 'type' || key === '$defs' || kinds.includes(key)) continue
    if (!own.includes(key)) refuse(`${path}.${key}`, `does not apply to ${Array.isArray(type) ? 'a list of types' : `type ${String(type ?? kinds[0])}`}`)
  }
  if ('format' in out && ('minLength' in out || 'maxLength' in out)) refuse(`${path}.format`, 'cannot be enforced together with minLength/maxLength')
  return out as GbnfJsonSchema
}

function ofType(value: unknown, type: unknown): boolean {
  switch (type) {
    case 'string': return typeof value === 'string'
    case 'number': return typeof value === 'number'
    case 'integer': return Number.isInteger(value)
    case 'boolean': return typeof value === 'boolean'
    case 'null': return value === null
    default: return false
  }
}

function isScalar(value: unknown): boolean {
  return value === null || typeof value === 'string' || typeof value === 'boolean' || (typeof value === 'number' && Number.isFinite(value))
}
