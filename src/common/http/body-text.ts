import { safeParse as parseContentType } from 'fast-content-type-parse';
import type { FastifyRequest } from 'fastify';
import { ProblemException } from './problem.exception';

/** `fatal`: a byte sequence that is not UTF-8 throws instead of becoming U+FFFD; `ignoreBOM` keeps a BOM, to refuse it. */
const utf8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: true });

/**
 * A request body's bytes as text, read exactly one way. Anything the service would otherwise read
 * differently from what was sent, or from what a proxy in front of it reads, is refused instead of
 * being guessed at: a content coding it does not decode, a charset other than UTF-8 (RFC 8259 §8.1:
 * JSON is UTF-8; so are forms, WHATWG URL §5.1), bytes that are not UTF-8, and a byte order mark.
 */
export function bodyText(request: FastifyRequest, body: Buffer): string {
  const coding = request.headers['content-encoding'];
  // RFC 9110 §15.5.16 and §12.5.3: a content coding the server cannot decode is 415, with the
  // codings it does accept (none but identity) in Accept-Encoding.
  if (coding !== undefined && coding.trim().toLowerCase() !== 'identity') {
    throw new ProblemException(415, 'Unsupported Content-Encoding: send the body uncompressed', { 'Accept-Encoding': 'identity' });
  }
  // Charset names are case-insensitive (RFC 9110 §8.3.2); the parser unquotes a quoted one.
  const charset = parseContentType(request.headers['content-type'] ?? '').parameters.charset;
  if (charset !== undefined && charset.toLowerCase() !== 'utf-8') throw new ProblemException(415, 'Unsupported charset: send UTF-8');
  let text: string;
  try {
    text = utf8.decode(body);
  } catch {
    throw new ProblemException(400, 'Request body is not valid UTF-8');
  }
  // RFC 8259 §8.1: a JSON text MUST NOT start with a BOM. A parser MAY skip one, and whether the one
  // in front of us (a proxy, a WAF) does is unknown: refused rather than read differently.
  if (text.startsWith('\uFEFF')) throw new ProblemException(400, 'Request body starts with a byte order mark');
  return text;
}
