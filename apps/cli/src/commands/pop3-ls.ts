import { Command as CommanderCommand } from 'commander'
import { ReplyError, type Pop3Client } from '@netc/pop3'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printTable } from '../common/output.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { step } from '../common/step.ts'
import { openPop3 } from './pop3-open.ts'

interface LsOptions extends CommonOptions {
  headers?: boolean
}

interface Row {
  number: number
  size: number
  uid: string | null
  from?: string
  subject?: string
}

/**
 * pop3LsCommand: `netc pop3 ls <url> [--headers]`: every message's number, size and unique id (LIST and
 * UIDL, RFC 1939 sections 5 and 7), and with --headers its From and Subject (TOP n 0).
 *
 * ```
 * $ netc pop3 ls pop3://dave:secret@pop.example.com --headers
 * 1  1204  1a2b3c  anna@example.com  Lunch?
 * ```
 */
export function pop3LsCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('ls')
    .description('list the messages: number, size, uid (--headers: from, subject)')
    .argument('<url>', 'pop3://user[:password]@host[:port] or pop3s://...')
    .option('--headers', 'also show From and Subject (TOP n 0)')
    .action(async (url: string, options: LsOptions) => {
      const { pop } = await openPop3(url, options, stdin)
      await using _client = pop
      const rows = await step('cannot list the messages', () => listRows(pop, options.headers === true))
      if (options.json === true) printJson(rows)
      else printTable(rows.map((row) => [String(row.number), String(row.size), row.uid ?? '-', ...(options.headers === true ? [row.from ?? '', row.subject ?? ''] : [])]), ['right', 'right'])
    })
  return addCommonOptions(command, 'netc pop3 ls pop3://dave:secret@pop.example.com --headers --json')
}

async function listRows(pop: Pop3Client, headers: boolean): Promise<Row[]> {
  const listing = await pop.list()
  const uids = new Map<number, string>()
  const uidl = await pop.uidl().catch((error: unknown) => {
    if (ReplyError.isInstance(error)) return [] // an RFC 1939-only server without UIDL
    throw error
  })
  for (const entry of uidl) uids.set(entry.number, entry.uid)
  const rows: Row[] = []
  for (const { number, size } of listing) {
    const row: Row = { number, size, uid: uids.get(number) ?? null }
    if (headers) Object.assign(row, headerFields((await pop.top(number, 0)).toString('utf8')))
    rows.push(row)
  }
  return rows
}

function headerFields(head: string): { from: string; subject: string } {
  const unfolded = head.split(/\r?\n\r?\n/)[0]?.replace(/\r?\n[ \t]+/g, ' ') ?? ''
  const field = (name: string): string => new RegExp(`^${name}:[ \\t]*(.*)$`, 'im').exec(unfolded)?.[1]?.trim() ?? ''
  return { from: field('From'), subject: field('Subject') }
}
