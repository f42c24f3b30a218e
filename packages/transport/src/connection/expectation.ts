import type { CodedReply } from '../reply/coded-reply.ts'

/**
 * Expectation: the replies a command accepts (the command says what comes back, DESIGN.md principle 4):
 * a code, a list of codes, a class (`2` for any 2xx), or a predicate.
 *
 * ```ts
 * { expect: 354 }            // DATA
 * { expect: [250, 251] }     // RCPT TO
 * { expect: 2 }              // any positive completion
 * ```
 */
export type Expectation = number | readonly number[] | ((reply: CodedReply) => boolean)

/** matchesExpectation: true when `reply` is one the expectation accepts. */
export function matchesExpectation(reply: CodedReply, expectation: Expectation): boolean {
  if (typeof expectation === 'function') return expectation(reply)
  const codes = typeof expectation === 'number' ? [expectation] : expectation
  return codes.some((code) => (code < 10 ? Math.floor(reply.code / 100) === code : reply.code === code))
}
