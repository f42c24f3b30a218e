/**
 * @netc/transport: the layer under netc's protocol clients. Protocol packages speak in commands and
 * replies through `Connection`; only this package touches sockets.
 */
export * from './errors/index.ts'
export { defaultLimits, resolveLimits, type Limits } from './limits.ts'
export * from './command/index.ts'
export * from './reply/index.ts'
export * from './connection/index.ts'
export { ByteReader, abortErrorOf, type OnreadOptions, type ReadLineOptions, type ReadOptions } from './io/byte-reader.ts'
export type { BodyAllocator } from './io/body-assembler.ts'
export { protocolChannels, transcriptWriter, type DebugOption, type ProtocolChannels } from './diagnostics/diagnostics.ts'
export * from './dot/index.ts'
export * from './sasl/index.ts'
export * from './url/index.ts'
export { type BodySource } from './connection/dot-body-io.ts'
export * from './data/index.ts'
export * from './proxy/index.ts'
export type { KeepAliveOptions } from './connection/keep-alive.ts'
