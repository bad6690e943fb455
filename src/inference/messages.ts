// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ChatMessage {
  role: string
  content: string
}

export namespace ChatMessage {
  let _codec: Codec<ChatMessage>

  export const codec = (): Codec<ChatMessage> => {
    if (_codec == null) {
      _codec = message<ChatMessage>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.role != null && obj.role !== '')) {
          w.uint32(10)
          w.string(obj.role)
        }

        if ((obj.content != null && obj.content !== '')) {
          w.uint32(18)
          w.string(obj.content)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          role: '',
          content: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.role = reader.string()
              break
            }
            case 2: {
              obj.content = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.role`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.content`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface ChatMessageRoleFieldEvent {
    field: '$.role'
    value: string
  }

  export interface ChatMessageContentFieldEvent {
    field: '$.content'
    value: string
  }

  export function encode (obj: Partial<ChatMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): ChatMessage {
    return decodeMessage(buf, ChatMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): Generator<ChatMessageRoleFieldEvent | ChatMessageContentFieldEvent> {
    return streamMessage(buf, ChatMessage.codec(), opts)
  }
}

export interface GenerateRequest {
  model: string
  prompt?: string
  messages: ChatMessage[]
  maxTokens?: number
  temperature?: number
  topP?: number
  topK?: number
  seed?: number
  stop: string[]
  repeatPenalty?: number
  continueFrom?: string
}

export namespace GenerateRequest {
  let _codec: Codec<GenerateRequest>

  export const codec = (): Codec<GenerateRequest> => {
    if (_codec == null) {
      _codec = message<GenerateRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.model != null && obj.model !== '')) {
          w.uint32(10)
          w.string(obj.model)
        }

        if (obj.prompt != null) {
          w.uint32(18)
          w.string(obj.prompt)
        }

        if (obj.messages != null && obj.messages.length > 0) {
          for (const value of obj.messages) {
            w.uint32(26)
            ChatMessage.codec().encode(value, w)
          }
        }

        if (obj.maxTokens != null) {
          w.uint32(32)
          w.uint32(obj.maxTokens)
        }

        if (obj.temperature != null) {
          w.uint32(41)
          w.double(obj.temperature)
        }

        if (obj.topP != null) {
          w.uint32(49)
          w.double(obj.topP)
        }

        if (obj.topK != null) {
          w.uint32(56)
          w.uint32(obj.topK)
        }

        if (obj.seed != null) {
          w.uint32(64)
          w.int64Number(obj.seed)
        }

        if (obj.stop != null && obj.stop.length > 0) {
          for (const value of obj.stop) {
            w.uint32(74)
            w.string(value)
          }
        }

        if (obj.repeatPenalty != null) {
          w.uint32(81)
          w.double(obj.repeatPenalty)
        }

        if (obj.continueFrom != null) {
          w.uint32(90)
          w.string(obj.continueFrom)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          model: '',
          messages: [],
          stop: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.model = reader.string()
              break
            }
            case 2: {
              obj.prompt = reader.string()
              break
            }
            case 3: {
              if (opts.limits?.messages != null && obj.messages.length === opts.limits.messages) {
                throw new MaxLengthError('Decode error - repeated field "messages" had too many elements')
              }

              obj.messages.push(ChatMessage.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.messages$
              }))
              break
            }
            case 4: {
              obj.maxTokens = reader.uint32()
              break
            }
            case 5: {
              obj.temperature = reader.double()
              break
            }
            case 6: {
              obj.topP = reader.double()
              break
            }
            case 7: {
              obj.topK = reader.uint32()
              break
            }
            case 8: {
              obj.seed = reader.int64Number()
              break
            }
            case 9: {
              if (opts.limits?.stop != null && obj.stop.length === opts.limits.stop) {
                throw new MaxLengthError('Decode error - repeated field "stop" had too many elements')
              }

              obj.stop.push(reader.string())
              break
            }
            case 10: {
              obj.repeatPenalty = reader.double()
              break
            }
            case 11: {
              obj.continueFrom = reader.string()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          messages: 0,
          stop: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.model`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.prompt`,
                value: reader.string()
              }
              break
            }
            case 3: {
              if (opts.limits?.messages != null && obj.messages === opts.limits.messages) {
                throw new MaxLengthError('Streaming decode error - repeated field "messages" had too many elements')
              }

              for (const evt of ChatMessage.codec().stream(reader, reader.uint32(), `${prefix}.messages[]`, {
                limits: opts.limits?.messages$
              })) {
                yield {
                  ...evt,
                  index: obj.messages
                }
              }

              obj.messages++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.maxTokens`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.temperature`,
                value: reader.double()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.topP`,
                value: reader.double()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.topK`,
                value: reader.uint32()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.seed`,
                value: reader.int64Number()
              }
              break
            }
            case 9: {
              if (opts.limits?.stop != null && obj.stop === opts.limits.stop) {
                throw new MaxLengthError('Streaming decode error - repeated field "stop" had too many elements')
              }

              yield {
                field: `${prefix}.stop[]`,
                index: obj.stop,
                value: reader.string()
              }

              obj.stop++

              break
            }
            case 10: {
              yield {
                field: `${prefix}.repeatPenalty`,
                value: reader.double()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.continueFrom`,
                value: reader.string()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GenerateRequestModelFieldEvent {
    field: '$.model'
    value: string
  }

  export interface GenerateRequestPromptFieldEvent {
    field: '$.prompt'
    value: string
  }

  export interface GenerateRequestMessagesRoleFieldEvent {
    field: '$.messages[].role'
    value: string
    index: number
  }

  export interface GenerateRequestMessagesContentFieldEvent {
    field: '$.messages[].content'
    value: string
    index: number
  }

  export interface GenerateRequestMaxTokensFieldEvent {
    field: '$.maxTokens'
    value: number
  }

  export interface GenerateRequestTemperatureFieldEvent {
    field: '$.temperature'
    value: number
  }

  export interface GenerateRequestTopPFieldEvent {
    field: '$.topP'
    value: number
  }

  export interface GenerateRequestTopKFieldEvent {
    field: '$.topK'
    value: number
  }

  export interface GenerateRequestSeedFieldEvent {
    field: '$.seed'
    value: number
  }

  export interface GenerateRequestStopFieldEvent {
    field: '$.stop[]'
    index: number
    value: string
  }

  export interface GenerateRequestRepeatPenaltyFieldEvent {
    field: '$.repeatPenalty'
    value: number
  }

  export interface GenerateRequestContinueFromFieldEvent {
    field: '$.continueFrom'
    value: string
  }

  export function encode (obj: Partial<GenerateRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GenerateRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateRequest>): GenerateRequest {
    return decodeMessage(buf, GenerateRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateRequest>): Generator<GenerateRequestModelFieldEvent | GenerateRequestPromptFieldEvent | GenerateRequestMessagesRoleFieldEvent | GenerateRequestMessagesContentFieldEvent | GenerateRequestMaxTokensFieldEvent | GenerateRequestTemperatureFieldEvent | GenerateRequestTopPFieldEvent | GenerateRequestTopKFieldEvent | GenerateRequestSeedFieldEvent | GenerateRequestStopFieldEvent | GenerateRequestRepeatPenaltyFieldEvent | GenerateRequestContinueFromFieldEvent> {
    return streamMessage(buf, GenerateRequest.codec(), opts)
  }
}

export interface GenerateChunk {
  text: string
  tokens: number
  finish?: string
  promptTokens?: number
  completionTokens?: number
  transcript?: Uint8Array<ArrayBuffer>
  transcriptSignature?: Uint8Array<ArrayBuffer>
}

export namespace GenerateChunk {
  let _codec: Codec<GenerateChunk>

  export const codec = (): Codec<GenerateChunk> => {
    if (_codec == null) {
      _codec = message<GenerateChunk>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.text != null && obj.text !== '')) {
          w.uint32(10)
          w.string(obj.text)
        }

        if ((obj.tokens != null && obj.tokens !== 0)) {
          w.uint32(16)
          w.uint32(obj.tokens)
        }

        if (obj.finish != null) {
          w.uint32(26)
          w.string(obj.finish)
        }

        if (obj.promptTokens != null) {
          w.uint32(32)
          w.uint32(obj.promptTokens)
        }

        if (obj.completionTokens != null) {
          w.uint32(40)
          w.uint32(obj.completionTokens)
        }

        if (obj.transcript != null) {
          w.uint32(50)
          w.bytes(obj.transcript)
        }

        if (obj.transcriptSignature != null) {
          w.uint32(58)
          w.bytes(obj.transcriptSignature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          text: '',
          tokens: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.text = reader.string()
              break
            }
            case 2: {
              obj.tokens = reader.uint32()
              break
            }
            case 3: {
              obj.finish = reader.string()
              break
            }
            case 4: {
              obj.promptTokens = reader.uint32()
              break
            }
            case 5: {
              obj.completionTokens = reader.uint32()
              break
            }
            case 6: {
              obj.transcript = reader.bytes()
              break
            }
            case 7: {
              obj.transcriptSignature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.text`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.tokens`,
                value: reader.uint32()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.finish`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.promptTokens`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.completionTokens`,
                value: reader.uint32()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.transcript`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.transcriptSignature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface GenerateChunkTextFieldEvent {
    field: '$.text'
    value: string
  }

  export interface GenerateChunkTokensFieldEvent {
    field: '$.tokens'
    value: number
  }

  export interface GenerateChunkFinishFieldEvent {
    field: '$.finish'
    value: string
  }

  export interface GenerateChunkPromptTokensFieldEvent {
    field: '$.promptTokens'
    value: number
  }

  export interface GenerateChunkCompletionTokensFieldEvent {
    field: '$.completionTokens'
    value: number
  }

  export interface GenerateChunkTranscriptFieldEvent {
    field: '$.transcript'
    value: Uint8Array<ArrayBuffer>
  }

  export interface GenerateChunkTranscriptSignatureFieldEvent {
    field: '$.transcriptSignature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<GenerateChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GenerateChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): GenerateChunk {
    return decodeMessage(buf, GenerateChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): Generator<GenerateChunkTextFieldEvent | GenerateChunkTokensFieldEvent | GenerateChunkFinishFieldEvent | GenerateChunkPromptTokensFieldEvent | GenerateChunkCompletionTokensFieldEvent | GenerateChunkTranscriptFieldEvent | GenerateChunkTranscriptSignatureFieldEvent> {
    return streamMessage(buf, GenerateChunk.codec(), opts)
  }
}

export interface Transcript {
  domain: string
  model: string
  hoster: string
  timeMs: number
  promptTokens: number[]
  maxTokens: number
  temperature: number
  topP: number
  topK: number
  seed: number
  repeatPenalty: number
  outputTokens: number[]
  finish: string
  textSha256: Uint8Array<ArrayBuffer>
}

export namespace Transcript {
  let _codec: Codec<Transcript>

  export const codec = (): Codec<Transcript> => {
    if (_codec == null) {
      _codec = message<Transcript>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.domain != null && obj.domain !== '')) {
          w.uint32(10)
          w.string(obj.domain)
        }

        if ((obj.model != null && obj.model !== '')) {
          w.uint32(18)
          w.string(obj.model)
        }

        if ((obj.hoster != null && obj.hoster !== '')) {
          w.uint32(26)
          w.string(obj.hoster)
        }

        if ((obj.timeMs != null && obj.timeMs !== 0)) {
          w.uint32(32)
          w.uint64Number(obj.timeMs)
        }

        if (obj.promptTokens != null && obj.promptTokens.length > 0) {
          for (const value of obj.promptTokens) {
            w.uint32(40)
            w.uint32(value)
          }
        }

        if ((obj.maxTokens != null && obj.maxTokens !== 0)) {
          w.uint32(48)
          w.uint32(obj.maxTokens)
        }

        if ((obj.temperature != null && obj.temperature !== 0)) {
          w.uint32(57)
          w.double(obj.temperature)
        }

        if ((obj.topP != null && obj.topP !== 0)) {
          w.uint32(65)
          w.double(obj.topP)
        }

        if ((obj.topK != null && obj.topK !== 0)) {
          w.uint32(72)
          w.uint32(obj.topK)
        }

        if ((obj.seed != null && obj.seed !== 0)) {
          w.uint32(80)
          w.uint32(obj.seed)
        }

        if ((obj.repeatPenalty != null && obj.repeatPenalty !== 0)) {
          w.uint32(89)
          w.double(obj.repeatPenalty)
        }

        if (obj.outputTokens != null && obj.outputTokens.length > 0) {
          for (const value of obj.outputTokens) {
            w.uint32(96)
            w.uint32(value)
          }
        }

        if ((obj.finish != null && obj.finish !== '')) {
          w.uint32(106)
          w.string(obj.finish)
        }

        if ((obj.textSha256 != null && obj.textSha256.byteLength > 0)) {
          w.uint32(114)
          w.bytes(obj.textSha256)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          domain: '',
          model: '',
          hoster: '',
          timeMs: 0,
          promptTokens: [],
          maxTokens: 0,
          temperature: 0,
          topP: 0,
          topK: 0,
          seed: 0,
          repeatPenalty: 0,
          outputTokens: [],
          finish: '',
          textSha256: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.domain = reader.string()
              break
            }
            case 2: {
              obj.model = reader.string()
              break
            }
            case 3: {
              obj.hoster = reader.string()
              break
            }
            case 4: {
              obj.timeMs = reader.uint64Number()
              break
            }
            case 5: {
              if (opts.limits?.promptTokens != null && obj.promptTokens.length === opts.limits.promptTokens) {
                throw new MaxLengthError('Decode error - repeated field "promptTokens" had too many elements')
              }

              obj.promptTokens.push(reader.uint32())
              break
            }
            case 6: {
              obj.maxTokens = reader.uint32()
              break
            }
            case 7: {
              obj.temperature = reader.double()
              break
            }
            case 8: {
              obj.topP = reader.double()
              break
            }
            case 9: {
              obj.topK = reader.uint32()
              break
            }
            case 10: {
              obj.seed = reader.uint32()
              break
            }
            case 11: {
              obj.repeatPenalty = reader.double()
              break
            }
            case 12: {
              if (opts.limits?.outputTokens != null && obj.outputTokens.length === opts.limits.outputTokens) {
                throw new MaxLengthError('Decode error - repeated field "outputTokens" had too many elements')
              }

              obj.outputTokens.push(reader.uint32())
              break
            }
            case 13: {
              obj.finish = reader.string()
              break
            }
            case 14: {
              obj.textSha256 = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          promptTokens: 0,
          outputTokens: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.domain`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.model`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.hoster`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.timeMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 5: {
              if (opts.limits?.promptTokens != null && obj.promptTokens === opts.limits.promptTokens) {
                throw new MaxLengthError('Streaming decode error - repeated field "promptTokens" had too many elements')
              }

              yield {
                field: `${prefix}.promptTokens[]`,
                index: obj.promptTokens,
                value: reader.uint32()
              }

              obj.promptTokens++

              break
            }
            case 6: {
              yield {
                field: `${prefix}.maxTokens`,
                value: reader.uint32()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.temperature`,
                value: reader.double()
              }
              break
            }
            case 8: {
              yield {
                field: `${prefix}.topP`,
                value: reader.double()
              }
              break
            }
            case 9: {
              yield {
                field: `${prefix}.topK`,
                value: reader.uint32()
              }
              break
            }
            case 10: {
              yield {
                field: `${prefix}.seed`,
                value: reader.uint32()
              }
              break
            }
            case 11: {
              yield {
                field: `${prefix}.repeatPenalty`,
                value: reader.double()
              }
              break
            }
            case 12: {
              if (opts.limits?.outputTokens != null && obj.outputTokens === opts.limits.outputTokens) {
                throw new MaxLengthError('Streaming decode error - repeated field "outputTokens" had too many elements')
              }

              yield {
                field: `${prefix}.outputTokens[]`,
                index: obj.outputTokens,
                value: reader.uint32()
              }

              obj.outputTokens++

              break
            }
            case 13: {
              yield {
                field: `${prefix}.finish`,
                value: reader.string()
              }
              break
            }
            case 14: {
              yield {
                field: `${prefix}.textSha256`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface TranscriptDomainFieldEvent {
    field: '$.domain'
    value: string
  }

  export interface TranscriptModelFieldEvent {
    field: '$.model'
    value: string
  }

  export interface TranscriptHosterFieldEvent {
    field: '$.hoster'
    value: string
  }

  export interface TranscriptTimeMsFieldEvent {
    field: '$.timeMs'
    value: number
  }

  export interface TranscriptPromptTokensFieldEvent {
    field: '$.promptTokens[]'
    index: number
    value: number
  }

  export interface TranscriptMaxTokensFieldEvent {
    field: '$.maxTokens'
    value: number
  }

  export interface TranscriptTemperatureFieldEvent {
    field: '$.temperature'
    value: number
  }

  export interface TranscriptTopPFieldEvent {
    field: '$.topP'
    value: number
  }

  export interface TranscriptTopKFieldEvent {
    field: '$.topK'
    value: number
  }

  export interface TranscriptSeedFieldEvent {
    field: '$.seed'
    value: number
  }

  export interface TranscriptRepeatPenaltyFieldEvent {
    field: '$.repeatPenalty'
    value: number
  }

  export interface TranscriptOutputTokensFieldEvent {
    field: '$.outputTokens[]'
    index: number
    value: number
  }

  export interface TranscriptFinishFieldEvent {
    field: '$.finish'
    value: string
  }

  export interface TranscriptTextSha256FieldEvent {
    field: '$.textSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Transcript>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Transcript.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Transcript>): Transcript {
    return decodeMessage(buf, Transcript.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Transcript>): Generator<TranscriptDomainFieldEvent | TranscriptModelFieldEvent | TranscriptHosterFieldEvent | TranscriptTimeMsFieldEvent | TranscriptPromptTokensFieldEvent | TranscriptMaxTokensFieldEvent | TranscriptTemperatureFieldEvent | TranscriptTopPFieldEvent | TranscriptTopKFieldEvent | TranscriptSeedFieldEvent | TranscriptRepeatPenaltyFieldEvent | TranscriptOutputTokensFieldEvent | TranscriptFinishFieldEvent | TranscriptTextSha256FieldEvent> {
    return streamMessage(buf, Transcript.codec(), opts)
  }
}

export interface SignedTranscript {
  transcript: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedTranscript {
  let _codec: Codec<SignedTranscript>

  export const codec = (): Codec<SignedTranscript> => {
    if (_codec == null) {
      _codec = message<SignedTranscript>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.transcript != null && obj.transcript.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.transcript)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          transcript: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.transcript = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.transcript`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedTranscriptTranscriptFieldEvent {
    field: '$.transcript'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedTranscriptSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedTranscript>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedTranscript.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedTranscript>): SignedTranscript {
    return decodeMessage(buf, SignedTranscript.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedTranscript>): Generator<SignedTranscriptTranscriptFieldEvent | SignedTranscriptSignatureFieldEvent> {
    return streamMessage(buf, SignedTranscript.codec(), opts)
  }
}

export interface AuditReport {
  domain: string
  transcriptSha256: Uint8Array<ArrayBuffer>
  auditor: string
  hoster: string
  model: string
  timeMs: number
  ranks: number[]
  logprobs: number[]
  sampledSame: boolean[]
}

export namespace AuditReport {
  let _codec: Codec<AuditReport>

  export const codec = (): Codec<AuditReport> => {
    if (_codec == null) {
      _codec = message<AuditReport>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.domain != null && obj.domain !== '')) {
          w.uint32(10)
          w.string(obj.domain)
        }

        if ((obj.transcriptSha256 != null && obj.transcriptSha256.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.transcriptSha256)
        }

        if ((obj.auditor != null && obj.auditor !== '')) {
          w.uint32(26)
          w.string(obj.auditor)
        }

        if ((obj.hoster != null && obj.hoster !== '')) {
          w.uint32(34)
          w.string(obj.hoster)
        }

        if ((obj.model != null && obj.model !== '')) {
          w.uint32(42)
          w.string(obj.model)
        }

        if ((obj.timeMs != null && obj.timeMs !== 0)) {
          w.uint32(48)
          w.uint64Number(obj.timeMs)
        }

        if (obj.ranks != null && obj.ranks.length > 0) {
          for (const value of obj.ranks) {
            w.uint32(56)
            w.uint32(value)
          }
        }

        if (obj.logprobs != null && obj.logprobs.length > 0) {
          for (const value of obj.logprobs) {
            w.uint32(65)
            w.double(value)
          }
        }

        if (obj.sampledSame != null && obj.sampledSame.length > 0) {
          for (const value of obj.sampledSame) {
            w.uint32(72)
            w.bool(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          domain: '',
          transcriptSha256: uint8ArrayAlloc(0),
          auditor: '',
          hoster: '',
          model: '',
          timeMs: 0,
          ranks: [],
          logprobs: [],
          sampledSame: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.domain = reader.string()
              break
            }
            case 2: {
              obj.transcriptSha256 = reader.bytes()
              break
            }
            case 3: {
              obj.auditor = reader.string()
              break
            }
            case 4: {
              obj.hoster = reader.string()
              break
            }
            case 5: {
              obj.model = reader.string()
              break
            }
            case 6: {
              obj.timeMs = reader.uint64Number()
              break
            }
            case 7: {
              if (opts.limits?.ranks != null && obj.ranks.length === opts.limits.ranks) {
                throw new MaxLengthError('Decode error - repeated field "ranks" had too many elements')
              }

              obj.ranks.push(reader.uint32())
              break
            }
            case 8: {
              if (opts.limits?.logprobs != null && obj.logprobs.length === opts.limits.logprobs) {
                throw new MaxLengthError('Decode error - repeated field "logprobs" had too many elements')
              }

              obj.logprobs.push(reader.double())
              break
            }
            case 9: {
              if (opts.limits?.sampledSame != null && obj.sampledSame.length === opts.limits.sampledSame) {
                throw new MaxLengthError('Decode error - repeated field "sampledSame" had too many elements')
              }

              obj.sampledSame.push(reader.bool())
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          ranks: 0,
          logprobs: 0,
          sampledSame: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.domain`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.transcriptSha256`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.auditor`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.hoster`,
                value: reader.string()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.model`,
                value: reader.string()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.timeMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 7: {
              if (opts.limits?.ranks != null && obj.ranks === opts.limits.ranks) {
                throw new MaxLengthError('Streaming decode error - repeated field "ranks" had too many elements')
              }

              yield {
                field: `${prefix}.ranks[]`,
                index: obj.ranks,
                value: reader.uint32()
              }

              obj.ranks++

              break
            }
            case 8: {
              if (opts.limits?.logprobs != null && obj.logprobs === opts.limits.logprobs) {
                throw new MaxLengthError('Streaming decode error - repeated field "logprobs" had too many elements')
              }

              yield {
                field: `${prefix}.logprobs[]`,
                index: obj.logprobs,
                value: reader.double()
              }

              obj.logprobs++

              break
            }
            case 9: {
              if (opts.limits?.sampledSame != null && obj.sampledSame === opts.limits.sampledSame) {
                throw new MaxLengthError('Streaming decode error - repeated field "sampledSame" had too many elements')
              }

              yield {
                field: `${prefix}.sampledSame[]`,
                index: obj.sampledSame,
                value: reader.bool()
              }

              obj.sampledSame++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AuditReportDomainFieldEvent {
    field: '$.domain'
    value: string
  }

  export interface AuditReportTranscriptSha256FieldEvent {
    field: '$.transcriptSha256'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditReportAuditorFieldEvent {
    field: '$.auditor'
    value: string
  }

  export interface AuditReportHosterFieldEvent {
    field: '$.hoster'
    value: string
  }

  export interface AuditReportModelFieldEvent {
    field: '$.model'
    value: string
  }

  export interface AuditReportTimeMsFieldEvent {
    field: '$.timeMs'
    value: number
  }

  export interface AuditReportRanksFieldEvent {
    field: '$.ranks[]'
    index: number
    value: number
  }

  export interface AuditReportLogprobsFieldEvent {
    field: '$.logprobs[]'
    index: number
    value: number
  }

  export interface AuditReportSampledSameFieldEvent {
    field: '$.sampledSame[]'
    index: number
    value: boolean
  }

  export function encode (obj: Partial<AuditReport>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AuditReport.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditReport>): AuditReport {
    return decodeMessage(buf, AuditReport.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditReport>): Generator<AuditReportDomainFieldEvent | AuditReportTranscriptSha256FieldEvent | AuditReportAuditorFieldEvent | AuditReportHosterFieldEvent | AuditReportModelFieldEvent | AuditReportTimeMsFieldEvent | AuditReportRanksFieldEvent | AuditReportLogprobsFieldEvent | AuditReportSampledSameFieldEvent> {
    return streamMessage(buf, AuditReport.codec(), opts)
  }
}

export interface SignedAuditReport {
  report: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedAuditReport {
  let _codec: Codec<SignedAuditReport>

  export const codec = (): Codec<SignedAuditReport> => {
    if (_codec == null) {
      _codec = message<SignedAuditReport>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.report != null && obj.report.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.report)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          report: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.report = reader.bytes()
              break
            }
            case 2: {
              obj.signature = reader.bytes()
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.report`,
                value: reader.bytes()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.signature`,
                value: reader.bytes()
              }
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface SignedAuditReportReportFieldEvent {
    field: '$.report'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedAuditReportSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedAuditReport>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedAuditReport.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedAuditReport>): SignedAuditReport {
    return decodeMessage(buf, SignedAuditReport.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedAuditReport>): Generator<SignedAuditReportReportFieldEvent | SignedAuditReportSignatureFieldEvent> {
    return streamMessage(buf, SignedAuditReport.codec(), opts)
  }
}

export interface AuditEvidence {
  transcript?: SignedTranscript
  report?: SignedAuditReport
}

export namespace AuditEvidence {
  let _codec: Codec<AuditEvidence>

  export const codec = (): Codec<AuditEvidence> => {
    if (_codec == null) {
      _codec = message<AuditEvidence>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.transcript != null) {
          w.uint32(10)
          SignedTranscript.codec().encode(obj.transcript, w)
        }

        if (obj.report != null) {
          w.uint32(18)
          SignedAuditReport.codec().encode(obj.report, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {}

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.transcript = SignedTranscript.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.transcript
              })
              break
            }
            case 2: {
              obj.report = SignedAuditReport.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.report
              })
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield * SignedTranscript.codec().stream(reader, reader.uint32(), `${prefix}.transcript`, {
                limits: opts.limits?.transcript
              })

              break
            }
            case 2: {
              yield * SignedAuditReport.codec().stream(reader, reader.uint32(), `${prefix}.report`, {
                limits: opts.limits?.report
              })

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AuditEvidenceTranscriptTranscriptFieldEvent {
    field: '$.transcript.transcript'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditEvidenceTranscriptSignatureFieldEvent {
    field: '$.transcript.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditEvidenceReportReportFieldEvent {
    field: '$.report.report'
    value: Uint8Array<ArrayBuffer>
  }

  export interface AuditEvidenceReportSignatureFieldEvent {
    field: '$.report.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<AuditEvidence>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AuditEvidence.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditEvidence>): AuditEvidence {
    return decodeMessage(buf, AuditEvidence.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditEvidence>): Generator<AuditEvidenceTranscriptTranscriptFieldEvent | AuditEvidenceTranscriptSignatureFieldEvent | AuditEvidenceReportReportFieldEvent | AuditEvidenceReportSignatureFieldEvent> {
    return streamMessage(buf, AuditEvidence.codec(), opts)
  }
}

export interface AuditRecord {
  evidence: AuditEvidence[]
}

export namespace AuditRecord {
  let _codec: Codec<AuditRecord>

  export const codec = (): Codec<AuditRecord> => {
    if (_codec == null) {
      _codec = message<AuditRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.evidence != null && obj.evidence.length > 0) {
          for (const value of obj.evidence) {
            w.uint32(10)
            AuditEvidence.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          evidence: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.evidence != null && obj.evidence.length === opts.limits.evidence) {
                throw new MaxLengthError('Decode error - repeated field "evidence" had too many elements')
              }

              obj.evidence.push(AuditEvidence.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.evidence$
              }))
              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }

        return obj
      }, function * (reader, length, prefix, opts = {}) {
        const obj = {
          evidence: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.evidence != null && obj.evidence === opts.limits.evidence) {
                throw new MaxLengthError('Streaming decode error - repeated field "evidence" had too many elements')
              }

              for (const evt of AuditEvidence.codec().stream(reader, reader.uint32(), `${prefix}.evidence[]`, {
                limits: opts.limits?.evidence$
              })) {
                yield {
                  ...evt,
                  index: obj.evidence
                }
              }

              obj.evidence++

              break
            }
            default: {
              reader.skipType(tag & 7)
              break
            }
          }
        }
      })
    }

    return _codec
  }

  export interface AuditRecordEvidenceTranscriptTranscriptFieldEvent {
    field: '$.evidence[].transcript.transcript'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AuditRecordEvidenceTranscriptSignatureFieldEvent {
    field: '$.evidence[].transcript.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AuditRecordEvidenceReportReportFieldEvent {
    field: '$.evidence[].report.report'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface AuditRecordEvidenceReportSignatureFieldEvent {
    field: '$.evidence[].report.signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<AuditRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, AuditRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditRecord>): AuditRecord {
    return decodeMessage(buf, AuditRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<AuditRecord>): Generator<AuditRecordEvidenceTranscriptTranscriptFieldEvent | AuditRecordEvidenceTranscriptSignatureFieldEvent | AuditRecordEvidenceReportReportFieldEvent | AuditRecordEvidenceReportSignatureFieldEvent> {
    return streamMessage(buf, AuditRecord.codec(), opts)
  }
}
