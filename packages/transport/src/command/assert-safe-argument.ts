import { InvalidArgumentError } from '../errors/index.ts'

const UNSAFE = /[\r\n\0]/

/**
 * assertSafeArgument: throws `InvalidArgumentError` when `value` holds CR, LF or NUL, the bytes that would
 * end a command line early and let a caller (or whoever fed the caller) inject a second command.
 *
 * ```
 * assertSafeArgument('dave.txt\r\nDELE x', 'path')  // throws: path must not contain CR, LF or NUL
 * ```
 * RFC 959 section 4.1.3, RFC 5321 section 2.3.8, RFC 3977 section 3.1: a command line ends at CRLF.
 */
export function assertSafeArgument(value: string, name = 'argument'): void {
  if (UNSAFE.test(value)) {
    throw new InvalidArgumentError(`${name} must not contain CR, LF or NUL: ${JSON.stringify(value)}`)
  }
}

/** isSafeArgument: true when `value` holds no CR, LF or NUL (the test of `assertSafeArgument`, without throwing). */
export function isSafeArgument(value: string): boolean {
  return !UNSAFE.test(value)
}
