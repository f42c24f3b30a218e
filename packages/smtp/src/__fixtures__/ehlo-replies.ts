/**
 * EHLO replies (the text after `250-` / `250 `), for parseCapabilities' table: the forms these servers are
 * documented and commonly seen to send, trimmed to the capability lines; written by hand, not captured.
 * The replies captured from a real server are the `postfix-3.7-*.txt` files beside this one.
 */
export const ehloReplies = {
  gmail: ['smtp.gmail.com at your service, [203.0.113.7]', 'SIZE 35882577', '8BITMIME', 'AUTH LOGIN PLAIN XOAUTH2 PLAIN-CLIENTTOKEN OAUTHBEARER XOAUTH', 'ENHANCEDSTATUSCODES', 'PIPELINING', 'CHUNKING', 'SMTPUTF8'],
  'exchange-2016': ['mail.example.com Hello [203.0.113.7]', 'SIZE 37748736', 'PIPELINING', 'DSN', 'ENHANCEDSTATUSCODES', 'AUTH NTLM LOGIN', 'AUTH=LOGIN', '8BITMIME', 'BINARYMIME', 'CHUNKING'],
  'exim-4': ['mx.example.org Hello client.example [203.0.113.7]', 'SIZE 52428800', '8BITMIME', 'PIPELINING', 'PIPE_CONNECT', 'CHUNKING', 'PRDR', 'HELP'],
  'qmail-old': ['qmail.example.net', 'AUTH=LOGIN PLAIN CRAM-MD5', 'PIPELINING', '8BITMIME'],
  'sendmail-8': ['sendmail.example.com Hello localhost [127.0.0.1], pleased to meet you', 'ENHANCEDSTATUSCODES', 'PIPELINING', 'EXPN', 'VERB', '8BITMIME', 'SIZE', 'DSN', 'ETRN', 'DELIVERBY', 'HELP'],
  'requiretls': ['mta.example', 'REQUIRETLS', 'STARTTLS', 'SIZE 0'],
} as const
