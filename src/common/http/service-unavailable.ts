import { ProblemException } from './problem.exception';

/**
 * A dependency the request needs (the database, a security store) did not answer: the client can wait it
 * out, so it learns when to retry (RFC 9110 §15.6.4 and §10.2.3).
 */
export function serviceUnavailable(): ProblemException {
  return new ProblemException(503, 'Service temporarily unavailable', { 'Retry-After': '5' });
}
