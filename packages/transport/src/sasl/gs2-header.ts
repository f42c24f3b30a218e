/**
 * encodeSaslName: a name as a GS2/SCRAM `saslname` (RFC 5802 section 5.1, RFC 5801 section 4): `=`
 * becomes `=3D` and `,` becomes `=2C`, so `a,b=c` reads `a=2Cb=3Dc`.
 */
export function encodeSaslName(name: string): string {
  return name.replaceAll('=', '=3D').replaceAll(',', '=2C')
}

/**
 * gs2Header: the GS2 header that opens SCRAM's client-first message and OAUTHBEARER's message (RFC 5801
 * section 4): `n,,` without an authorization identity, `n,a=admin,` with one. The `n` says the client does
 * not support channel binding (netc implements no `-PLUS` mechanism).
 */
export function gs2Header(authorizationId: string | undefined): string {
  return authorizationId === undefined || authorizationId === '' ? 'n,,' : `n,a=${encodeSaslName(authorizationId)},`
}
