/**
 * Replies captured from dovecot 2.3.19.1 (Debian), configured as apps/harness starts it (USER/PASS, SASL,
 * STLS, POP3S), on 127.0.0.1. Lines as received, without CRLF.
 */

/** The greeting, with the APOP timestamp dovecot always sends. */
export const dovecotGreeting = '+OK Dovecot (Debian) ready. <5833.1.6b0c94df.vd+itt2W4TIOOrP3m2y31Q==@vm>'

/** CAPA in the AUTHORIZATION state over plaintext (STLS offered). */
export const dovecotCapaPlain = [
  '+OK',
  'CAPA',
  'TOP',
  'UIDL',
  'RESP-CODES',
  'PIPELINING',
  'AUTH-RESP-CODE',
  'STLS',
  'USER',
  'SASL PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256',
]

/** CAPA in the AUTHORIZATION state over POP3S (no STLS). */
export const dovecotCapaTls = ['+OK', 'CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE', 'USER', 'SASL PLAIN LOGIN CRAM-MD5 DIGEST-MD5 SCRAM-SHA-1 SCRAM-SHA-256']

/** CAPA in the TRANSACTION state (no USER, SASL, STLS any more). */
export const dovecotCapaTransaction = ['+OK', 'CAPA', 'TOP', 'UIDL', 'RESP-CODES', 'PIPELINING', 'AUTH-RESP-CODE']

/** Status lines, as dovecot words them. */
export const dovecotStatusLines = {
  authFailed: '-ERR [AUTH] Authentication failed.',
  loggedIn: '+OK Logged in.',
  stat: '+OK 2 61',
  list: '+OK 2 messages:',
  listOne: '+OK 1 35',
  noSuchMessage: "-ERR There's no message 9.",
  uidlOne: '+OK 2 000000026b0c94e6',
  retr: '+OK 35 octets',
  dele: '+OK Marked to be deleted.',
  deleted: '-ERR Message is deleted.',
  unknown: '-ERR Unknown command: BOGUS',
  quit: '+OK Logging out.',
} as const

/** The scan listing of LIST and the unique-id listing of UIDL (the lines between `+OK` and `.`). */
export const dovecotScanListing = ['1 35', '2 26']
export const dovecotUniqueIdListing = ['1 000000016b0c94e6', '2 000000026b0c94e6']
