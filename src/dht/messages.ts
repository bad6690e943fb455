// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface SignedRecord {
  key: string
  subkey: string
  value: Uint8Array<ArrayBuffer>
  expiration: bigint
  signature: Uint8Array<ArrayBuffer>
}

export namespace SignedRecord {
  let _codec: Codec<SignedRecord>

  export const codec = (): Codec<SignedRecord> => {
    if (_codec == null) {
      _codec = message<SignedRecord>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if ((obj.subkey != null && obj.subkey !== '')) {
          w.uint32(18)
          w.string(obj.subkey)
        }

        if ((obj.value != null && obj.value.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.value)
        }

        if ((obj.expiration != null && obj.expiration !== 0n)) {
          w.uint32(32)
          w.uint64(obj.expiration)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          subkey: '',
          value: uint8ArrayAlloc(0),
          expiration: 0n,
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
              break
            }
            case 2: {
              obj.subkey = reader.string()
              break
            }
            case 3: {
              obj.value = reader.bytes()
              break
            }
            case 4: {
              obj.expiration = reader.uint64()
              break
            }
            case 5: {
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
                field: `${prefix}.key`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.subkey`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.value`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.expiration`,
                value: reader.uint64()
              }
              break
            }
            case 5: {
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

  export interface SignedRecordKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export interface SignedRecordSubkeyFieldEvent {
    field: '$.subkey'
    value: string
  }

  export interface SignedRecordValueFieldEvent {
    field: '$.value'
    value: Uint8Array<ArrayBuffer>
  }

  export interface SignedRecordExpirationFieldEvent {
    field: '$.expiration'
    value: bigint
  }

  export interface SignedRecordSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<SignedRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedRecord>): SignedRecord {
    return decodeMessage(buf, SignedRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedRecord>): Generator<SignedRecordKeyFieldEvent | SignedRecordSubkeyFieldEvent | SignedRecordValueFieldEvent | SignedRecordExpirationFieldEvent | SignedRecordSignatureFieldEvent> {
    return streamMessage(buf, SignedRecord.codec(), opts)
  }
}

export interface StoreRequest {
  records: SignedRecord[]
  handoff: boolean
}

export namespace StoreRequest {
  let _codec: Codec<StoreRequest>

  export const codec = (): Codec<StoreRequest> => {
    if (_codec == null) {
      _codec = message<StoreRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(10)
            SignedRecord.codec().encode(value, w)
          }
        }

        if ((obj.handoff != null && obj.handoff !== false)) {
          w.uint32(16)
          w.bool(obj.handoff)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: [],
          handoff: false
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(SignedRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
              }))
              break
            }
            case 2: {
              obj.handoff = reader.bool()
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
          records: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of SignedRecord.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

              break
            }
            case 2: {
              yield {
                field: `${prefix}.handoff`,
                value: reader.bool()
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

  export interface StoreRequestRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: string
    index: number
  }

  export interface StoreRequestRecordsSubkeyFieldEvent {
    field: '$.records[].subkey'
    value: string
    index: number
  }

  export interface StoreRequestRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoreRequestRecordsExpirationFieldEvent {
    field: '$.records[].expiration'
    value: bigint
    index: number
  }

  export interface StoreRequestRecordsSignatureFieldEvent {
    field: '$.records[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface StoreRequestHandoffFieldEvent {
    field: '$.handoff'
    value: boolean
  }

  export function encode (obj: Partial<StoreRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): StoreRequest {
    return decodeMessage(buf, StoreRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): Generator<StoreRequestRecordsKeyFieldEvent | StoreRequestRecordsSubkeyFieldEvent | StoreRequestRecordsValueFieldEvent | StoreRequestRecordsExpirationFieldEvent | StoreRequestRecordsSignatureFieldEvent | StoreRequestHandoffFieldEvent> {
    return streamMessage(buf, StoreRequest.codec(), opts)
  }
}

export interface StoreAnswer {
  accepted: boolean
  code: string
  message: string
}

export namespace StoreAnswer {
  let _codec: Codec<StoreAnswer>

  export const codec = (): Codec<StoreAnswer> => {
    if (_codec == null) {
      _codec = message<StoreAnswer>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.accepted != null && obj.accepted !== false)) {
          w.uint32(8)
          w.bool(obj.accepted)
        }

        if ((obj.code != null && obj.code !== '')) {
          w.uint32(18)
          w.string(obj.code)
        }

        if ((obj.message != null && obj.message !== '')) {
          w.uint32(26)
          w.string(obj.message)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          accepted: false,
          code: '',
          message: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.accepted = reader.bool()
              break
            }
            case 2: {
              obj.code = reader.string()
              break
            }
            case 3: {
              obj.message = reader.string()
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
                field: `${prefix}.accepted`,
                value: reader.bool()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.code`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.message`,
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

  export interface StoreAnswerAcceptedFieldEvent {
    field: '$.accepted'
    value: boolean
  }

  export interface StoreAnswerCodeFieldEvent {
    field: '$.code'
    value: string
  }

  export interface StoreAnswerMessageFieldEvent {
    field: '$.message'
    value: string
  }

  export function encode (obj: Partial<StoreAnswer>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreAnswer.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreAnswer>): StoreAnswer {
    return decodeMessage(buf, StoreAnswer.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreAnswer>): Generator<StoreAnswerAcceptedFieldEvent | StoreAnswerCodeFieldEvent | StoreAnswerMessageFieldEvent> {
    return streamMessage(buf, StoreAnswer.codec(), opts)
  }
}

export interface StoreResponse {
  answers: StoreAnswer[]
}

export namespace StoreResponse {
  let _codec: Codec<StoreResponse>

  export const codec = (): Codec<StoreResponse> => {
    if (_codec == null) {
      _codec = message<StoreResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.answers != null && obj.answers.length > 0) {
          for (const value of obj.answers) {
            w.uint32(10)
            StoreAnswer.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          answers: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.answers != null && obj.answers.length === opts.limits.answers) {
                throw new MaxLengthError('Decode error - repeated field "answers" had too many elements')
              }

              obj.answers.push(StoreAnswer.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.answers$
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
          answers: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.answers != null && obj.answers === opts.limits.answers) {
                throw new MaxLengthError('Streaming decode error - repeated field "answers" had too many elements')
              }

              for (const evt of StoreAnswer.codec().stream(reader, reader.uint32(), `${prefix}.answers[]`, {
                limits: opts.limits?.answers$
              })) {
                yield {
                  ...evt,
                  index: obj.answers
                }
              }

              obj.answers++

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

  export interface StoreResponseAnswersAcceptedFieldEvent {
    field: '$.answers[].accepted'
    value: boolean
    index: number
  }

  export interface StoreResponseAnswersCodeFieldEvent {
    field: '$.answers[].code'
    value: string
    index: number
  }

  export interface StoreResponseAnswersMessageFieldEvent {
    field: '$.answers[].message'
    value: string
    index: number
  }

  export function encode (obj: Partial<StoreResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, StoreResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResponse>): StoreResponse {
    return decodeMessage(buf, StoreResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreResponse>): Generator<StoreResponseAnswersAcceptedFieldEvent | StoreResponseAnswersCodeFieldEvent | StoreResponseAnswersMessageFieldEvent> {
    return streamMessage(buf, StoreResponse.codec(), opts)
  }
}

export interface FindRequest {
  key: string
}

export namespace FindRequest {
  let _codec: Codec<FindRequest>

  export const codec = (): Codec<FindRequest> => {
    if (_codec == null) {
      _codec = message<FindRequest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.key != null && obj.key !== '')) {
          w.uint32(10)
          w.string(obj.key)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: ''
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.key = reader.string()
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
                field: `${prefix}.key`,
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

  export interface FindRequestKeyFieldEvent {
    field: '$.key'
    value: string
  }

  export function encode (obj: Partial<FindRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FindRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindRequest>): FindRequest {
    return decodeMessage(buf, FindRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindRequest>): Generator<FindRequestKeyFieldEvent> {
    return streamMessage(buf, FindRequest.codec(), opts)
  }
}

export interface FindResponse {
  records: SignedRecord[]
}

export namespace FindResponse {
  let _codec: Codec<FindResponse>

  export const codec = (): Codec<FindResponse> => {
    if (_codec == null) {
      _codec = message<FindResponse>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if (obj.records != null && obj.records.length > 0) {
          for (const value of obj.records) {
            w.uint32(10)
            SignedRecord.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records.length === opts.limits.records) {
                throw new MaxLengthError('Decode error - repeated field "records" had too many elements')
              }

              obj.records.push(SignedRecord.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.records$
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
          records: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              if (opts.limits?.records != null && obj.records === opts.limits.records) {
                throw new MaxLengthError('Streaming decode error - repeated field "records" had too many elements')
              }

              for (const evt of SignedRecord.codec().stream(reader, reader.uint32(), `${prefix}.records[]`, {
                limits: opts.limits?.records$
              })) {
                yield {
                  ...evt,
                  index: obj.records
                }
              }

              obj.records++

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

  export interface FindResponseRecordsKeyFieldEvent {
    field: '$.records[].key'
    value: string
    index: number
  }

  export interface FindResponseRecordsSubkeyFieldEvent {
    field: '$.records[].subkey'
    value: string
    index: number
  }

  export interface FindResponseRecordsValueFieldEvent {
    field: '$.records[].value'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FindResponseRecordsExpirationFieldEvent {
    field: '$.records[].expiration'
    value: bigint
    index: number
  }

  export interface FindResponseRecordsSignatureFieldEvent {
    field: '$.records[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<FindResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FindResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindResponse>): FindResponse {
    return decodeMessage(buf, FindResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindResponse>): Generator<FindResponseRecordsKeyFieldEvent | FindResponseRecordsSubkeyFieldEvent | FindResponseRecordsValueFieldEvent | FindResponseRecordsExpirationFieldEvent | FindResponseRecordsSignatureFieldEvent> {
    return streamMessage(buf, FindResponse.codec(), opts)
  }
}
