/**
 * Dot-bodies: the multi-line data blocks of SMTP DATA, NNTP POST/ARTICLE and POP3 RETR, encoded
 * (dot-stuffed, CRLF-normalised, terminated) and decoded (unstuffed, terminator found, the rest handed
 * back). RFC 5321 section 4.5.2, RFC 3977 section 3.1.1, RFC 1939 section 3.
 */
export { DotEncoder, encodeDotBody } from './dot-encoder.ts'
export { DotDecoder, decodeDotBody, type DotDecoderResult } from './dot-decoder.ts'
export { createDotEncoderStream } from './create-dot-encoder-stream.ts'
export { findBareLineEnd } from './find-bare-line-end.ts'
