import type { FastifyRequest } from 'fastify';
import { Principal } from '../security/principal';
import { rateLimitTracker } from './rate-limit-tracker';

const request = (ip: string, principal?: Partial<Principal>) => ({ ip, principal }) as FastifyRequest;

describe('rateLimitTracker', () => {
  it('keys an API key request by the key, so each key has its own quota', () => {
    expect(rateLimitTracker(request('192.0.2.1', { kind: 'user', id: 'u1', keyId: 'k1' }))).toBe('key:k1');
  });

  it('keys a token request by the user or service client, whichever token it presents', () => {
    expect(rateLimitTracker(request('192.0.2.1', { kind: 'user', id: 'u1', tokenId: 'jti-1' }))).toBe('user:u1');
    expect(rateLimitTracker(request('192.0.2.1', { kind: 'user', id: 'u1', tokenId: 'jti-2' }))).toBe('user:u1');
    expect(rateLimitTracker(request('192.0.2.1', { kind: 'client', id: 'c1' }))).toBe('client:c1');
  });

  it('keys an anonymous request by the client IP', () => {
    expect(rateLimitTracker(request('192.0.2.1'))).toBe('ip:192.0.2.1');
  });

  it('keys an IPv6 client by its /64, so rotating addresses inside it changes nothing', () => {
    const one = rateLimitTracker(request('2001:db8:1:2::1'));
    expect(rateLimitTracker(request('2001:db8:1:2:ffff::9'))).toBe(one);
    expect(rateLimitTracker(request('2001:db8:1:3::1'))).not.toBe(one);
  });
});
