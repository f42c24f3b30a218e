/** @netc/nntp: see README.md. */
export { NntpReplyCode, NntpReplyError, createNntpReplyError } from './nntp-reply-error.ts'
export { parseCapabilities, noCapabilities, type NntpCapabilities } from './parse/parse-capabilities.ts'
export { parseArticlePointer, type ArticlePointer } from './parse/parse-article-pointer.ts'
export { parseGroupReply, type GroupInfo } from './parse/parse-group-reply.ts'
export { parseOverviewFormat, defaultOverviewFormat, type OverviewField } from './parse/parse-overview-format.ts'
export { parseOverviewLine, type OverviewEntry } from './parse/parse-overview-line.ts'
export {
  parseActiveLine,
  parseActiveTimesLine,
  parseCountsLine,
  parseDistribPatsLine,
  parseHeadersLine,
  parseNewsgroupsLine,
  type ActiveEntry,
  type ActiveTimesEntry,
  type CountsEntry,
  type DistribPatsEntry,
  type NewsgroupEntry,
} from './parse/parse-list-lines.ts'
export { parseHdrLine, type HdrEntry } from './parse/parse-hdr-line.ts'
export { formatNntpDateTime, parseDateReply } from './parse/nntp-date-time.ts'
export { decodeHeader } from './parse/decode-header.ts'
export { ArticleHeaders, findHeaderEnd, parseArticleHeaders, splitArticle, type HeaderField } from './parse/article-headers.ts'
export {
  assertGroupName,
  assertHeaderName,
  assertMessageId,
  assertWildmat,
  formatArticleId,
  formatRange,
  isMessageId,
  type ArticleId,
  type ArticleRange,
} from './args/nntp-arguments.ts'
export * from './client/index.ts'

// The transport's names a caller of this package needs (commands for `execute`, the error classes to test
// with `isInstance`), so that one import does.
export {
  AbortError,
  ClosedError,
  Command,
  ConnectionError,
  InvalidArgumentError,
  InvalidStateError,
  NetcError,
  ProtocolError,
  ReplyError,
  TimeoutError,
  TlsError,
  type CodedReply,
} from '@netc/transport'
