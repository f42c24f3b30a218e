import type { Comparison } from '../compare/comparison.ts'

/** The nntp comparisons (issue: @netc/nntp beside the clients users would pick instead). */
export const nntpComparisons: Array<Comparison<unknown>> = []
