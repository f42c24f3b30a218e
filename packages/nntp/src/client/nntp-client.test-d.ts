import { expectTypeOf, test } from 'vitest'
import type { ActiveEntry, NewsgroupEntry } from '../parse/parse-list-lines.ts'
import type { OverviewField } from '../parse/parse-overview-format.ts'
import type { OverviewEntry } from '../parse/parse-overview-line.ts'
import type { NntpClient, NntpState } from './nntp-client.ts'
import type { ArticleResult } from './pipelined-articles.ts'

declare const news: NntpClient

test('list() is typed per variant, raw lines otherwise', () => {
  expectTypeOf(news.list('ACTIVE')).resolves.toEqualTypeOf<ActiveEntry[]>()
  expectTypeOf(news.list('NEWSGROUPS', 'comp.*')).resolves.toEqualTypeOf<NewsgroupEntry[]>()
  expectTypeOf(news.list('OVERVIEW.FMT')).resolves.toEqualTypeOf<OverviewField[]>()
  expectTypeOf(news.list('MOTD')).resolves.toEqualTypeOf<string[]>()
})

test('bulk reads are async iterables of typed items', () => {
  expectTypeOf(news.overview({ from: 1 })).toMatchTypeOf<AsyncIterable<OverviewEntry>>()
  expectTypeOf(news.articles([1, '<a@b>'])).toMatchTypeOf<AsyncIterable<ArticleResult>>()
  expectTypeOf(news.state).toEqualTypeOf<NntpState>()
})
