import { ReplyError, type CodedReply, type ReplyErrorOptions } from '@netc/transport'

/**
 * NntpReplyCode: the reply codes of RFC 3977 section 3.2 (and RFC 4643, 4644) that callers tell apart.
 *
 * ```
 * S: 411 No such group no.such.group     → NntpReplyCode.noSuchGroup
 * S: 430 No such article                 → NntpReplyCode.noSuchMessageId
 * ```
 */
export const NntpReplyCode = Object.freeze({
  /** 400: the service is going away (RFC 3977 section 3.2.1). */
  serviceDiscontinued: 400,
  /** 411: no such newsgroup (GROUP, LISTGROUP). */
  noSuchGroup: 411,
  /** 412: no newsgroup selected. */
  noGroupSelected: 412,
  /** 420: the current article number is invalid. */
  noCurrentArticle: 420,
  /** 421: no next article in this group (NEXT). */
  noNextArticle: 421,
  /** 422: no previous article in this group (LAST). */
  noPreviousArticle: 422,
  /** 423: no article with that number, or none in that range. */
  noSuchNumber: 423,
  /** 430: no article with that message-id. */
  noSuchMessageId: 430,
  /** 435: article not wanted (IHAVE). */
  notWanted: 435,
  /** 436: transfer not possible, try again later (IHAVE). */
  transferLater: 436,
  /** 437: transfer rejected, do not retry (IHAVE). */
  transferRejected: 437,
  /** 440: posting not permitted. */
  postingNotPermitted: 440,
  /** 441: posting failed. */
  postingFailed: 441,
  /** 480: authentication required (RFC 4643 section 2.1). */
  authenticationRequired: 480,
  /** 481: authentication failed or rejected (RFC 4643). */
  authenticationFailed: 481,
  /** 482: authentication commands out of sequence (RFC 4643). */
  authenticationOutOfSequence: 482,
  /** 483: encryption or stronger authentication required (RFC 4643, RFC 3977 section 3.2.1). */
  encryptionRequired: 483,
  /** 500: unknown command. */
  unknownCommand: 500,
  /** 501: syntax error in the command. */
  syntaxError: 501,
  /** 502: the command is not permitted here (or the service is refused at the greeting). */
  notPermitted: 502,
  /** 503: the feature is not supported. */
  notSupported: 503,
} as const)

/**
 * NntpReplyError: the news server refused a command with a 4xx or 5xx reply. The connection stays usable.
 * Predicates tell the common refusals apart without remembering codes.
 *
 * ```
 * C: GROUP no.such.group
 * S: 411 No such group no.such.group
 * → NntpReplyError "GROUP no.such.group failed: 411 No such group no.such.group" { replyCode: 411, isNoSuchGroup: true }
 * ```
 * RFC 3977 section 3.2.
 */
export class NntpReplyError extends ReplyError {
  static override readonly kind: string = 'NntpReplyError'

  constructor(options: ReplyErrorOptions, message?: string) {
    super(options, message)
  }

  /** NntpReplyError.fromReply: the error for a refused reply and the (redacted) command that drew it. */
  static fromReply(reply: CodedReply, command?: string): NntpReplyError {
    return new NntpReplyError({ replyCode: reply.code, lines: reply.lines, command })
  }

  /** 411: the group does not exist. */
  get isNoSuchGroup(): boolean {
    return this.replyCode === NntpReplyCode.noSuchGroup
  }

  /** 412: the command needs a group selected first. */
  get isNoGroupSelected(): boolean {
    return this.replyCode === NntpReplyCode.noGroupSelected
  }

  /** 420, 421, 422: no current, next or previous article. */
  get isNoCurrentArticle(): boolean {
    const code = this.replyCode
    return code === NntpReplyCode.noCurrentArticle || code === NntpReplyCode.noNextArticle || code === NntpReplyCode.noPreviousArticle
  }

  /** 423 or 430: the article asked for (by number or message-id) does not exist. */
  get isNoSuchArticle(): boolean {
    return this.replyCode === NntpReplyCode.noSuchNumber || this.replyCode === NntpReplyCode.noSuchMessageId
  }

  /** 480, 481, 483: log in (or log in differently, or secure the connection) first. */
  get isAuthenticationProblem(): boolean {
    const code = this.replyCode
    return code === NntpReplyCode.authenticationRequired || code === NntpReplyCode.authenticationFailed || code === NntpReplyCode.encryptionRequired
  }

  /** 500, 501, 503: the server does not know the command, its syntax, or the feature. */
  get isUnsupported(): boolean {
    const code = this.replyCode
    return code === NntpReplyCode.unknownCommand || code === NntpReplyCode.syntaxError || code === NntpReplyCode.notSupported
  }
}

/** createNntpReplyError: the factory `Connection.open` takes as `createReplyError`. */
export function createNntpReplyError(options: ReplyErrorOptions): NntpReplyError {
  return new NntpReplyError(options)
}
