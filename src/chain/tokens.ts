// Token amounts as people write them ("200", "0.5") and as the chain counts them (1e-18 units).
import { MeshError } from '../errors.js'
import { TOKEN } from './chain.js'

export function parseTokens(text: string, what = 'amount'): bigint {
  const match = /^(\d+)(?:\.(\d{1,18}))?$/.exec(text.trim())
  if (match === null) {
    throw new MeshError('USAGE', `${what} ${JSON.stringify(text)} is not a token amount`, { fix: 'write it in tokens, e.g. 200 or 0.5' })
  }
  return BigInt(match[1]!) * TOKEN + BigInt((match[2] ?? '').padEnd(18, '0'))
}

/** "200", "0.5", "1234.000001": exact, without trailing zeros. */
export function formatTokens(amount: bigint): string {
  const sign = amount < 0n ? '-' : ''
  const abs = amount < 0n ? -amount : amount
  const fraction = (abs % TOKEN).toString().padStart(18, '0').replace(/0+$/, '')
  return `${sign}${abs / TOKEN}${fraction === '' ? '' : `.${fraction}`}`
}
