import { InvalidArgumentError } from '@netc/transport'
import type * as MimetextModule from 'mimetext'
import type { MIMEMessage, MailboxAddrObject } from 'mimetext'
import type { DsnOptions, SmtpEnvelope } from './envelope.ts'

/** MailAddress: `'dave@example.com'`, `'Dave <dave@example.com>'` or `{ name: 'Dave', address: 'dave@example.com' }`. */
export type MailAddress = string | { name?: string; address: string }

/** MailAttachment: a file to attach; `content` as bytes or text (UTF-8). */
export interface MailAttachment {
  filename: string
  content: Uint8Array | string
  /** Default `application/octet-stream`. */
  contentType?: string
  /** Shown inside an HTML body (`<img src="cid:...">`) rather than as a separate file. */
  inline?: boolean
  /** The `Content-ID` an inline attachment is referred to by (without `<>`). */
  contentId?: string
}

/** Mail: a message to compose, sendMail-style. The envelope comes from the headers; Bcc never reaches the message. */
export interface Mail {
  from: MailAddress
  to?: MailAddress | readonly MailAddress[]
  cc?: MailAddress | readonly MailAddress[]
  bcc?: MailAddress | readonly MailAddress[]
  replyTo?: MailAddress
  subject?: string
  text?: string
  html?: string
  attachments?: readonly MailAttachment[]
  /** Extra headers (`X-Mailer`, `List-Unsubscribe`); values must be one line. */
  headers?: Readonly<Record<string, string>>
  /** DSN for the envelope (RFC 3461). */
  dsn?: DsnOptions
}

/** ComposedMail: the envelope and the message bytes of a `Mail`. */
export interface ComposedMail {
  envelope: SmtpEnvelope
  message: Buffer
}

/**
 * composeMail: a `Mail` as an RFC 5322 / MIME message (made by the `mimetext` library: encoded words,
 * multipart/alternative for text + html, multipart/mixed for attachments) and its envelope: `from` the
 * From address, `to` every To, Cc and Bcc address once. Bcc is left out of the message (RFC 5322 section
 * 3.6.3). Text that is not 7-bit clean goes base64; attachments always do.
 *
 * ```ts
 * composeMail({ from: 'Dave <dave@example.com>', to: 'b@example.com', bcc: 'c@example.com', subject: 'hi', text: 'hello' })
 * // { envelope: { from: 'dave@example.com', to: ['b@example.com', 'c@example.com'] }, message: <Buffer "Date: ...\nFrom: ..."> }
 * ```
 * Rejects with `InvalidArgumentError` for a malformed address or header. mimetext is loaded on the first
 * call (an `import()`: its CommonJS build cannot be required, and senders of ready-made messages never
 * need it).
 */
export async function composeMail(mail: Mail): Promise<ComposedMail> {
  const mimetext = await loadMimetext()
  try {
    const message = mimetext.createMimeMessage()
    const toMailbox = (address: MailAddress): MailboxAddrObject => checkedMailbox(mimetext, address)
    const from = toMailbox(mail.from)
    message.setSender(from)
    const to = list(mail.to).map(toMailbox)
    const cc = list(mail.cc).map(toMailbox)
    const bcc = list(mail.bcc).map(toMailbox)
    if (to.length + cc.length + bcc.length === 0) throw new InvalidArgumentError('sendMail: no recipient (to, cc or bcc)')
    if (to.length > 0) message.setTo(to)
    if (cc.length > 0) message.setCc(cc)
    if (mail.replyTo !== undefined) message.setHeader('Reply-To', new mimetext.Mailbox(toMailbox(mail.replyTo)))
    message.setSubject(mail.subject ?? '')
    for (const [name, value] of Object.entries(mail.headers ?? {})) setHeader(message, name, value)
    addBodies(message, mail)
    const recipients = [...new Set([...to, ...cc, ...bcc].map((box) => box.addr))]
    const envelope: SmtpEnvelope = { from: from.addr, to: recipients }
    if (mail.dsn !== undefined) envelope.dsn = mail.dsn
    return { envelope, message: Buffer.from(message.asRaw(), 'utf8') }
  } catch (error) {
    if (InvalidArgumentError.isInstance(error)) throw error
    throw new InvalidArgumentError(`sendMail: ${error instanceof Error ? error.message : String(error)}`, { cause: error })
  }
}

