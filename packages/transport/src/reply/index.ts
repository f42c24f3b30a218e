export {
  isIntermediate,
  isPermanentNegative,
  isPositive,
  isPreliminary,
  isTransientNegative,
  replyText,
  type CodedReply,
} from './coded-reply.ts'
export { CodedReplyParser, parseCodedReply } from './coded-reply-parser.ts'
