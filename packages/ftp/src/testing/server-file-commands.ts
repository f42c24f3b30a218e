import type { FtpServerSession, Handler } from './ftp-server-session.ts'

const quoted = (path: string): string => `"${path.replaceAll('"', '""')}"`

/** fileCommands: the fake server's directory and file commands (RFC 959 section 4.1.3) on its memory file system. */
export function fileCommands(ftp: FtpServerSession): Record<string, Handler> {
  const fs = ftp.context.fs
  return {
      PWD: async () => ftp.reply(`257 ${quoted(ftp.cwd)} is the current directory`),
      XPWD: async () => ftp.reply(`257 ${quoted(ftp.cwd)} is the current directory`),
      CWD: async (argument) => {
        const target = ftp.path(argument)
        if (fs.stat(target)?.type !== 'directory') return ftp.reply('550 Failed to change directory.')
        ftp.cwd = target
        return ftp.reply('250 Directory successfully changed.')
      },
      CDUP: async () => {
        ftp.cwd = ftp.path('..')
        return ftp.reply('250 Directory successfully changed.')
      },
      DELE: async (argument) => ftp.reply(fs.remove(ftp.path(argument), 'file') ? '250 Delete operation successful.' : '550 Delete operation failed.'),
      RMD: async (argument) => ftp.reply(fs.remove(ftp.path(argument), 'directory') ? '250 Remove directory operation successful.' : '550 Remove directory operation failed.'),
      MKD: async (argument) => {
        const target = ftp.path(argument)
        if (fs.stat(target) !== undefined || fs.stat(ftp.path(`${argument}/..`))?.type !== 'directory') return ftp.reply('550 Create directory operation failed.')
        fs.makeDirectory(target)
        return ftp.reply(`257 ${quoted(target)} created`)
      },
      RNFR: async (argument) => {
        if (fs.stat(ftp.path(argument)) === undefined) return ftp.reply('550 RNFR command failed.')
        ftp.renameFrom = ftp.path(argument)
        return ftp.reply('350 Ready for RNTO.')
      },
      RNTO: async (argument) => {
        const from = ftp.renameFrom
        ftp.renameFrom = undefined
        if (from === undefined) return ftp.reply('503 RNFR required first.')
        return ftp.reply(fs.rename(from, ftp.path(argument)) ? '250 Rename successful.' : '550 Rename failed.')
      },
  }
}
