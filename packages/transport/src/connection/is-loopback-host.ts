/**
 * isLoopbackHost: true for a host whose traffic never leaves the machine: 127.0.0.0/8, ::1, the
 * IPv4-mapped ::ffff:127.x.y.z, `localhost` and names under `.localhost` (RFC 6761 section 6.3).
 * Clients send credentials in cleartext only to such a host, or with `allowInsecureAuth: true`
 * (DESIGN.md principle 8). Brackets around an IPv6 literal are ignored.
 *
 * ```ts
 * isLoopbackHost('127.0.0.2')        // true
 * isLoopbackHost('[::1]')            // true
 * isLoopbackHost('mail.example.com') // false
 * ```
 */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase().replace(/^\[(.*)\]$/, '$1').replace(/\.$/, '')
  if (name === 'localhost' || name.endsWith('.localhost') || name === '::1' || name === '0:0:0:0:0:0:0:1') return true
  const v4 = /^(?:::ffff:)?127\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(name)
  return v4 !== null && v4.slice(1).every((part) => Number(part) <= 255)
}
