import { createPrivateKey, createPublicKey } from 'node:crypto';
import { SigningKey } from './service-secrets';

const MIN_RSA_BITS = 2048;

/**
 * Parses a PKCS#8 PEM into a SigningKey once, at load time, so nothing re-parses a key per request.
 * Throws an Error whose message never contains the key material.
 */
export function signingKeyFromPem(kid: string, pem: string): SigningKey {
  // docs/http-contract.md fixes the format: PKCS#8 ("BEGIN PRIVATE KEY"), not the older PKCS#1 ("BEGIN RSA PRIVATE KEY").
  if (!pem.includes('-----BEGIN PRIVATE KEY-----')) throw new Error('must be a PKCS#8 PEM private key');
  let privateKey;
  try {
    privateKey = createPrivateKey({ key: pem, format: 'pem' });
  } catch {
    throw new Error('is not a valid PEM private key');
  }
  if (privateKey.asymmetricKeyType !== 'rsa') throw new Error('must be an RSA key');
  const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
  if (bits < MIN_RSA_BITS) throw new Error(`must be an RSA key of at least ${MIN_RSA_BITS} bits`);
  return { kid, privateKey, publicKey: createPublicKey(privateKey) };
}
