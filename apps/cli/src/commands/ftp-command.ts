import { Command as CommanderCommand } from 'commander'
import type { StdinText } from '../common/stdin-text.ts'
import { ftpGetCommand } from './ftp-get.ts'
import { ftpLsCommand } from './ftp-ls.ts'
import { ftpMkdirCommand, ftpMvCommand, ftpRmCommand, ftpRmdirCommand } from './ftp-path-commands.ts'
import { ftpPutCommand } from './ftp-put.ts'

/**
 * ftpCommand: `netc ftp ls|get|put|mkdir|rmdir|rm|mv`, over @netc/ftp (RFC 959, 4217).
 *
 * ```
 * netc ftp ls ftp://ftp.example.com/pub
 * ```
 */
export function ftpCommand(stdin: StdinText): CommanderCommand {
  return new CommanderCommand('ftp')
    .description('FTP and FTPS: ls, get, put, mkdir, rmdir, rm, mv')
    .addCommand(ftpLsCommand(stdin))
    .addCommand(ftpGetCommand(stdin))
    .addCommand(ftpPutCommand(stdin))
    .addCommand(ftpMkdirCommand(stdin))
    .addCommand(ftpRmdirCommand(stdin))
    .addCommand(ftpRmCommand(stdin))
    .addCommand(ftpMvCommand(stdin))
    .addHelpText('after', '\nExample:\n  netc ftp get ftp://dave:secret@ftp.example.com/dave/dave.txt -o -\n')
}