function list(value: MailAddress | readonly MailAddress[] | undefined): readonly MailAddress[] {
  if (value === undefined) return []
  return Array.isArray(value) ? (value as readonly MailAddress[]) : [value as MailAddress]
}

/** local@domain, the local part plain or quoted (RFC 5322 section 3.4.1), nothing that could break a line. */
const ADDR_SPEC = /^(?:"[^"\r\n\0]*"|[^\s@"<>\0]+)@[^\s@<>\0]+$/

type Mimetext = typeof MimetextModule
let mimetextModule: Promise<Mimetext> | undefined

/** loadMimetext: `import('mimetext')` once (both builds keep the `import()`, which takes its ES module). */
function loadMimetext(): Promise<Mimetext> {
  mimetextModule ??= import('mimetext')
  return mimetextModule
}

function checkedMailbox({ Mailbox }: Mimetext, address: MailAddress): MailboxAddrObject {
  const box = typeof address === 'string' ? new Mailbox(address) : new Mailbox({ addr: address.address, ...(address.name === undefined ? {} : { name: address.name }) })
  if (!ADDR_SPEC.test(box.addr) || /[\r\n\0]/.test(box.name)) throw new InvalidArgumentError(`invalid address ${JSON.stringify(box.addr)}`)
  return box.name === '' ? { addr: box.addr } : { addr: box.addr, name: box.name }
}

function setHeader(message: MIMEMessage, name: string, value: string): void {
  if (!/^[!-9;-~]+$/.test(name)) throw new InvalidArgumentError(`invalid header name ${JSON.stringify(name)}`)
  if (/[\r\n\0]/.test(value)) throw new InvalidArgumentError(`header ${name}: the value holds CR, LF or NUL`)
  if (/^bcc$/i.test(name)) throw new InvalidArgumentError('header Bcc: use the bcc field (it is kept out of the message)')
  message.setHeader(name, value)
}

function addBodies(message: MIMEMessage, mail: Mail): void {
  if (mail.text === undefined && mail.html === undefined) message.addMessage({ contentType: 'text/plain', data: '' })
  if (mail.text !== undefined) message.addMessage({ contentType: 'text/plain', ...textContent(mail.text) })
  if (mail.html !== undefined) message.addMessage({ contentType: 'text/html', ...textContent(mail.html) })
  for (const attachment of mail.attachments ?? []) {
    const headers = attachment.contentId === undefined ? {} : { 'Content-ID': attachment.contentId }
    message.addAttachment({
      filename: attachment.filename,
      contentType: attachment.contentType ?? 'application/octet-stream',
      data: base64Lines(typeof attachment.content === 'string' ? Buffer.from(attachment.content, 'utf8') : Buffer.from(attachment.content)),
      inline: attachment.inline === true,
      headers,
    })
  }
}

/** 7-bit text with lines within 998 octets goes as it is (RFC 5322 section 2.1.1); other text as base64. */
function textContent(text: string): { data: string; encoding: '7bit' | 'base64' } {
  // eslint-disable-next-line no-control-regex
  const clean = /^[\x01-\x7f]*$/.test(text) && text.split(/\r?\n/).every((line) => line.length <= 998)
  return clean ? { data: text, encoding: '7bit' } : { data: base64Lines(Buffer.from(text, 'utf8')), encoding: 'base64' }
}

/** base64 in lines of 76 characters (RFC 2045 section 6.8). */
function base64Lines(bytes: Buffer): string {
  return (bytes.toString('base64').match(/.{1,76}/g) ?? []).join('\r\n')
}
