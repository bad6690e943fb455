// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
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

        if (obj.logprobs != null && obj.logprobs.length > 0) {
          for (const value of obj.logprobs) {
            w.uint32(50)
            TokenLogprob.codec().encode(value, w)
          }
        }

        if (obj.transcript != null) {
          w.uint32(58)
          w.bytes(obj.transcript)
        }

        if (obj.transcriptSignature != null) {
          w.uint32(66)
          w.bytes(obj.transcriptSignature)
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
            case 7: {
              obj.transcript = reader.bytes()
              break
            }
            case 8: {
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
            case 7: {
              yield {
                field: `${prefix}.transcript`,
                value: reader.bytes()
              }
              break
            }
            case 8: {
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

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<GenerateChunk>): Generator<GenerateChunkTextFieldEvent | GenerateChunkTokensFieldEvent | GenerateChunkFinishFieldEvent | GenerateChunkPromptTokensFieldEvent | GenerateChunkCompletionTokensFieldEvent | GenerateChunkLogprobsTokenFieldEvent | GenerateChunkLogprobsLogprobFieldEvent | GenerateChunkLogprobsTopTokenFieldEvent | GenerateChunkLogprobsTopLogprobFieldEvent | GenerateChunkTranscriptFieldEvent | GenerateChunkTranscriptSignatureFieldEvent> {
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
