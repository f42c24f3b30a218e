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
  if (typeof expectation === 'number') return matchesCode(reply.code, expectation)
  if (typeof expectation === 'function') return expectation(reply)
  for (let i = 0; i < expectation.length; i++) if (matchesCode(reply.code, expectation[i] as number)) return true
  return false
}

/** A code matches itself; a single digit matches its class (`2`: 200-299). */
function matchesCode(code: number, expected: number): boolean {
  return expected < 10 ? Math.floor(code / 100) === expected : code === expected
}
