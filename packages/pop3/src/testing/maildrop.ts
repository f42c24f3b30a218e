import { createHash } from 'node:crypto'

/** Pop3TestMailbox: one user of the fake server and the messages in their maildrop, oldest first. */
export interface Pop3TestMailbox {
  user: string
  pass: string
  messages?: ReadonlyArray<Buffer | string>
  /** Unique ids for the messages, in order; made up (stable, distinct) when absent. */
  uids?: readonly string[]
}

/** Pop3TestMessage: a message as the fake server holds it. */
export interface Pop3TestMessage {
  readonly uid: string
  readonly body: Buffer
}

let nextUid = 1

/**
 * Maildrop: one user's maildrop in memory: the messages, the password, and the lock a session takes at
 * login (RFC 1939 section 8: one session at a time). Deletions reach it only through `commit`, at QUIT.
 */
export class Maildrop {
  readonly user: string
  readonly pass: string
  #messages: Pop3TestMessage[]
  #locked = false

  constructor(mailbox: Pop3TestMailbox) {
    this.user = mailbox.user
    this.pass = mailbox.pass
    this.#messages = []
    for (const [index, message] of (mailbox.messages ?? []).entries()) this.add(message, mailbox.uids?.[index])
  }

  /** The messages now, oldest first. */
  get messages(): readonly Pop3TestMessage[] {
    return this.#messages
  }

  /** add: delivers a message at the end of the maildrop; visible from the next login on. */
  add(message: Buffer | string, uid?: string): Pop3TestMessage {
    const body = typeof message === 'string' ? Buffer.from(message, 'utf8') : Buffer.from(message)
    const made = { uid: uid ?? `${nextUid++}.${createHash('sha1').update(body).digest('hex').slice(0, 12)}`, body }
    this.#messages.push(made)
    return made
  }

  /** lock: takes the maildrop for a session; false when another session holds it. */
  lock(): boolean {
    if (this.#locked) return false
    this.#locked = true
    return true
  }

  /** unlock: gives the maildrop back (at QUIT, or when a session ends without it). */
  unlock(): void {
    this.#locked = false
  }

  /** commit: removes the given messages (the UPDATE state, RFC 1939 section 6). */
  commit(deleted: ReadonlySet<Pop3TestMessage>): void {
    this.#messages = this.#messages.filter((message) => !deleted.has(message))
  }
}
