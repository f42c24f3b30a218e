import type { ServerFaults, TestCertificates } from '@netc/transport/testing'
import { Maildrop, type Pop3TestMailbox } from './maildrop.ts'

/** Pop3TestServerOptions: the fake server's maildrops, extensions and faults. */
export interface Pop3TestServerOptions {
  /** The users and their messages. Default: user `user`, password `pass`, no messages. */
  mailbox?: Pop3TestMailbox | readonly Pop3TestMailbox[]
  /** `'implicit'`: POP3S from the first byte. Default `'none'`. */
  tls?: 'none' | 'implicit'
  /** Offer STLS (RFC 2595) on plaintext connections. Default true. */
  starttls?: boolean
  /** Advertise PIPELINING (the server answers pipelined commands either way). Default true. */
  pipelining?: boolean
  /** Put an APOP timestamp in the greeting and accept APOP. Default true. */
  apop?: boolean
  /** SASL mechanisms for AUTH: any of `PLAIN`, `LOGIN`, `CRAM-MD5`. Default `['PLAIN']`. */
  sasl?: readonly string[]
  /** Accept USER/PASS. Default true. */
  userPass?: boolean
  /** Refuse USER/PASS before STLS, as dovecot with `disable_plaintext_auth`. Default false. */
  requireTlsForAuth?: boolean
  /** Answer CAPA (false: an RFC 1939-only server). Default true. */
  capa?: boolean
  /** Offer and accept UTF8 (RFC 6856). Default false. */
  utf8?: boolean
  /** More CAPA lines, e.g. `['EXPIRE 31 USER']`. */
  extraCapabilities?: readonly string[]
  /** The greeting line instead of the usual one (e.g. `-ERR [SYS/TEMP] go away`). */
  greeting?: string
  /** Status lines sent instead of the real answer, by verb: `{ RETR: '-ERR [SYS/TEMP] disk error' }`. */
  replies?: Readonly<Record<string, string>>
  /** Bytes sent right after the `+OK` to STLS, before the handshake (the STARTTLS injection fault). */
  injectAfterStls?: Buffer | string
  /** Socket-level faults (split writes, stalls, EOF after N bytes, garbage): see ServerFaults. */
  faults?: ServerFaults
  /** The TLS certificate; a throwaway one by default. */
  certificates?: TestCertificates
}

/** The options with every default filled, the maildrops built. */
export interface ResolvedPop3TestServerOptions {
  maildrops: Map<string, Maildrop>
  starttls: boolean
  pipelining: boolean
  apop: boolean
  sasl: readonly string[]
  userPass: boolean
  requireTlsForAuth: boolean
  capa: boolean
  utf8: boolean
  extraCapabilities: readonly string[]
  greeting: string | undefined
  replies: Readonly<Record<string, string>>
  injectAfterStls: Buffer
}

/** resolveTestServerOptions: the defaults filled in. */
export function resolveTestServerOptions(options: Pop3TestServerOptions): ResolvedPop3TestServerOptions {
  const mailboxes = options.mailbox === undefined ? [{ user: 'user', pass: 'pass' }] : Array.isArray(options.mailbox) ? options.mailbox : [options.mailbox as Pop3TestMailbox]
  const replies: Record<string, string> = {}
  for (const [verb, line] of Object.entries(options.replies ?? {})) replies[verb.toUpperCase()] = line
  return {
    maildrops: new Map(mailboxes.map((mailbox: Pop3TestMailbox) => [mailbox.user, new Maildrop(mailbox)])),
    starttls: options.starttls ?? true,
    pipelining: options.pipelining ?? true,
    apop: options.apop ?? true,
    sasl: (options.sasl ?? ['PLAIN']).map((name) => name.toUpperCase()),
    userPass: options.userPass ?? true,
    requireTlsForAuth: options.requireTlsForAuth ?? false,
    capa: options.capa ?? true,
    utf8: options.utf8 ?? false,
    extraCapabilities: options.extraCapabilities ?? [],
    greeting: options.greeting,
    replies,
    injectAfterStls: Buffer.from(options.injectAfterStls ?? ''),
  }
}
