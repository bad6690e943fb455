// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
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

  export function encode (obj: Partial<GenerateChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GenerateChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): GenerateChunk {
    return decodeMessage(buf, GenerateChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): Generator<GenerateChunkTextFieldEvent | GenerateChunkTokensFieldEvent | GenerateChunkFinishFieldEvent | GenerateChunkPromptTokensFieldEvent | GenerateChunkCompletionTokensFieldEvent> {
    return streamMessage(buf, GenerateChunk.codec(), opts)
  }
}
