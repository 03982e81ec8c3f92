import { acceptsSecret, hashClientSecret, newClientId, newClientSecret } from './client-credentials';

const NOW = new Date('2030-01-01T12:00:00Z');
const LATER = new Date('2030-01-01T13:00:00Z');

describe('client credentials', () => {
  it('makes a 22-character client id and a 43-character secret, URL-safe and unique', () => {
    const ids = new Set(Array.from({ length: 100 }, newClientId));
    const secrets = new Set(Array.from({ length: 100 }, newClientSecret));
    expect(ids.size).toBe(100);
    expect(secrets.size).toBe(100);
    for (const id of ids) expect(id).toMatch(/^[A-Za-z0-9_-]{22}$/);
    for (const secret of secrets) expect(secret).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });

  it('hashes with SHA-256, hex', () => {
    expect(hashClientSecret('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
  });

  describe('acceptsSecret', () => {
    const current = newClientSecret();
    const previous = newClientSecret();
    const client = { secretHash: hashClientSecret(current), previousSecretHash: hashClientSecret(previous), previousSecretExpiresAt: LATER };

    it('accepts the current secret, and the previous one until its grace period ends', () => {
      expect(acceptsSecret(client, current, NOW)).toBe(true);
      expect(acceptsSecret(client, previous, NOW)).toBe(true);
      expect(acceptsSecret(client, previous, LATER)).toBe(false);
      expect(acceptsSecret(client, current, LATER)).toBe(true);
    });

    it('refuses anything else, including the stored hash itself', () => {
      expect(acceptsSecret(client, newClientSecret(), NOW)).toBe(false);
      expect(acceptsSecret(client, '', NOW)).toBe(false);
      expect(acceptsSecret(client, client.secretHash, NOW)).toBe(false);
      expect(acceptsSecret({ ...client, previousSecretHash: null, previousSecretExpiresAt: null }, previous, NOW)).toBe(false);
    });
  });
});
