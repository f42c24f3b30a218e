import type { Comparison } from '../compare/comparison.ts'
import { ftpComparisons } from './ftp.ts'
import { nntpComparisons } from './nntp.ts'
import { pop3Comparisons } from './pop3.ts'
import { smtpComparisons } from './smtp.ts'
import { transportComparisons } from './transport.ts'

/**
 * allComparisons: every comparison, in run order. Each protocol's file under src/comparisons/ exports its
 * list; contender scripts live under apps/bench/contenders/<protocol>/.
 */
export const allComparisons: Array<Comparison<unknown>> = [
  ...transportComparisons,
  ...ftpComparisons,
  ...smtpComparisons,
  ...pop3Comparisons,
  ...nntpComparisons,
]
