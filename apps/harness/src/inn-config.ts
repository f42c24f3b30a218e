/** A newsgroup that the harness creates at start. */
export interface NewsGroup {
  readonly name: string
  /** `y` posting allowed, `n` no posting, `m` moderated. */
  readonly flag: 'y' | 'n' | 'm'
  readonly description: string
}

/** Groups created at start (besides control, control.cancel and junk, which INN wants). */
export const newsGroups: readonly NewsGroup[] = [
  { name: 'netc.test', flag: 'y', description: 'Posting and reading tests.' },
  { name: 'netc.misc', flag: 'y', description: 'Filled through the feeding peer.' },
  { name: 'netc.empty', flag: 'y', description: 'Stays empty unless a test posts.' },
  { name: 'netc.readonly', flag: 'n', description: 'Readers may not post here.' },
]

/** Options for {@link innConf}. */
export interface InnConfOptions {
  readonly directory: string
  readonly port: number
  readonly certFile: string
  readonly keyFile: string
  readonly caFile: string
  /** nnrpd's `clienttimeout`: seconds a reader may stay idle before nnrpd hangs up (INN's default 1800). */
  readonly clientTimeout?: number
}

/**
 * inn.conf with every path under `directory`, innd on 127.0.0.1:`port`, tradindexed overview, no article
 * cutoff (old Date headers are accepted), TLS for nnrpd (STARTTLS, and NNTPS from a standalone nnrpd).
 */
export function innConf({ directory, port, certFile, keyFile, caFile, clientTimeout = 1800 }: InnConfOptions): string {
  return `# netc harness: a private INN on loopback
domain:                 localdomain
pathhost:               netc-harness.localdomain
fromhost:               localdomain
organization:           "netc harness"
mta:                    "/bin/true %s"
mailcmd:                /bin/true
port:                   ${port}
bindaddress:            127.0.0.1
ovmethod:               tradindexed
hismethod:              hisv6
enableoverview:         true
artcutoff:              0
doinnwatch:             false
pgpverify:              false
checkincludedtext:      false
maxartsize:             10000000
localmaxartsize:        10000000
maxconnections:         100
status:                 0
timer:                  0
logipaddr:              true
readerswhenstopped:     false
noreader:               false
nnrpdloadlimit:         0
clienttimeout:          ${clientTimeout}
docancels:              "require-auth"
tlscertfile:            ${certFile}
tlskeyfile:             ${keyFile}
tlscafile:              ${caFile}
pathnews:               /usr/lib/news
pathbin:                /usr/lib/news/bin
pathcontrol:            /usr/lib/news/bin/control
pathfilter:             ${directory}/etc/filter
pathetc:                ${directory}/etc
pathdb:                 ${directory}/db
pathrun:                ${directory}/run
pathlog:                ${directory}/log
pathhttp:               ${directory}/http
pathspool:              ${directory}/spool
patharticles:           ${directory}/spool/articles
pathoverview:           ${directory}/spool/overview
pathincoming:           ${directory}/spool/incoming
pathtmp:                ${directory}/spool/incoming/tmp
pathoutgoing:           ${directory}/spool/outgoing
patharchive:            ${directory}/spool/archive
`
}

/** The other files innd and nnrpd read, by name (in pathetc). */
export function innEtcFiles(feederAddress: string, passwordFile: string): Record<string, string> {
  return {
    // Only the feeding peer is a peer: every other connection is handed to nnrpd (a reader).
    'incoming.conf': `streaming: true\nmax-connections: 16\npeer feeder {\n  hostname: "${feederAddress}"\n}\n`,
    'newsfeeds': 'ME:*::\n',
    'storage.conf': 'method tradspool {\n  newsgroups: *\n  class: 0\n}\n',
    'readers.conf': `auth "loopback" {
  hosts: "127.0.0.1, localhost, ::1, stdin"
  default: "<loopback>"
}
auth "users" {
  hosts: "127.0.0.1, localhost, ::1"
  auth: "ckpasswd -f ${passwordFile}"
}
access "loopback" {
  users: "*"
  newsgroups: "*"
  access: RPA
}
`,
    'expire.ctl': '/remember/:11\n*:A:1:10:never\n',
  }
}

/** The active file: `name high low flag`, every group empty. */
export function activeFile(): string {
  const groups: { name: string; flag: string }[] = [
    { name: 'control', flag: 'n' },
    { name: 'control.cancel', flag: 'n' },
    { name: 'junk', flag: 'n' },
    ...newsGroups,
  ]
  return groups.map(({ name, flag }) => `${name} 0000000000 0000000001 ${flag}\n`).join('')
}

/** The newsgroups file: descriptions for LIST NEWSGROUPS. */
export function newsgroupsFile(): string {
  return newsGroups.map(({ name, description }) => `${name}\t${description}\n`).join('')
}
