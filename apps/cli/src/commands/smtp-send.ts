import { readFile } from 'node:fs/promises'
import { basename } from 'node:path'
import { Command as CommanderCommand } from 'commander'
import { SmtpClient, composeMail, type Mail, type SendResult, type SmtpEnvelope } from '@netc/smtp'
import { CliError, ExitCode, usageError } from '../common/cli-error.ts'
import { addCommonOptions, type CommonOptions } from '../common/common-options.ts'
import { printJson, printLine } from '../common/output.ts'
import { resolveTarget } from '../common/resolve-target.ts'
import { sessionOptions } from '../common/session-options.ts'
import type { StdinText } from '../common/stdin-text.ts'
import { connectStep, reasonOf, step } from '../common/step.ts'
import { promptMail } from './smtp-prompt.ts'

interface SendOptions extends CommonOptions {
  from?: string
  to?: string[]
  subject?: string
  attach?: string[]
  message?: string
}

/**
 * smtpSendCommand: `netc smtp send <url> --from <a> --to <b>...`: one message (RFC 5321 section 3.3),
 * its text from stdin, composed with From, To, Subject and attachments (`--message <file.eml>` sends a
 * ready message as it is). With no --from/--to on a terminal it prompts From:, To: and the message.
 *
 * ```
 * $ echo 'Hello.' | netc smtp send smtp://mail.example.com:587 --from dave@example.com --to anna@example.com --subject hi
 * accepted: anna@example.com
 * ```
 */
export function smtpSendCommand(stdin: StdinText): CommanderCommand {
  const command = new CommanderCommand('send')
    .description('send a message (text from stdin; prompts on a terminal when --from/--to are missing)')
    .argument('<url>', 'smtp://[user[:password]@]host[:port] or smtps://...')
    .option('--from <address>', 'the sender (envelope and From:)')
    .option('--to <address...>', 'the recipients (envelope and To:)')
    .option('--subject <text>', 'the Subject:')
    .option('--attach <file...>', 'attach these files')
    .option('--message <file.eml>', 'send this ready-made message as it is (no stdin)')
    .action(async (url: string, options: SendOptions) => {
      const target = await resolveTarget(url, 'smtp', options, stdin)
      const { envelope, message } = await buildMessage(options, stdin)
      const settings = await sessionOptions(target, options)
      const smtp = await connectStep(settings.host, settings.port, target.user, () => SmtpClient.connect(settings))
      await using _client = smtp
      const result = await step('cannot send the message', () => smtp.send(envelope, message))
      report(result, options.json === true)
    })
  return addCommonOptions(command, "echo 'Hello.' | netc smtp send smtp://mail.example.com --from dave@example.com --to anna@example.com --subject hi")
}

async function buildMessage(options: SendOptions, stdin: StdinText): Promise<{ envelope: SmtpEnvelope; message: Buffer }> {
  let { from, to } = options
  let text: string | undefined
  if (from === undefined && to === undefined && options.message === undefined && process.stdin.isTTY && options.passwordStdin !== true) {
    const prompted = await promptMail()
    ;({ from, to, body: text } = prompted)
  }
  if (from === undefined || from === '') throw usageError('smtp send: --from is required (or run it on a terminal to be asked)')
  if (to === undefined || to.length === 0) throw usageError('smtp send: --to is required (or run it on a terminal to be asked)')
  if (options.message !== undefined) return { envelope: { from, to }, message: await readLocal(options.message) }
  text ??= (await stdin.body()).toString('utf8')
  const mail: Mail = { from, to, text }
  if (options.subject !== undefined) mail.subject = options.subject
  if (options.attach !== undefined) {
    mail.attachments = await Promise.all(options.attach.map(async (file) => ({ filename: basename(file), content: await readLocal(file) })))
  }
  const composed = await composeMail(mail)
  return { envelope: { from: composed.envelope.from, to: composed.envelope.to }, message: composed.message }
}

async function readLocal(file: string): Promise<Buffer> {
  try {
    return await readFile(file)
  } catch (error) {
    throw usageError(`cannot read local file "${file}": ${reasonOf(error)}`)
  }
}

function report(result: SendResult, json: boolean): void {
  const rejected = result.rejected.map(({ recipient, error }) => ({ recipient, reply: reasonOf(error) }))
  if (json) printJson({ accepted: result.accepted, rejected, response: result.response })
  else {
    printLine(`accepted: ${result.accepted.join(', ')}`)
    for (const { recipient, reply } of rejected) printLine(`rejected: ${recipient}: ${reply}`)
    printLine(`server: ${result.response.code} ${result.response.lines.join(' ')}`)
  }
  if (rejected.length > 0) throw new CliError(`the server refused ${rejected.map((entry) => entry.recipient).join(', ')}`, ExitCode.refused)
}
