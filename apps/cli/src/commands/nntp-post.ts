import { Command as CommanderCommand } from 'commander'
import { usageError } from '../common/cli-error.ts'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printLine } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openNntp } from './nntp-open.ts'

interface PostOptions extends CommonOptions {
  from?: string
  subject?: string
}

/**
 * nntpPostCommand: `netc nntp post <url>/<group> --from <a> --subject <s>`: POST (RFC 3977 section 6.3.1)
 * of an article with From, Newsgroups and Subject, its body from stdin; the server adds Message-ID,
 * Date and Path.
 *
 * ```
 * $ echo 'Hello.' | netc nntp post nntp://news.example.org/misc.test --from dave@example.com --subject hi
 * posted <abc@news.example.org>
 * ```
 */
export function nntpPostCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('post')
    .description('post an article to a group, its body from stdin')
    .argument('<url>', 'nntp://[user[:password]@]host[:port]/<group>')
    .requiredOption('--from <address>', 'the From: of the article')
    .requiredOption('--subject <text>', 'the Subject: of the article')
    .action(async (url: string, options: PostOptions) => {
      const { news, path } = await openNntp(url, options, stdin)
      await using _client = news
      const group = path.replace(/\/+$/, '')
      if (group === '' || group.includes('/')) throw usageError('the URL names no group (nntp://host/<group>)')
      for (const [name, value] of [['--from', options.from], ['--subject', options.subject]] as const) {
        if (/[\r\n\0]/.test(value ?? '')) throw usageError(`${name} must be one line`)
      }
      const body = await stdin.body()
      const head = `From: ${options.from ?? ''}\r\nNewsgroups: ${group}\r\nSubject: ${options.subject ?? ''}\r\n\r\n`
      const result = await step(`cannot post to "${group}"`, () => news.post(Buffer.concat([Buffer.from(head), body])))
      if (options.json === true) printJson(result)
      else printLine(`posted${result.messageId === undefined ? '' : ` ${result.messageId}`}: ${result.code} ${result.text}`)
    })
  return addCommonOptions(command, "echo 'Hello.' | netc nntp post nntp://news.example.org/misc.test --from dave@example.com --subject hi")
}
