import { Command as CommanderCommand } from 'commander'
import type { Article } from '@netc/nntp'
import { usageError } from '../common/cli-error.ts'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openNntp } from './nntp-open.ts'

/**
 * nntpGetCommand: `netc nntp get <url>/<group>/<n>` or `<url>/<message-id>`: ARTICLE (RFC 3977 section
 * 6.2.1), printed as it came (headers, blank line, body), or as JSON with --json.
 *
 * ```
 * $ netc nntp get nntp://news.example.org/comp.lang.python/1203
 * $ netc nntp get 'nntp://news.example.org/<abc@example.com>'
 * ```
 */
export function nntpGetCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('get')
    .description('print an article, by group and number or by message-id')
    .argument('<url>', 'nntp://[user[:password]@]host[:port]/<group>/<n> or .../<message-id>')
    .action(async (url: string, options: CommonOptions) => {
      const { news, path } = await openNntp(url, options, stdin)
      await using _client = news
      const article = await fetchArticle(news, path)
      if (options.json === true) printJson({ number: article.number, messageId: article.messageId, headers: [...article.headers].map(({ name, raw }) => ({ name, value: raw })), body: article.body.toString('utf8') })
      else process.stdout.write(Buffer.concat([Buffer.from(`${[...article.headers].map(({ name, raw }) => `${name}: ${raw}\r\n`).join('')}\r\n`), article.body]))
    })
  return addCommonOptions(command, 'netc nntp get nntp://news.example.org/comp.lang.python/1203')
}

async function fetchArticle(news: Awaited<ReturnType<typeof openNntp>>['news'], path: string): Promise<Article> {
  const id = /^<?[^<>/]+@[^<>/]+>?$/.test(path) ? `<${path.replace(/^<|>$/g, '')}>` : undefined
  if (id !== undefined) return step(`cannot read article ${id}`, () => news.article(id))
  const match = /^([^/]+)\/(\d+)$/.exec(path)
  if (match === null) throw usageError(`not <group>/<number> or <message-id>: "${path}"`)
  const [, group = '', number = ''] = match
  await step(`cannot open group "${group}"`, () => news.group(group))
  return step(`cannot read article ${number} of "${group}"`, () => news.article(Number(number)))
}
