/**
 * Throwaway TLS certificates for fake servers: a CA and a server certificate it signed, made with the
 * optional peer dependency `selfsigned` (loaded only when a certificate is asked for, so @netc/transport
 * works without it).
 */

import type * as SelfsignedModule from 'selfsigned'

/** The module shape of `selfsigned` v5 that this file uses. */
type Selfsigned = typeof SelfsignedModule

/** TestCertificates: PEM texts. Give `ca` to clients (`{ ca }`), `cert` and `key` to the server. */
export interface TestCertificates {
  /** The CA certificate that signed `cert` (PEM): what a client trusts. */
  ca: string
  /** The server certificate (PEM), valid for every name in `hosts`. */
  cert: string
  /** The server certificate's private key (PEM, PKCS#8). */
  key: string
}

/** Options of `createTestCertificates`. */
export interface TestCertificateOptions {
  /**
   * The names the server certificate is valid for: IP addresses become iPAddress SANs, the rest dNSName
   * SANs (RFC 5280 section 4.2.1.6). Default `['127.0.0.1', '::1', 'localhost']`.
   */
  hosts?: readonly string[]
  /** The CA's common name. Default `'netc test CA'`. */
  caName?: string
  /** Make a new set instead of the per-process cached one for these options. Default false. */
  fresh?: boolean
}

const defaultHosts: readonly string[] = ['127.0.0.1', '::1', 'localhost']
const cache = new Map<string, Promise<TestCertificates>>()

/**
 * createTestCertificates: a throwaway CA and a server certificate for 127.0.0.1, ::1 and localhost signed
 * by it (ECDSA P-256, SHA-256, valid from an hour ago for 30 days). One set per process and per options
 * is cached, as generation is slow; pass `fresh: true` for a new one.
 *
 * ```ts
 * const { ca, cert, key } = await createTestCertificates()
 * tls.connect({ host: '127.0.0.1', port, ca })   // verifies: cert is signed by ca, SAN 127.0.0.1
 * ```
 *
 * Throws an Error naming `selfsigned` when that optional peer dependency is not installed.
 */
export async function createTestCertificates(options: TestCertificateOptions = {}): Promise<TestCertificates> {
  const hosts = options.hosts ?? defaultHosts
  const caName = options.caName ?? 'netc test CA'
  if (options.fresh === true) return generateCertificates(hosts, caName)
  const cacheKey = JSON.stringify([hosts, caName])
  let pending = cache.get(cacheKey)
  if (pending === undefined) {
    pending = generateCertificates(hosts, caName)
    cache.set(cacheKey, pending)
    // A failed generation (say, selfsigned missing) is not cached: the next call tries again.
    pending.catch(() => cache.delete(cacheKey))
  }
  return pending
}

/**
 * createUntrustedCertificates: a certificate for the same hosts signed by a different, unrelated CA
 * ("netc untrusted CA"), for tests of verification failures. Its `ca` is that other CA; a client that
 * trusts only `createTestCertificates().ca` must refuse `cert`.
 *
 * ```ts
 * const untrusted = await createUntrustedCertificates()
 * await using server = await TestServer.start({ tls: 'implicit', certificates: untrusted, onSession })
 * tls.connect({ port: server.port, host: server.host, ca: (await createTestCertificates()).ca }) // fails
 * ```
 */
export async function createUntrustedCertificates(options: Omit<TestCertificateOptions, 'caName'> = {}): Promise<TestCertificates> {
  return createTestCertificates({ ...options, caName: 'netc untrusted CA' })
}

async function generateCertificates(hosts: readonly string[], caName: string): Promise<TestCertificates> {
  const selfsigned = await loadSelfsigned()
  const notBeforeDate = new Date(Date.now() - 60 * 60 * 1000)
  const notAfterDate = new Date(notBeforeDate.getTime() + 30 * 24 * 60 * 60 * 1000)
  const common = { keyType: 'ec', curve: 'P-256', algorithm: 'sha256', notBeforeDate, notAfterDate } as const
  const ca = await selfsigned.generate([{ name: 'commonName', value: caName }], {
    ...common,
    extensions: [
      { name: 'basicConstraints', cA: true, critical: true },
      { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    ],
  })
  const server = await selfsigned.generate([{ name: 'commonName', value: hosts[0] ?? 'localhost' }], {
    ...common,
    ca: { key: ca.private, cert: ca.cert },
    extensions: [
      { name: 'basicConstraints', cA: false, critical: true },
      { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
      { name: 'extKeyUsage', serverAuth: true },
      { name: 'subjectAltName', altNames: hosts.map((host) => (isIpAddress(host) ? { type: 7, ip: host } : { type: 2, value: host })) },
    ],
  })
  return { ca: ca.cert, cert: server.cert, key: server.private }
}

function isIpAddress(host: string): boolean {
  return host.includes(':') || /^\d{1,3}(\.\d{1,3}){3}$/.test(host)
}

/**
 * loadSelfsigned: imports the optional peer `selfsigned`, or throws an Error that says how to install it.
 * `load` is a seam for tests. Not exported from the barrel.
 */
export async function loadSelfsigned(load: () => Promise<Selfsigned> = () => import('selfsigned')): Promise<Selfsigned> {
  try {
    return await load()
  } catch (error) {
    const code = (error as { code?: unknown } | null)?.code
    if (code === 'ERR_MODULE_NOT_FOUND' || code === 'MODULE_NOT_FOUND') {
      throw new Error(
        "@netc/transport/testing: test certificates need the optional peer dependency 'selfsigned' (>= 5). " +
          'Install it as a dev dependency (npm i -D selfsigned), or pass `certificates` yourself.',
        { cause: error },
      )
    }
    throw error
  }
}
