import type { Comparison } from '../compare/comparison.ts'

/** The smtp comparisons (issue: @netc/smtp beside the clients users would pick instead). */
export const smtpComparisons: Array<Comparison<unknown>> = []
