import type { Comparison } from '../compare/comparison.ts'

/**
 * allComparisons: every comparison, in run order. Add a file per protocol under src/comparisons/ and its
 * contender scripts under apps/bench/contenders/<protocol>/, then list it here.
 */
export const allComparisons: Array<Comparison<unknown>> = []
