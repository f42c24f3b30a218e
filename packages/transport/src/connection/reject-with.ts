/**
 * rejectWith: a promise rejected with whatever was thrown (an Error from this code, anything from a
 * caller's task), for functions that return a promise without being `async` (a synchronous fast path).
 *
 * ```ts
 * try { return Promise.resolve(parseNow()) } catch (error) { return rejectWith(error) }
 * ```
 */
export async function rejectWith(error: unknown): Promise<never> {
  throw error
}
