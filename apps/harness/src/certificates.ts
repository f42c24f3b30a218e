import { readFile, writeFile } from 'node:fs/promises'
import { join } from 'node:path'
import { runCommand } from './run-command.ts'

/** A throwaway CA and a server certificate it signed, as files in a daemon's temp dir. */
export interface Certificates {
  /** The CA certificate (PEM): what tests pass to their client as `ca`. */
  readonly ca: string
  readonly caFile: string
  /** The server certificate (PEM), for 127.0.0.1, 127.0.0.2, ::1 and localhost. */
  readonly certFile: string
  readonly keyFile: string
  /** Certificate followed by key in one file (pure-ftpd wants that). */
  readonly combinedFile: string
}

const openssl = '/usr/bin/openssl'

/**
 * Key type of the throwaway certificates: ECDSA P-256 by default (key generation takes milliseconds, where
 * RSA 2048 takes 0.2-2.5 s on these 2 cores); NETC_HARNESS_KEY=rsa switches to RSA 2048.
 */
function keyOptions(): string[] {
  return process.env.NETC_HARNESS_KEY === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:P-256']
}

/**
 * Makes a fresh CA (valid 2 days) and a server certificate for the loopback names with openssl,
 * in `directory`. Tests verify the server against `ca`; verification is never turned off.
 */
export async function makeCertificates(directory: string): Promise<Certificates> {
  const caKey = join(directory, 'ca.key')
  const caFile = join(directory, 'ca.pem')
  const keyFile = join(directory, 'server.key')
  const csrFile = join(directory, 'server.csr')
  const certFile = join(directory, 'server.pem')
  const extFile = join(directory, 'server.ext')
  const combinedFile = join(directory, 'server-combined.pem')
  await runCommand(openssl, [
    'req', '-x509', ...keyOptions(), '-nodes', '-keyout', caKey, '-out', caFile, '-days', '2',
    '-subj', '/CN=netc harness throwaway CA',
    '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign',
  ])
  await runCommand(openssl, ['req', ...keyOptions(), '-nodes', '-keyout', keyFile, '-out', csrFile, '-subj', '/CN=localhost'])
  await writeFile(
    extFile,
    [
      'subjectAltName=IP:127.0.0.1,IP:127.0.0.2,IP:::1,DNS:localhost',
      'basicConstraints=critical,CA:FALSE',
      process.env.NETC_HARNESS_KEY === 'rsa' ? 'keyUsage=critical,digitalSignature,keyEncipherment' : 'keyUsage=critical,digitalSignature',
      'extendedKeyUsage=serverAuth',
      '',
    ].join('\n'),
  )
  await runCommand(openssl, [
    'x509', '-req', '-in', csrFile, '-CA', caFile, '-CAkey', caKey, '-set_serial', String(Date.now()),
    '-out', certFile, '-days', '2', '-extfile', extFile,
  ])
  const [ca, cert, key] = await Promise.all([readFile(caFile, 'utf8'), readFile(certFile, 'utf8'), readFile(keyFile, 'utf8')])
  await writeFile(combinedFile, cert + key, { mode: 0o600 })
  return { ca, caFile, certFile, keyFile, combinedFile }
}
