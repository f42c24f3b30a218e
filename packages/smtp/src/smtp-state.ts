/**
 * SmtpState: where an SMTP session is (RFC 5321 section 3.3 and 4.1.4), checked by every verb.
 * - `ready`: greeted and said EHLO; no mail transaction open.
 * - `mail`: MAIL FROM accepted, no recipient yet.
 * - `recipients`: at least one RCPT TO accepted: DATA or BDAT may follow.
 * - `chunking`: BDAT chunks sent, the LAST one not yet.
 * - `closed`: QUIT said, or the connection broke.
 */
export type SmtpState = 'ready' | 'mail' | 'recipients' | 'chunking' | 'closed'
