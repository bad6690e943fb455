// Generated from messages.proto by scripts/protons.mjs: do not edit.
// @ts-nocheck
import { decodeMessage, encodeMessage, enumeration, message, streamMessage } from 'protons-runtime'
import { alloc as uint8ArrayAlloc } from 'uint8arrays/alloc'
import type { Codec, DecodeOptions } from 'protons-runtime'
import type { Uint8ArrayList } from 'uint8arraylist'

export interface RequestFrame {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace RequestFrame {
  let _codec: Codec<RequestFrame>

  export const codec = (): Codec<RequestFrame> => {
    if (_codec == null) {
      _codec = message<RequestFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
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
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
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
                field: `${prefix}.body`,
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

  export interface RequestFrameBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestFrameSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestFrame>): RequestFrame {
    return decodeMessage(buf, RequestFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestFrame>): Generator<RequestFrameBodyFieldEvent | RequestFrameSignatureFieldEvent> {
    return streamMessage(buf, RequestFrame.codec(), opts)
  }
}

export interface RequestBody {
  domain: string
  protocol: string
  caller: Uint8Array<ArrayBuffer>
  service: Uint8Array<ArrayBuffer>
  timeMs: number
  nonce: Uint8Array<ArrayBuffer>
  payload: Uint8Array<ArrayBuffer>
}

export namespace RequestBody {
  let _codec: Codec<RequestBody>

  export const codec = (): Codec<RequestBody> => {
    if (_codec == null) {
      _codec = message<RequestBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.domain != null && obj.domain !== '')) {
          w.uint32(10)
          w.string(obj.domain)
        }

        if ((obj.protocol != null && obj.protocol !== '')) {
          w.uint32(18)
          w.string(obj.protocol)
        }

        if ((obj.caller != null && obj.caller.byteLength > 0)) {
          w.uint32(26)
          w.bytes(obj.caller)
        }

        if ((obj.service != null && obj.service.byteLength > 0)) {
          w.uint32(34)
          w.bytes(obj.service)
        }

        if ((obj.timeMs != null && obj.timeMs !== 0)) {
          w.uint32(40)
          w.uint64Number(obj.timeMs)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(50)
          w.bytes(obj.nonce)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(58)
          w.bytes(obj.payload)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          domain: '',
          protocol: '',
          caller: uint8ArrayAlloc(0),
          service: uint8ArrayAlloc(0),
          timeMs: 0,
          nonce: uint8ArrayAlloc(0),
          payload: uint8ArrayAlloc(0)
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
              obj.protocol = reader.string()
              break
            }
            case 3: {
              obj.caller = reader.bytes()
              break
            }
            case 4: {
              obj.service = reader.bytes()
              break
            }
            case 5: {
              obj.timeMs = reader.uint64Number()
              break
            }
            case 6: {
              obj.nonce = reader.bytes()
              break
            }
            case 7: {
              obj.payload = reader.bytes()
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
                field: `${prefix}.domain`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.protocol`,
                value: reader.string()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.caller`,
                value: reader.bytes()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.service`,
                value: reader.bytes()
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.timeMs`,
                value: reader.uint64Number()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.payload`,
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

  export interface RequestBodyDomainFieldEvent {
    field: '$.domain'
    value: string
  }

  export interface RequestBodyProtocolFieldEvent {
    field: '$.protocol'
    value: string
  }

  export interface RequestBodyCallerFieldEvent {
    field: '$.caller'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestBodyServiceFieldEvent {
    field: '$.service'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestBodyTimeMsFieldEvent {
    field: '$.timeMs'
    value: number
  }

  export interface RequestBodyNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface RequestBodyPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<RequestBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, RequestBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestBody>): RequestBody {
    return decodeMessage(buf, RequestBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<RequestBody>): Generator<RequestBodyDomainFieldEvent | RequestBodyProtocolFieldEvent | RequestBodyCallerFieldEvent | RequestBodyServiceFieldEvent | RequestBodyTimeMsFieldEvent | RequestBodyNonceFieldEvent | RequestBodyPayloadFieldEvent> {
    return streamMessage(buf, RequestBody.codec(), opts)
  }
}

export interface ResponseFrame {
  body: Uint8Array<ArrayBuffer>
  signature: Uint8Array<ArrayBuffer>
}

export namespace ResponseFrame {
  let _codec: Codec<ResponseFrame>

  export const codec = (): Codec<ResponseFrame> => {
    if (_codec == null) {
      _codec = message<ResponseFrame>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.body != null && obj.body.byteLength > 0)) {
          w.uint32(10)
          w.bytes(obj.body)
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
          body: uint8ArrayAlloc(0),
          signature: uint8ArrayAlloc(0)
        }

        const end = length == null ? reader.len : reader.pos + length

        while (reader.pos < end) {
          const tag = reader.uint32()

          switch (tag >>> 3) {
            case 1: {
              obj.body = reader.bytes()
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
                field: `${prefix}.body`,
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

  export interface ResponseFrameBodyFieldEvent {
    field: '$.body'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseFrameSignatureFieldEvent {
    field: '$.signature'
    value: Uint8Array<ArrayBuffer>
  }

  export function encode (obj: Partial<ResponseFrame>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseFrame.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseFrame>): ResponseFrame {
    return decodeMessage(buf, ResponseFrame.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseFrame>): Generator<ResponseFrameBodyFieldEvent | ResponseFrameSignatureFieldEvent> {
    return streamMessage(buf, ResponseFrame.codec(), opts)
  }
}

export enum ResponseKind {
  DATA = 'DATA',
  END = 'END',
  ERROR = 'ERROR'
}

enum __ResponseKindValues {
  DATA = 0,
  END = 1,
  ERROR = 2
}

export namespace ResponseKind {
  export const codec = (): Codec<ResponseKind> => {
    return enumeration<ResponseKind>(__ResponseKindValues)
  }
}

export interface ResponseBody {
  domain: string
  nonce: Uint8Array<ArrayBuffer>
  seq: number
  kind: ResponseKind
  payload: Uint8Array<ArrayBuffer>
  errorCode: string
  errorMessage: string
}

export namespace ResponseBody {
  let _codec: Codec<ResponseBody>

  export const codec = (): Codec<ResponseBody> => {
    if (_codec == null) {
      _codec = message<ResponseBody>((obj, w, opts = {}) => {
        if (opts.lengthDelimited !== false) {
          w.fork()
        }

        if ((obj.domain != null && obj.domain !== '')) {
          w.uint32(10)
          w.string(obj.domain)
        }

        if ((obj.nonce != null && obj.nonce.byteLength > 0)) {
          w.uint32(18)
          w.bytes(obj.nonce)
        }

        if ((obj.seq != null && obj.seq !== 0)) {
          w.uint32(24)
          w.uint32(obj.seq)
        }

        if (obj.kind != null && __ResponseKindValues[obj.kind] !== 0) {
          w.uint32(32)
          ResponseKind.codec().encode(obj.kind, w)
        }

        if ((obj.payload != null && obj.payload.byteLength > 0)) {
          w.uint32(42)
          w.bytes(obj.payload)
        }

        if ((obj.errorCode != null && obj.errorCode !== '')) {
          w.uint32(50)
          w.string(obj.errorCode)
        }

        if ((obj.errorMessage != null && obj.errorMessage !== '')) {
          w.uint32(58)
          w.string(obj.errorMessage)
        }

        if (opts.lengthDelimited !== false) {
          w.ldelim()
        }
      }, (reader, length, opts = {}) => {
        const obj: any = {
          domain: '',
          nonce: uint8ArrayAlloc(0),
          seq: 0,
          kind: ResponseKind.DATA,
          payload: uint8ArrayAlloc(0),
          errorCode: '',
          errorMessage: ''
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
              obj.nonce = reader.bytes()
              break
            }
            case 3: {
              obj.seq = reader.uint32()
              break
            }
            case 4: {
              obj.kind = ResponseKind.codec().decode(reader)
              break
            }
            case 5: {
              obj.payload = reader.bytes()
              break
            }
            case 6: {
              obj.errorCode = reader.string()
              break
            }
            case 7: {
              obj.errorMessage = reader.string()
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
                field: `${prefix}.domain`,
                value: reader.string()
              }
              break
            }
            case 2: {
              yield {
                field: `${prefix}.nonce`,
                value: reader.bytes()
              }
              break
            }
            case 3: {
              yield {
                field: `${prefix}.seq`,
                value: reader.uint32()
              }
              break
            }
            case 4: {
              yield {
                field: `${prefix}.kind`,
                value: ResponseKind.codec().decode(reader)
              }
              break
            }
            case 5: {
              yield {
                field: `${prefix}.payload`,
                value: reader.bytes()
              }
              break
            }
            case 6: {
              yield {
                field: `${prefix}.errorCode`,
                value: reader.string()
              }
              break
            }
            case 7: {
              yield {
                field: `${prefix}.errorMessage`,
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

  export interface ResponseBodyDomainFieldEvent {
    field: '$.domain'
    value: string
  }

  export interface ResponseBodyNonceFieldEvent {
    field: '$.nonce'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseBodySeqFieldEvent {
    field: '$.seq'
    value: number
  }

  export interface ResponseBodyKindFieldEvent {
    field: '$.kind'
    value: ResponseKind
  }

  export interface ResponseBodyPayloadFieldEvent {
    field: '$.payload'
    value: Uint8Array<ArrayBuffer>
  }

  export interface ResponseBodyErrorCodeFieldEvent {
    field: '$.errorCode'
    value: string
  }

  export interface ResponseBodyErrorMessageFieldEvent {
    field: '$.errorMessage'
    value: string
  }

  export function encode (obj: Partial<ResponseBody>): Uint8Array<ArrayBuffer> {
    return encodeMessage(obj, ResponseBody.codec())
  }

  export function decode (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseBody>): ResponseBody {
    return decodeMessage(buf, ResponseBody.codec(), opts)
  }

  export function stream (buf: Uint8Array | Uint8ArrayList, opts?: DecodeOptions<ResponseBody>): Generator<ResponseBodyDomainFieldEvent | ResponseBodyNonceFieldEvent | ResponseBodySeqFieldEvent | ResponseBodyKindFieldEvent | ResponseBodyPayloadFieldEvent | ResponseBodyErrorCodeFieldEvent | ResponseBodyErrorMessageFieldEvent> {
    return streamMessage(buf, ResponseBody.codec(), opts)
  }
}
