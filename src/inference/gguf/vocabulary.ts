// A SentencePiece-style (llama.cpp "llama" tokenizer) vocabulary for test models: the three
// specials, the 256 byte-fallback tokens, printable characters, common English words with every
// prefix (so the merges can reach them), letter pairs and triples, and the chat markers.

/** llama.cpp token types. */
export enum TokenType {
  Normal = 1,
  Unknown = 2,
  Control = 3,
  UserDefined = 4,
  Byte = 6,
}

export interface Vocabulary {
  tokens: string[]
  scores: number[]
  types: TokenType[]
  bos: number
  eos: number
  unk: number
}

export const CHAT_MARKERS = ['<|system|>', '<|user|>', '<|assistant|>']

const WORDS = [
  'the', 'a', 'and', 'of', 'to', 'in', 'is', 'you', 'that', 'it', 'he', 'was', 'for', 'on', 'are', 'as', 'with',
  'his', 'they', 'I', 'at', 'be', 'this', 'have', 'from', 'or', 'one', 'had', 'by', 'word', 'but', 'not', 'what',
  'all', 'were', 'we', 'when', 'your', 'can', 'said', 'hello', 'world', 'model', 'token', 'node', 'llama', 'mesh',
  'Hello', 'The', 'What', 'How', 'network', 'open', 'chain', 'answer', 'question',
]
const SPACE = '\u2581' // "▁", SentencePiece's word boundary

/** A vocabulary of exactly `size` tokens (at least the base set; filled with letter n-grams). */
export function buildVocabulary(size?: number): Vocabulary {
  const tokens = ['<unk>', '<s>', '</s>']
  const types = [TokenType.Unknown, TokenType.Control, TokenType.Control]
  for (let b = 0; b < 256; b++) {
    tokens.push(`<0x${b.toString(16).toUpperCase().padStart(2, '0')}>`)
    types.push(TokenType.Byte)
  }
  const seen = new Set(tokens)
  const pieces: string[] = [SPACE]
  for (let c = 33; c < 127; c++) pieces.push(String.fromCharCode(c))
  for (const word of WORDS) {
    const spaced = SPACE + word
    for (let k = 2; k <= spaced.length; k++) pieces.push(spaced.slice(0, k))
    for (let k = 2; k <= word.length; k++) pieces.push(word.slice(0, k))
  }
  const normal: string[] = []
  const add = (piece: string): void => {
    if (!seen.has(piece)) {
      seen.add(piece)
      normal.push(piece)
    }
  }
  pieces.forEach(add)
  const fixed = tokens.length + CHAT_MARKERS.length
  const target = size ?? fixed + normal.length
  if (target < fixed + normal.length) throw new RangeError(`a test vocabulary has at least ${fixed + normal.length} tokens, not ${target}`)
  // Letter pairs, then triples, each with and without the word boundary: reachable by merges
  // because every shorter piece comes first (and scores higher).
  const letters = 'etaoinshrdlcumwfgypbvkjxqz'
  outer: for (const n of [2, 3, 4]) {
    for (const gram of ngrams(letters, n)) {
      if (fixed + normal.length >= target) break outer
      add(SPACE + gram)
      if (fixed + normal.length >= target) break outer
      add(gram)
    }
  }
  if (fixed + normal.length !== target) throw new RangeError(`a test vocabulary has at most ${fixed + normal.length} tokens, not ${target}`)
  const scores = new Array<number>(tokens.length).fill(0)
  normal.forEach((piece, i) => {
    tokens.push(piece)
    types.push(TokenType.Normal)
    scores.push(-(i + 1))
  })
  for (const marker of CHAT_MARKERS) {
    tokens.push(marker)
    types.push(TokenType.UserDefined)
    scores.push(0)
  }
  return { tokens, scores, types, bos: 1, eos: 2, unk: 0 }
}

function* ngrams(letters: string, n: number): Generator<string> {
  if (n === 1) {
    yield* letters
    return
  }
  for (const head of letters) for (const tail of ngrams(letters, n - 1)) yield head + tail
}
