/**
 * The error taxonomy of netc (DESIGN.md, "Errors"). Every error a netc client throws is a `NetcError`
 * with a stable string `code` (`ERR_NETC_*`) and, where there is one, a `cause`.
 *
 * `instanceof` fails when two copies of @netc/transport are installed side by side (one under
 * @netc/smtp, another under @netc/ftp); `NetcError.isInstance(value)` and `TimeoutError.isInstance(value)`
 * do not, because they look for a `Symbol.for` marker instead of a prototype.
 */
const MARKER = Symbol.for('@netc/transport/error-kinds')

/** The stable codes of netc's errors, one per class. */
export type NetcErrorCode =
  | 'ERR_NETC'
  | 'ERR_NETC_CONNECTION'
  | 'ERR_NETC_TIMEOUT'
  | 'ERR_NETC_TLS'
  | 'ERR_NETC_PROTOCOL'
  | 'ERR_NETC_REPLY'
  | 'ERR_NETC_CLOSED'
  | 'ERR_NETC_ABORTED'
  | 'ERR_NETC_INVALID_ARGUMENT'
  | 'ERR_NETC_INVALID_STATE'

/** Options every netc error takes: the underlying `cause`, as in `new Error(message, { cause })`. */
export interface NetcErrorOptions {
  cause?: unknown
}

type ErrorClass = { readonly kind: string }

function kindsOf(prototype: object | null): string[] {
  const kinds: string[] = []
  for (let p = prototype; p !== null && p !== Error.prototype; p = Object.getPrototypeOf(p) as object | null) {
    const ctor = (p as { constructor?: Partial<ErrorClass> }).constructor
    if (ctor && typeof ctor.kind === 'string' && !kinds.includes(ctor.kind)) kinds.push(ctor.kind)
  }
  return kinds
}

/**
 * NetcError: the base of every error netc throws.
 *
 * ```ts
 * try { await smtp.send(envelope, message) } catch (error) {
 *   if (NetcError.isInstance(error)) console.error(error.code, error.message)
 * }
 * ```
 */
export class NetcError extends Error {
  /** The kind that `isInstance` matches; each subclass names its own. */
  static readonly kind: string = 'NetcError'
  /** A stable string code, `ERR_NETC_*`. */
  readonly code: NetcErrorCode = 'ERR_NETC'
  declare readonly [MARKER]: readonly string[]

  constructor(message: string, options: NetcErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause })
    this.name = (new.target as unknown as ErrorClass).kind
    Object.defineProperty(this, MARKER, { value: kindsOf(new.target.prototype as object), enumerable: false })
  }

  /** True when `value` is an error of this class (or a subclass), even from another copy of the package. */
  static isInstance<T extends NetcError>(this: (abstract new (...args: never[]) => T) & ErrorClass, value: unknown): value is T {
    if (typeof value !== 'object' || value === null) return false
    const kinds = (value as { [MARKER]?: unknown })[MARKER]
    return Array.isArray(kinds) && kinds.includes(this.kind)
  }
}
