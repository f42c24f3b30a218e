import { ProtocolError } from '@netc/transport'

/** Pop3DropListing: the answer to STAT: how many messages, and their total size in octets. */
export interface Pop3DropListing {
  count: number
  size: number
}

/** Pop3ScanListing: one message in a LIST answer: its number and its exact size in octets. */
export interface Pop3ScanListing {
  number: number
  size: number
}

/** Pop3UniqueIdListing: one message in a UIDL answer: its number and its unique id. */
export interface Pop3UniqueIdListing {
  number: number
  uid: string
}

// RFC 1939 section 5: "nn mm", where more may follow ("the POP3 server may ... include additional
// information"): dovecot answers LIST with "+OK 2 messages:", STAT with "+OK 2 61".
const TWO_NUMBERS = /^(\d{1,15})[ \t]+(\d{1,15})(?:[ \t].*)?$/s
// RFC 1939 section 7: unique-id = 1*70 chars of 0x21 to 0x7E.
const UNIQUE_ID = /^(\d{1,15})[ \t]+([\x21-\x7e]{1,70})[ \t]*$/

/**
 * parseDropListing: the text of a STAT reply (RFC 1939 section 5): `+OK 2 320` → `{ count: 2, size: 320 }`.
 * Anything after the two numbers is ignored; a missing number is a `ProtocolError`.
 */
export function parseDropListing(text: string): Pop3DropListing {
  const match = TWO_NUMBERS.exec(text.trim())
  if (match === null) throw malformed('STAT', text)
  return { count: Number(match[1]), size: Number(match[2]) }
}

/**
 * parseScanListing: one scan listing (RFC 1939 section 5, LIST): a line of the multi-line answer, or the
 * text of `+OK 1 1205` after `LIST 1`: `'1 1205'` → `{ number: 1, size: 1205 }`. Message numbers start at 1.
 */
export function parseScanListing(text: string): Pop3ScanListing {
  const match = TWO_NUMBERS.exec(text.trim())
  const number = Number(match?.[1])
  if (match === null || number < 1) throw malformed('LIST', text)
  return { number, size: Number(match[2]) }
}

/**
 * parseUniqueIdListing: one unique-id listing (RFC 1939 section 7, UIDL):
 * `'1 whqtswO00WBw418f9t5JxYwZ'` → `{ number: 1, uid: 'whqtswO00WBw418f9t5JxYwZ' }`. The id is 1 to 70
 * octets of 0x21 to 0x7E; anything else is a `ProtocolError`.
 */
export function parseUniqueIdListing(text: string): Pop3UniqueIdListing {
  const match = UNIQUE_ID.exec(text.trim())
  const number = Number(match?.[1])
  if (match === null || number < 1) throw malformed('UIDL', text)
  return { number, uid: match[2] ?? '' }
}

function malformed(command: string, text: string): ProtocolError {
  return new ProtocolError(`malformed ${command} answer: ${JSON.stringify(text.slice(0, 200))}`)
}
