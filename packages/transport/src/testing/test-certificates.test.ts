import { X509Certificate } from 'node:crypto'
import { describe, expect, it } from 'vitest'
import { createTestCertificates, createUntrustedCertificates, loadSelfsigned } from './test-certificates.ts'

describe('createTestCertificates', () => {
  it('makes a CA and a server certificate for 127.0.0.1, ::1 and localhost signed by it', async () => {
    const { ca, cert, key } = await createTestCertificates()
    const caCertificate = new X509Certificate(ca)
    const serverCertificate = new X509Certificate(cert)
    expect(caCertificate.ca).toBe(true)
    expect(serverCertificate.ca).toBe(false)
    expect(serverCertificate.checkIssued(caCertificate)).toBe(true)
    expect(serverCertificate.verify(caCertificate.publicKey)).toBe(true)
    expect(serverCertificate.checkIP('127.0.0.1')).toBe('127.0.0.1')
    expect(serverCertificate.checkIP('::1')).toBeDefined()
    expect(serverCertificate.checkHost('localhost')).toBe('localhost')
    expect(serverCertificate.checkHost('example.com')).toBeUndefined()
    expect(key).toMatch(/^-----BEGIN PRIVATE KEY-----/)
    expect(new Date(serverCertificate.validFrom).getTime()).toBeLessThan(Date.now())
  })

  it('caches one set per process, unless asked for a fresh one', async () => {
    const first = await createTestCertificates()
    expect(await createTestCertificates()).toBe(first)
    const fresh = await createTestCertificates({ fresh: true })
    expect(fresh.cert).not.toBe(first.cert)
  })

  it('makes untrusted certificates signed by another CA', async () => {
    const trusted = await createTestCertificates()
    const untrusted = await createUntrustedCertificates()
    const trustedCa = new X509Certificate(trusted.ca)
    const untrustedCertificate = new X509Certificate(untrusted.cert)
    expect(untrustedCertificate.checkIssued(trustedCa)).toBe(false)
    expect(untrustedCertificate.checkIssued(new X509Certificate(untrusted.ca))).toBe(true)
    expect(untrustedCertificate.checkIP('127.0.0.1')).toBe('127.0.0.1')
  })

  it('names the missing optional peer dependency', async () => {
    const missing = Object.assign(new Error("Cannot find package 'selfsigned'"), { code: 'ERR_MODULE_NOT_FOUND' })
    await expect(loadSelfsigned(() => Promise.reject(missing))).rejects.toThrow(/optional peer dependency 'selfsigned'.*npm i -D selfsigned/s)
    const other = new Error('boom')
    await expect(loadSelfsigned(() => Promise.reject(other))).rejects.toBe(other)
  })
})
