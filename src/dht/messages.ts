// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, enumeration, MaxLengthError, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface Receipt {
  storer: string
  block: bigint
  signature: Uint8Array<ArrayBuffer>
}

export namespace Receipt {
  let _codec: Codec<Receipt>

  export const codec = (): Codec<Receipt> => {
    if (_codec == null) {
      _codec = message<Receipt>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.storer != null && obj.storer !== '')) {
          w.uint32(10)
          w.string(obj.storer)
        }

        if ((obj.block != null && obj.block !== 0n)) {
          w.uint32(16)
          w.uint64(obj.block)
        }

        if ((obj.signature != null && obj.signature.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.signature)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          storer: '',
          block: 0n,
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.storer = reader.string()
              break
            }
            case 2: {
              obj.block = reader.uint64()
              break
            }
            case 3: {
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
                field: `${prefix}.storer`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.block`,
                value: reader.uint64()
              }
              break
            }
            case 3: {
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

  export interface ReceiptStorerFieldEvent {
    field: '$.storer'
    value: string
  }

  export interface ReceiptBlockFieldEvent {
    field: '$.block'
    value: bigint
  }

  export interface ReceiptSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<Receipt>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Receipt.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Receipt {
    return decodeMessage(buf, Receipt.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Receipt>): Generator<ReceiptStorerFieldEvent | ReceiptBlockFieldEvent | ReceiptSignatureFieldEvent> {
    return streamMessage(buf, Receipt.codec(), opts)
  }
}

export interface SignedRecord {
  key: string
  subkey: string
  value: Uint8Array<ArrayBuffer>
  expiration: bigint
  signature: Uint8Array<ArrayBuffer>
  receipts: Receipt[]
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

        if (obj.receipts != null && obj.receipts.length > 0) {
          for (const value of obj.receipts) {
            w.uint32(50)
            Receipt.codec().encode(value, w)
          }
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
          signature: uint8ArrayAlloc(0),
          receipts: []
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
            case 6: {
              if (opts.limits?.receipts != null && obj.receipts.length === opts.limits.receipts) {
                throw new MaxLengthError('Decode error - repeated field "receipts" had too many elements')
              }

              obj.receipts.push(Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipts$
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
          receipts: 0
        }

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
            case 6: {
              if (opts.limits?.receipts != null && obj.receipts === opts.limits.receipts) {
                throw new MaxLengthError('Streaming decode error - repeated field "receipts" had too many elements')
              }

              for (const evt of Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipts[]`, {
                limits: opts.limits?.receipts$
              })) {
                yield {
                  ...evt,
                  index: obj.receipts
                }
              }

              obj.receipts++

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

  export interface SignedRecordReceiptsStorerFieldEvent {
    field: '$.receipts[].storer'
    value: string
    index: number
  }

  export interface SignedRecordReceiptsBlockFieldEvent {
    field: '$.receipts[].block'
    value: bigint
    index: number
  }

  export interface SignedRecordReceiptsSignatureFieldEvent {
    field: '$.receipts[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<SignedRecord>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, SignedRecord.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedRecord>): SignedRecord {
    return decodeMessage(buf, SignedRecord.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<SignedRecord>): Generator<SignedRecordKeyFieldEvent | SignedRecordSubkeyFieldEvent | SignedRecordValueFieldEvent | SignedRecordExpirationFieldEvent | SignedRecordSignatureFieldEvent | SignedRecordReceiptsStorerFieldEvent | SignedRecordReceiptsBlockFieldEvent | SignedRecordReceiptsSignatureFieldEvent> {
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

  export interface StoreRequestRecordsReceiptsStorerFieldEvent {
    field: '$.records[].receipts[].storer'
    value: string
    index: number
  }

  export interface StoreRequestRecordsReceiptsBlockFieldEvent {
    field: '$.records[].receipts[].block'
    value: bigint
    index: number
  }

  export interface StoreRequestRecordsReceiptsSignatureFieldEvent {
    field: '$.records[].receipts[].signature'
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

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<StoreRequest>): Generator<StoreRequestRecordsKeyFieldEvent | StoreRequestRecordsSubkeyFieldEvent | StoreRequestRecordsValueFieldEvent | StoreRequestRecordsExpirationFieldEvent | StoreRequestRecordsSignatureFieldEvent | StoreRequestRecordsReceiptsStorerFieldEvent | StoreRequestRecordsReceiptsBlockFieldEvent | StoreRequestRecordsReceiptsSignatureFieldEvent | StoreRequestHandoffFieldEvent> {
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

export enum FindMode {
  RECORDS = 'RECORDS',
  DIGESTS = 'DIGESTS',
  SUMMARY = 'SUMMARY'
}

enum __FindModeValues {
  RECORDS = 0,
  DIGESTS = 1,
  SUMMARY = 2
}

export namespace FindMode {
  export const codec = (): Codec<FindMode> => {
    return enumeration<FindMode>(__FindModeValues)
  }
}

export interface FindRequest {
  key: string
  subkeys: string[]
  after: string
  limit: number
  mode: FindMode
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

        if (obj.subkeys != null && obj.subkeys.length > 0) {
          for (const value of obj.subkeys) {
            w.uint32(18)
            w.string(value)
          }
        }

        if ((obj.after != null && obj.after !== '')) {
          w.uint32(26)
          w.string(obj.after)
        }

        if ((obj.limit != null && obj.limit !== 0)) {
          w.uint32(32)
          w.uint32(obj.limit)
        }

        if (obj.mode != null && __FindModeValues[obj.mode] !== 0) {
          w.uint32(40)
          FindMode.codec().encode(obj.mode, w)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          key: '',
          subkeys: [],
          after: '',
          limit: 0,
          mode: FindMode.RECORDS
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
              if (opts.limits?.subkeys != null && obj.subkeys.length === opts.limits.subkeys) {
                throw new MaxLengthError('Decode error - repeated field "subkeys" had too many elements')
              }

              obj.subkeys.push(reader.string())
              break
            }
            case 3: {
              obj.after = reader.string()
              break
            }
            case 4: {
              obj.limit = reader.uint32()
              break
            }
            case 5: {
              obj.mode = FindMode.codec().decode(reader)
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
          subkeys: 0
        }

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
              if (opts.limits?.subkeys != null && obj.subkeys === opts.limits.subkeys) {
                throw new MaxLengthError('Streaming decode error - repeated field "subkeys" had too many elements')
              }

              yield {
                field: `${prefix}.subkeys[]`,
                index: obj.subkeys,
                value: reader.string()
              }

              obj.subkeys++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.after`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.limit`,
                value: reader.uint32()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.mode`,
                value: FindMode.codec().decode(reader)
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

  export interface FindRequestSubkeysFieldEvent {
    field: '$.subkeys[]'
    index: number
    value: string
  }

  export interface FindRequestAfterFieldEvent {
    field: '$.after'
    value: string
  }

  export interface FindRequestLimitFieldEvent {
    field: '$.limit'
    value: number
  }

  export interface FindRequestModeFieldEvent {
    field: '$.mode'
    value: FindMode
  }

  export function encode (obj: Partial<FindRequest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FindRequest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindRequest>): FindRequest {
    return decodeMessage(buf, FindRequest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindRequest>): Generator<FindRequestKeyFieldEvent | FindRequestSubkeysFieldEvent | FindRequestAfterFieldEvent | FindRequestLimitFieldEvent | FindRequestModeFieldEvent> {
    return streamMessage(buf, FindRequest.codec(), opts)
  }
}

export interface Digest {
  writer: string
  valueHash: Uint8Array<ArrayBuffer>
  expiration: bigint
  receipts: Receipt[]
}

export namespace Digest {
  let _codec: Codec<Digest>

  export const codec = (): Codec<Digest> => {
    if (_codec == null) {
      _codec = message<Digest>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.writer != null && obj.writer !== '')) {
          w.uint32(10)
          w.string(obj.writer)
        }

        if ((obj.valueHash != null && obj.valueHash.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.valueHash)
        }

        if ((obj.expiration != null && obj.expiration !== 0n)) {
          w.uint32(24)
          w.uint64(obj.expiration)
        }

        if (obj.receipts != null && obj.receipts.length > 0) {
          for (const value of obj.receipts) {
            w.uint32(34)
            Receipt.codec().encode(value, w)
          }
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          writer: '',
          valueHash: uint8ArrayAlloc(0),
          expiration: 0n,
          receipts: []
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.writer = reader.string()
              break
            }
            case 2: {
              obj.valueHash = reader.bytes()
              break
            }
            case 3: {
              obj.expiration = reader.uint64()
              break
            }
            case 4: {
              if (opts.limits?.receipts != null && obj.receipts.length === opts.limits.receipts) {
                throw new MaxLengthError('Decode error - repeated field "receipts" had too many elements')
              }

              obj.receipts.push(Receipt.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.receipts$
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
          receipts: 0
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              yield {
                field: `${prefix}.writer`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.valueHash`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.expiration`,
                value: reader.uint64()
              }
              break
            }
            case 4: {
              if (opts.limits?.receipts != null && obj.receipts === opts.limits.receipts) {
                throw new MaxLengthError('Streaming decode error - repeated field "receipts" had too many elements')
              }

              for (const evt of Receipt.codec().stream(reader, reader.uint32(), `${prefix}.receipts[]`, {
                limits: opts.limits?.receipts$
              })) {
                yield {
                  ...evt,
                  index: obj.receipts
                }
              }

              obj.receipts++

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

  export interface DigestWriterFieldEvent {
    field: '$.writer'
    value: string
  }

  export interface DigestValueHashFieldEvent {
    field: '$.valueHash'
    value: Uint8Array<ArrayBuffer>
  }

  export interface DigestExpirationFieldEvent {
    field: '$.expiration'
    value: bigint
  }

  export interface DigestReceiptsStorerFieldEvent {
    field: '$.receipts[].storer'
    value: string
    index: number
  }

  export interface DigestReceiptsBlockFieldEvent {
    field: '$.receipts[].block'
    value: bigint
    index: number
  }

  export interface DigestReceiptsSignatureFieldEvent {
    field: '$.receipts[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export function encode (obj: Partial<Digest>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, Digest.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Digest>): Digest {
    return decodeMessage(buf, Digest.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<Digest>): Generator<DigestWriterFieldEvent | DigestValueHashFieldEvent | DigestExpirationFieldEvent | DigestReceiptsStorerFieldEvent | DigestReceiptsBlockFieldEvent | DigestReceiptsSignatureFieldEvent> {
    return streamMessage(buf, Digest.codec(), opts)
  }
}

export interface FindResponse {
  records: SignedRecord[]
  digests: Digest[]
  next: string
  summary: Uint8Array<ArrayBuffer>
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

        if (obj.digests != null && obj.digests.length > 0) {
          for (const value of obj.digests) {
            w.uint32(18)
            Digest.codec().encode(value, w)
          }
        }

        if ((obj.next != null && obj.next !== '')) {
          w.uint32(26)
          w.string(obj.next)
        }

        if ((obj.summary != null && obj.summary.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.summary)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          records: [],
          digests: [],
          next: '',
          summary: uint8ArrayAlloc(0)
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
              if (opts.limits?.digests != null && obj.digests.length === opts.limits.digests) {
                throw new MaxLengthError('Decode error - repeated field "digests" had too many elements')
              }

              obj.digests.push(Digest.codec().decode(reader, reader.uint32(), {
                limits: opts.limits?.digests$
              }))
              break
            }
            case 3: {
              obj.next = reader.string()
              break
            }
            case 4: {
              obj.summary = reader.bytes()
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
          records: 0,
          digests: 0
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
              if (opts.limits?.digests != null && obj.digests === opts.limits.digests) {
                throw new MaxLengthError('Streaming decode error - repeated field "digests" had too many elements')
              }

              for (const evt of Digest.codec().stream(reader, reader.uint32(), `${prefix}.digests[]`, {
                limits: opts.limits?.digests$
              })) {
                yield {
                  ...evt,
                  index: obj.digests
                }
              }

              obj.digests++

              break
            }
            case 3: {
              yield {
                field: `${prefix}.next`,
                value: reader.string()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.summary`,
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

  export interface FindResponseRecordsReceiptsStorerFieldEvent {
    field: '$.records[].receipts[].storer'
    value: string
    index: number
  }

  export interface FindResponseRecordsReceiptsBlockFieldEvent {
    field: '$.records[].receipts[].block'
    value: bigint
    index: number
  }

  export interface FindResponseRecordsReceiptsSignatureFieldEvent {
    field: '$.records[].receipts[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FindResponseDigestsWriterFieldEvent {
    field: '$.digests[].writer'
    value: string
    index: number
  }

  export interface FindResponseDigestsValueHashFieldEvent {
    field: '$.digests[].valueHash'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FindResponseDigestsExpirationFieldEvent {
    field: '$.digests[].expiration'
    value: bigint
    index: number
  }

  export interface FindResponseDigestsReceiptsStorerFieldEvent {
    field: '$.digests[].receipts[].storer'
    value: string
    index: number
  }

  export interface FindResponseDigestsReceiptsBlockFieldEvent {
    field: '$.digests[].receipts[].block'
    value: bigint
    index: number
  }

  export interface FindResponseDigestsReceiptsSignatureFieldEvent {
    field: '$.digests[].receipts[].signature'
    value: Uint8Array<ArrayBuffer>
    index: number
  }

  export interface FindResponseNextFieldEvent {
    field: '$.next'
    value: string
  }

  export interface FindResponseSummaryFieldEvent {
    field: '$.summary'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<FindResponse>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, FindResponse.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindResponse>): FindResponse {
    return decodeMessage(buf, FindResponse.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<FindResponse>): Generator<FindResponseRecordsKeyFieldEvent | FindResponseRecordsSubkeyFieldEvent | FindResponseRecordsValueFieldEvent | FindResponseRecordsExpirationFieldEvent | FindResponseRecordsSignatureFieldEvent | FindResponseRecordsReceiptsStorerFieldEvent | FindResponseRecordsReceiptsBlockFieldEvent | FindResponseRecordsReceiptsSignatureFieldEvent | FindResponseDigestsWriterFieldEvent | FindResponseDigestsValueHashFieldEvent | FindResponseDigestsExpirationFieldEvent | FindResponseDigestsReceiptsStorerFieldEvent | FindResponseDigestsReceiptsBlockFieldEvent | FindResponseDigestsReceiptsSignatureFieldEvent | FindResponseNextFieldEvent | FindResponseSummaryFieldEvent> {
    return streamMessage(buf, FindResponse.codec(), opts)
  }
}
