import type { BenchCase } from '../bench-case.ts'
import { cases as dotCodec } from './dot-codec.ts'
import { cases as replyParse } from './reply-parse.ts'

/** allCases: every registered benchmark, in run order. Add a group file under src/cases/ and list it here. */
export const allCases: BenchCase[] = [...dotCodec, ...replyParse]
