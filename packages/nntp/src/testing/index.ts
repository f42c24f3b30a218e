/** @netc/nntp/testing: an in-process fake NNTP server for tests. */
export { NntpTestServer, type NntpTestFaults, type NntpTestServerOptions } from './nntp-test-server.ts'
export { NewsStore, type StoredArticle, type StoredGroup, type TestArticleInput, type TestGroupInput } from './news-store.ts'
export type { TestAuth, TestQuirks } from './session-context.ts'
export { wildmatMatches } from './list-handlers.ts'
