export { NetcError, type NetcErrorCode, type NetcErrorOptions } from './netc-error.ts'
export {
  AbortError,
  ClosedError,
  ConnectionError,
  InvalidArgumentError,
  InvalidStateError,
  ProtocolError,
  TimeoutError,
  TlsError,
  type TimeoutPhase,
} from './errors.ts'
export { ReplyError, type ReplyErrorOptions } from './reply-error.ts'
