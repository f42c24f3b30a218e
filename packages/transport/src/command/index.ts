export { assertSafeArgument } from './assert-safe-argument.ts'
export { Command, REDACTED, type Redaction } from './command.ts'
