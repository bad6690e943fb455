// Structured logging: one line an event, with a level, the component and key=value fields.
// MESH_LOG_LEVEL = debug | info | warn | error | silent (default info);
// MESH_LOG_FORMAT = text | json (default text). Lines go to stderr so stdout stays for results.

export type LogLevel = 'debug' | 'info' | 'warn' | 'error' | 'silent'
export type LogFields = Record<string, unknown>

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40, silent: 100 }

export interface Logger {
  readonly name: string
  debug(msg: string, fields?: LogFields): void
  info(msg: string, fields?: LogFields): void
  warn(msg: string, fields?: LogFields): void
  error(msg: string, fields?: LogFields): void
  child(name: string): Logger
}

export interface LogSink { write(line: string): void }

interface LogConfig { level: LogLevel; format: 'text' | 'json'; sink: LogSink }

function parseLevel(value: string | undefined): LogLevel {
  return value !== undefined && value in RANK ? (value as LogLevel) : 'info'
}

const config: LogConfig = {
  level: parseLevel(process.env.MESH_LOG_LEVEL),
  format: process.env.MESH_LOG_FORMAT === 'json' ? 'json' : 'text',
  sink: { write: (line) => process.stderr.write(line + '\n') },
}

/** Changes the process-wide log settings (the CLI's --log-level, tests that capture lines). */
export function configureLogging(options: Partial<LogConfig>): void {
  Object.assign(config, options)
}

export function logLevel(): LogLevel {
  return config.level
}

function formatValue(value: unknown): string {
  if (value instanceof Error) return JSON.stringify(value.message)
  if (typeof value === 'bigint') return value.toString()
  if (typeof value === 'string') return /^[^\s"=]+$/.test(value) ? value : JSON.stringify(value)
  if (value instanceof Uint8Array) return `<${value.length} bytes>`
  return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v)) ?? 'undefined'
}

function emit(level: Exclude<LogLevel, 'silent'>, name: string, msg: string, fields: LogFields | undefined): void {
  if (RANK[level] < RANK[config.level]) return
  const time = new Date().toISOString()
  if (config.format === 'json') {
    const record: LogFields = { time, level, component: name, msg, ...fields }
    config.sink.write(JSON.stringify(record, (_k, v) => (typeof v === 'bigint' ? v.toString() : v instanceof Error ? v.message : v)))
    return
  }
  let line = `${time} ${level.toUpperCase().padEnd(5)} ${name}: ${msg}`
  if (fields !== undefined) {
    for (const [key, value] of Object.entries(fields)) {
      if (value !== undefined) line += ` ${key}=${formatValue(value)}`
    }
  }
  config.sink.write(line)
}

/** A logger named by its component's path, e.g. `rpc:server` or `consensus:hoster`. */
export function logger(name: string): Logger {
  return {
    name,
    debug: (msg, fields) => emit('debug', name, msg, fields),
    info: (msg, fields) => emit('info', name, msg, fields),
    warn: (msg, fields) => emit('warn', name, msg, fields),
    error: (msg, fields) => emit('error', name, msg, fields),
    child: (sub) => logger(`${name}:${sub}`),
  }
}
