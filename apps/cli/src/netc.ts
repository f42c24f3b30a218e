#!/usr/bin/env node
// netc: the command line (apps/cli/README.md). Exit codes: 0 ok, 1 refused, 2 usage, 3 cannot connect,
// 4 authentication failed, 5 timeout.
import { runNetc } from './run-netc.ts'

const code = await runNetc(process.argv.slice(2))
// Exit once stdout has taken everything: a socket or timer that a library leaves behind (an FTP data
// connection lingering in its close) must not keep a finished command waiting.
process.stdout.write('', () => process.exit(code))
