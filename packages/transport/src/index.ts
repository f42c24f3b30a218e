/**
 * @netc/transport: the layer under netc's protocol clients. Protocol packages speak in commands and
 * replies through `Connection`; only this package touches sockets.
 */
export * from './errors/index.ts'
export { defaultLimits, resolveLimits, type Limits } from './limits.ts'
