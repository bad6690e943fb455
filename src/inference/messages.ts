// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface ChatMessage {
  role: string
  content: string
  toolCalls: ToolCall[]
  toolCallId?: string
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

        if (obj.toolCalls != null && obj.toolCalls.length > 0) {
          for (const value of obj.toolCalls) {
            w.uint32(26)
            ToolCall.codec().encode(value, w)
          }
        }

        if (obj.toolCallId != null) {
          w.uint32(34)
          w.string(obj.toolCallId)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          role: '',
          content: '',
          toolCalls: []
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
            case 3: {
              if (opts.limits?.toolCalls != null && obj.toolCalls.length === opts.limits.toolCalls) {
                throw new MaxLengthError('Decode error - repeated field "toolCalls" had too many elements')
              }

              obj.toolCalls.push(ToolCall.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.toolCalls$
              }))
              break
            }
            case 4: {
              obj.toolCallId = reader.string()
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
          toolCalls: 0
        }

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
            case 3: {
              if (opts.limits?.toolCalls != null && obj.toolCalls === opts.limits.toolCalls) {
                throw new MaxLengthError('Streaming decode error - repeated field "toolCalls" had too many elements')
              }

              for (const evt of ToolCall.codec().stream(reader, reader.uint32(), `${prefix}.toolCalls[]`, {
                limits: opts.limits?.toolCalls$
              })) {
                yield {
                  ...evt,
                  index: obj.toolCalls
                }
              }

              obj.toolCalls++

              break
            }
            case 4: {
              yield {
                field: `${prefix}.toolCallId`,
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

  export interface ChatMessageToolCallsIdFieldEvent {
    field: '$.toolCalls[].id'
    value: string
    index: number
  }

  export interface ChatMessageToolCallsNameFieldEvent {
    field: '$.toolCalls[].name'
    value: string
    index: number
  }

  export interface ChatMessageToolCallsArgumentsFieldEvent {
    field: '$.toolCalls[].arguments'
    value: string
    index: number
  }

  export interface ChatMessageToolCallIdFieldEvent {
    field: '$.toolCallId'
    value: string
  }

  export function encode (obj: Partial<ChatMessage>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ChatMessage.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): ChatMessage {
    return decodeMessage(buf, ChatMessage.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ChatMessage>): Generator<ChatMessageRoleFieldEvent | ChatMessageContentFieldEvent | ChatMessageToolCallsIdFieldEvent | ChatMessageToolCallsNameFieldEvent | ChatMessageToolCallsArgumentsFieldEvent | ChatMessageToolCallIdFieldEvent> {
    return streamMessage(buf, ChatMessage.codec(), opts)
  }
}

export interface ToolCall {
  id: string
  name: string
  arguments: string
}

export namespace ToolCall {
  let _codec: Codec<ToolCall>

  export const codec = (): Codec<ToolCall> => {
    if (_codec == null) {
      _codec = message<ToolCall>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.id != null && obj.id !== '')) {
          w.uint32(10)
          w.string(obj.id)
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(18)
          w.string(obj.name)
        }

        if ((obj.arguments != null && obj.arguments !== '')) {
          w.uint32(26)
          w.string(obj.arguments)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          id: '',
          name: '',
          arguments: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.id = reader.string()
              break
            }
            case 2: {
              obj.name = reader.string()
              break
            }
            case 3: {
              obj.arguments = reader.string()
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
                field: `${prefix}.id`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.arguments`,
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

  export interface ToolCallIdFieldEvent {
    field: '$.id'
    value: string
  }

  export interface ToolCallNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface ToolCallArgumentsFieldEvent {
    field: '$.arguments'
    value: string
  }

  export function encode (obj: Partial<ToolCall>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ToolCall.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ToolCall>): ToolCall {
    return decodeMessage(buf, ToolCall.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ToolCall>): Generator<ToolCallIdFieldEvent | ToolCallNameFieldEvent | ToolCallArgumentsFieldEvent> {
    return streamMessage(buf, ToolCall.codec(), opts)
  }
}

export interface Tool {
  name: string
  description?: string
  parameters?: string
}

export namespace Tool {
  let _codec: Codec<Tool>

  export const codec = (): Codec<Tool> => {
    if (_codec == null) {
      _codec = message<Tool>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.name != null && obj.name !== '')) {
          w.uint32(10)
          w.string(obj.name)
        }

        if (obj.description != null) {
          w.uint32(18)
          w.string(obj.description)
        }

        if (obj.parameters != null) {
          w.uint32(26)
          w.string(obj.parameters)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          name: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.name = reader.string()
              break
            }
            case 2: {
              obj.description = reader.string()
              break
            }
            case 3: {
              obj.parameters = reader.string()
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
                field: `${prefix}.name`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.description`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.parameters`,
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

  export interface ToolNameFieldEvent {
    field: '$.name'
    value: string
  }

  export interface ToolDescriptionFieldEvent {
    field: '$.description'
    value: string
  }

  export interface ToolParametersFieldEvent {
    field: '$.parameters'
    value: string
  }

  export function encode (obj: Partial<Tool>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Tool.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tool>): Tool {
    return decodeMessage(buf, Tool.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Tool>): Generator<ToolNameFieldEvent | ToolDescriptionFieldEvent | ToolParametersFieldEvent> {
    return streamMessage(buf, Tool.codec(), opts)
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
  presencePenalty?: number
  frequencyPenalty?: number
  responseFormat?: string
  jsonSchema?: string
  tools: Tool[]
  toolChoice?: string
  parallelToolCalls?: boolean
  logprobs?: number
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

        if (obj.presencePenalty != null) {
          w.uint32(97)
          w.double(obj.presencePenalty)
        }

        if (obj.frequencyPenalty != null) {
          w.uint32(105)
          w.double(obj.frequencyPenalty)
        }

        if (obj.responseFormat != null) {
          w.uint32(114)
          w.string(obj.responseFormat)
        }

        if (obj.jsonSchema != null) {
          w.uint32(122)
          w.string(obj.jsonSchema)
        }

        if (obj.tools != null && obj.tools.length > 0) {
          for (const value of obj.tools) {
            w.uint32(130)
            Tool.codec().encode(value, w)
          }
        }

        if (obj.toolChoice != null) {
          w.uint32(138)
          w.string(obj.toolChoice)
        }

        if (obj.parallelToolCalls != null) {
          w.uint32(144)
          w.bool(obj.parallelToolCalls)
        }

        if (obj.logprobs != null) {
          w.uint32(152)
          w.uint32(obj.logprobs)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          model: '',
          messages: [],
          stop: [],
          tools: []
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
            case 12: {
              obj.presencePenalty = reader.double()
              break
            }
            case 13: {
              obj.frequencyPenalty = reader.double()
              break
            }
            case 14: {
              obj.responseFormat = reader.string()
              break
            }
            case 15: {
              obj.jsonSchema = reader.string()
              break
            }
            case 16: {
              if (opts.limits?.tools != null && obj.tools.length === opts.limits.tools) {
                throw new MaxLengthError('Decode error - repeated field "tools" had too many elements')
              }

              obj.tools.push(Tool.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.tools$
              }))
              break
            }
            case 17: {
              obj.toolChoice = reader.string()
              break
            }
            case 18: {
              obj.parallelToolCalls = reader.bool()
              break
            }
            case 19: {
              obj.logprobs = reader.uint32()
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
          stop: 0,
          tools: 0
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
            case 12: {
              yield {
                field: `${prefix}.presencePenalty`,
                value: reader.double()
              }
              break
            }
            case 13: {
              yield {
                field: `${prefix}.frequencyPenalty`,
                value: reader.double()
              }
              break
            }
            case 14: {
              yield {
                field: `${prefix}.responseFormat`,
                value: reader.string()
              }
              break
            }
            case 15: {
              yield {
                field: `${prefix}.jsonSchema`,
                value: reader.string()
              }
              break
            }
            case 16: {
              if (opts.limits?.tools != null && obj.tools === opts.limits.tools) {
                throw new MaxLengthError('Streaming decode error - repeated field "tools" had too many elements')
              }

              for (const evt of Tool.codec().stream(reader, reader.uint32(), `${prefix}.tools[]`, {
                limits: opts.limits?.tools$
              })) {
                yield {
                  ...evt,
                  index: obj.tools
                }
              }

              obj.tools++

              break
            }
            case 17: {
              yield {
                field: `${prefix}.toolChoice`,
                value: reader.string()
              }
              break
            }
            case 18: {
              yield {
                field: `${prefix}.parallelToolCalls`,
                value: reader.bool()
              }
              break
            }
            case 19: {
              yield {
                field: `${prefix}.logprobs`,
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

  export interface GenerateRequestMessagesToolCallsIdFieldEvent {
    field: '$.messages[].toolCalls[].id'
    value: string
    index: number
  }

  export interface GenerateRequestMessagesToolCallsNameFieldEvent {
    field: '$.messages[].toolCalls[].name'
    value: string
    index: number
  }

  export interface GenerateRequestMessagesToolCallsArgumentsFieldEvent {
    field: '$.messages[].toolCalls[].arguments'
    value: string
    index: number
  }

  export interface GenerateRequestMessagesToolCallIdFieldEvent {
    field: '$.messages[].toolCallId'
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

  export interface GenerateRequestPresencePenaltyFieldEvent {
    field: '$.presencePenalty'
    value: number
  }

  export interface GenerateRequestFrequencyPenaltyFieldEvent {
    field: '$.frequencyPenalty'
    value: number
  }

  export interface GenerateRequestResponseFormatFieldEvent {
    field: '$.responseFormat'
    value: string
  }

  export interface GenerateRequestJsonSchemaFieldEvent {
    field: '$.jsonSchema'
    value: string
  }

  export interface GenerateRequestToolsNameFieldEvent {
    field: '$.tools[].name'
    value: string
    index: number
  }

  export interface GenerateRequestToolsDescriptionFieldEvent {
    field: '$.tools[].description'
    value: string
    index: number
  }

  export interface GenerateRequestToolsParametersFieldEvent {
    field: '$.tools[].parameters'
    value: string
    index: number
  }

  export interface GenerateRequestToolChoiceFieldEvent {
    field: '$.toolChoice'
    value: string
  }

  export interface GenerateRequestParallelToolCallsFieldEvent {
    field: '$.parallelToolCalls'
    value: boolean
  }

  export interface GenerateRequestLogprobsFieldEvent {
    field: '$.logprobs'
    value: number
  }

  export function encode (obj: Partial<GenerateRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GenerateRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateRequest>): GenerateRequest {
    return decodeMessage(buf, GenerateRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateRequest>): Generator<GenerateRequestModelFieldEvent | GenerateRequestPromptFieldEvent | GenerateRequestMessagesRoleFieldEvent | GenerateRequestMessagesContentFieldEvent | GenerateRequestMessagesToolCallsIdFieldEvent | GenerateRequestMessagesToolCallsNameFieldEvent | GenerateRequestMessagesToolCallsArgumentsFieldEvent | GenerateRequestMessagesToolCallIdFieldEvent | GenerateRequestMaxTokensFieldEvent | GenerateRequestTemperatureFieldEvent | GenerateRequestTopPFieldEvent | GenerateRequestTopKFieldEvent | GenerateRequestSeedFieldEvent | GenerateRequestStopFieldEvent | GenerateRequestRepeatPenaltyFieldEvent | GenerateRequestContinueFromFieldEvent | GenerateRequestPresencePenaltyFieldEvent | GenerateRequestFrequencyPenaltyFieldEvent | GenerateRequestResponseFormatFieldEvent | GenerateRequestJsonSchemaFieldEvent | GenerateRequestToolsNameFieldEvent | GenerateRequestToolsDescriptionFieldEvent | GenerateRequestToolsParametersFieldEvent | GenerateRequestToolChoiceFieldEvent | GenerateRequestParallelToolCallsFieldEvent | GenerateRequestLogprobsFieldEvent> {
    return streamMessage(buf, GenerateRequest.codec(), opts)
  }
}

export interface TopLogprob {
  token: string
  logprob: number
}

export namespace TopLogprob {
  let _codec: Codec<TopLogprob>

  export const codec = (): Codec<TopLogprob> => {
    if (_codec == null) {
      _codec = message<TopLogprob>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token !== '')) {
          w.uint32(10)
          w.string(obj.token)
        }

        if ((obj.logprob != null && obj.logprob !== 0)) {
          w.uint32(17)
          w.double(obj.logprob)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: '',
          logprob: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.token = reader.string()
              break
            }
            case 2: {
              obj.logprob = reader.double()
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
                field: `${prefix}.token`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.logprob`,
                value: reader.double()
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

  export interface TopLogprobTokenFieldEvent {
    field: '$.token'
    value: string
  }

  export interface TopLogprobLogprobFieldEvent {
    field: '$.logprob'
    value: number
  }

  export function encode (obj: Partial<TopLogprob>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TopLogprob.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopLogprob>): TopLogprob {
    return decodeMessage(buf, TopLogprob.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TopLogprob>): Generator<TopLogprobTokenFieldEvent | TopLogprobLogprobFieldEvent> {
    return streamMessage(buf, TopLogprob.codec(), opts)
  }
}

export interface TokenLogprob {
  token: string
  logprob: number
  top: TopLogprob[]
}

export namespace TokenLogprob {
  let _codec: Codec<TokenLogprob>

  export const codec = (): Codec<TokenLogprob> => {
    if (_codec == null) {
      _codec = message<TokenLogprob>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.token != null && obj.token !== '')) {
          w.uint32(10)
          w.string(obj.token)
        }

        if ((obj.logprob != null && obj.logprob !== 0)) {
          w.uint32(17)
          w.double(obj.logprob)
        }

        if (obj.top != null && obj.top.length > 0) {
          for (const value of obj.top) {
            w.uint32(26)
            TopLogprob.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          token: '',
          logprob: 0,
          top: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.token = reader.string()
              break
            }
            case 2: {
              obj.logprob = reader.double()
              break
            }
            case 3: {
              if (opts.limits?.top != null && obj.top.length === opts.limits.top) {
                throw new MaxLengthError('Decode error - repeated field "top" had too many elements')
              }

              obj.top.push(TopLogprob.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.top$
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
          top: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.token`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.logprob`,
                value: reader.double()
              }
              break
            }
            case 3: {
              if (opts.limits?.top != null && obj.top === opts.limits.top) {
                throw new MaxLengthError('Streaming decode error - repeated field "top" had too many elements')
              }

              for (const evt of TopLogprob.codec().stream(reader, reader.uint32(), `${prefix}.top[]`, {
                limits: opts.limits?.top$
              })) {
                yield {
                  ...evt,
                  index: obj.top
                }
              }

              obj.top++

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

  export interface TokenLogprobTokenFieldEvent {
    field: '$.token'
    value: string
  }

  export interface TokenLogprobLogprobFieldEvent {
    field: '$.logprob'
    value: number
  }

  export interface TokenLogprobTopTokenFieldEvent {
    field: '$.top[].token'
    value: string
    index: number
  }

  export interface TokenLogprobTopLogprobFieldEvent {
    field: '$.top[].logprob'
    value: number
    index: number
  }

  export function encode (obj: Partial<TokenLogprob>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, TokenLogprob.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TokenLogprob>): TokenLogprob {
    return decodeMessage(buf, TokenLogprob.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<TokenLogprob>): Generator<TokenLogprobTokenFieldEvent | TokenLogprobLogprobFieldEvent | TokenLogprobTopTokenFieldEvent | TokenLogprobTopLogprobFieldEvent> {
    return streamMessage(buf, TokenLogprob.codec(), opts)
  }
}

export interface GenerateChunk {
  text: string
  tokens: number
  finish?: string
  promptTokens?: number
  completionTokens?: number
  logprobs: TokenLogprob[]
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

        if (obj.logprobs != null && obj.logprobs.length > 0) {
          for (const value of obj.logprobs) {
            w.uint32(50)
            TokenLogprob.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          text: '',
          tokens: 0,
          logprobs: []
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
              if (opts.limits?.logprobs != null && obj.logprobs.length === opts.limits.logprobs) {
                throw new MaxLengthError('Decode error - repeated field "logprobs" had too many elements')
              }

              obj.logprobs.push(TokenLogprob.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.logprobs$
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
          logprobs: 0
        }

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
              if (opts.limits?.logprobs != null && obj.logprobs === opts.limits.logprobs) {
                throw new MaxLengthError('Streaming decode error - repeated field "logprobs" had too many elements')
              }

              for (const evt of TokenLogprob.codec().stream(reader, reader.uint32(), `${prefix}.logprobs[]`, {
                limits: opts.limits?.logprobs$
              })) {
                yield {
                  ...evt,
                  index: obj.logprobs
                }
              }

              obj.logprobs++

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

  export interface GenerateChunkLogprobsTokenFieldEvent {
    field: '$.logprobs[].token'
    value: string
    index: number
  }

  export interface GenerateChunkLogprobsLogprobFieldEvent {
    field: '$.logprobs[].logprob'
    value: number
    index: number
  }

  export interface GenerateChunkLogprobsTopTokenFieldEvent {
    field: '$.logprobs[].top[].token'
    value: string
    index: number
  }

  export interface GenerateChunkLogprobsTopLogprobFieldEvent {
    field: '$.logprobs[].top[].logprob'
    value: number
    index: number
  }

  export function encode (obj: Partial<GenerateChunk>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, GenerateChunk.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): GenerateChunk {
    return decodeMessage(buf, GenerateChunk.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): Generator<GenerateChunkTextFieldEvent | GenerateChunkTokensFieldEvent | GenerateChunkFinishFieldEvent | GenerateChunkPromptTokensFieldEvent | GenerateChunkCompletionTokensFieldEvent | GenerateChunkLogprobsTokenFieldEvent | GenerateChunkLogprobsLogprobFieldEvent | GenerateChunkLogprobsTopTokenFieldEvent | GenerateChunkLogprobsTopLogprobFieldEvent> {
    return streamMessage(buf, GenerateChunk.codec(), opts)
  }
}

export interface EmbedRequest {
  model: string
  input: string[]
}

export namespace EmbedRequest {
  let _codec: Codec<EmbedRequest>

  export const codec = (): Codec<EmbedRequest> => {
    if (_codec == null) {
      _codec = message<EmbedRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.model != null && obj.model !== '')) {
          w.uint32(10)
          w.string(obj.model)
        }

        if (obj.input != null && obj.input.length > 0) {
          for (const value of obj.input) {
            w.uint32(18)
            w.string(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          model: '',
          input: []
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
              if (opts.limits?.input != null && obj.input.length === opts.limits.input) {
                throw new MaxLengthError('Decode error - repeated field "input" had too many elements')
              }

              obj.input.push(reader.string())
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
          input: 0
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
              if (opts.limits?.input != null && obj.input === opts.limits.input) {
                throw new MaxLengthError('Streaming decode error - repeated field "input" had too many elements')
              }

              yield {
                field: `${prefix}.input[]`,
                index: obj.input,
                value: reader.string()
              }

              obj.input++

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

  export interface EmbedRequestModelFieldEvent {
    field: '$.model'
    value: string
  }

  export interface EmbedRequestInputFieldEvent {
    field: '$.input[]'
    index: number
    value: string
  }

  export function encode (obj: Partial<EmbedRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, EmbedRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EmbedRequest>): EmbedRequest {
    return decodeMessage(buf, EmbedRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EmbedRequest>): Generator<EmbedRequestModelFieldEvent | EmbedRequestInputFieldEvent> {
    return streamMessage(buf, EmbedRequest.codec(), opts)
  }
}

export interface Embedding {
  values: number[]
}

export namespace Embedding {
  let _codec: Codec<Embedding>

  export const codec = (): Codec<Embedding> => {
    if (_codec == null) {
      _codec = message<Embedding>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.values != null && obj.values.length > 0) {
          for (const value of obj.values) {
            w.uint32(13)
            w.float(value)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          values: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.values != null && obj.values.length === opts.limits.values) {
                throw new MaxLengthError('Decode error - repeated field "values" had too many elements')
              }

              obj.values.push(reader.float())
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
          values: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.values != null && obj.values === opts.limits.values) {
                throw new MaxLengthError('Streaming decode error - repeated field "values" had too many elements')
              }

              yield {
                field: `${prefix}.values[]`,
                index: obj.values,
                value: reader.float()
              }

              obj.values++

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

  export interface EmbeddingValuesFieldEvent {
    field: '$.values[]'
    index: number
    value: number
  }

  export function encode (obj: Partial<Embedding>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Embedding.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Embedding>): Embedding {
    return decodeMessage(buf, Embedding.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Embedding>): Generator<EmbeddingValuesFieldEvent> {
    return streamMessage(buf, Embedding.codec(), opts)
  }
}

export interface EmbedResponse {
  data: Embedding[]
  tokens: number
}

export namespace EmbedResponse {
  let _codec: Codec<EmbedResponse>

  export const codec = (): Codec<EmbedResponse> => {
    if (_codec == null) {
      _codec = message<EmbedResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.data != null && obj.data.length > 0) {
          for (const value of obj.data) {
            w.uint32(10)
            Embedding.codec().encode(value, w)
          }
        }

        if ((obj.tokens != null && obj.tokens !== 0)) {
          w.uint32(16)
          w.uint32(obj.tokens)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          data: [],
          tokens: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.data != null && obj.data.length === opts.limits.data) {
                throw new MaxLengthError('Decode error - repeated field "data" had too many elements')
              }

              obj.data.push(Embedding.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.data$
              }))
              break
            }
            case 2: {
              obj.tokens = reader.uint32()
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
          data: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.data != null && obj.data === opts.limits.data) {
                throw new MaxLengthError('Streaming decode error - repeated field "data" had too many elements')
              }

              for (const evt of Embedding.codec().stream(reader, reader.uint32(), `${prefix}.data[]`, {
                limits: opts.limits?.data$
              })) {
                yield {
                  ...evt,
                  index: obj.data
                }
              }

              obj.data++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.tokens`,
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

  export interface EmbedResponseDataValuesFieldEvent {
    field: '$.data[].values[]'
    index: number
    value: number
  }

  export interface EmbedResponseTokensFieldEvent {
    field: '$.tokens'
    value: number
  }

  export function encode (obj: Partial<EmbedResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, EmbedResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EmbedResponse>): EmbedResponse {
    return decodeMessage(buf, EmbedResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<EmbedResponse>): Generator<EmbedResponseDataValuesFieldEvent | EmbedResponseTokensFieldEvent> {
    return streamMessage(buf, EmbedResponse.codec(), opts)
  }
}
