import type { Comparison } from '../compare/comparison.ts'

/** The ftp comparisons (issue: @netc/ftp beside the clients users would pick instead). */
export const ftpComparisons: Array<Comparison<unknown>> = []
