import type { Comparison } from '../compare/comparison.ts'

/** The pop3 comparisons (issue: @netc/pop3 beside the clients users would pick instead). */
export const pop3Comparisons: Array<Comparison<unknown>> = []
