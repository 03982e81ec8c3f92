import { readFileSync } from 'node:fs';
import { AppConfig } from '../../config/app-config';

export interface TlsOptions {
  key: Buffer;
  cert: Buffer;
}

/**
 * Native TLS for Fastify when TLS_KEY_FILE and TLS_CERT_FILE are set (loadConfig has checked that
 * both are readable files); otherwise the service speaks plain HTTP behind a TLS-terminating proxy.
 */
export function tlsOptions({ TLS_KEY_FILE, TLS_CERT_FILE }: AppConfig): TlsOptions | undefined {
  if (!TLS_KEY_FILE || !TLS_CERT_FILE) return undefined;
  return { key: readFileSync(TLS_KEY_FILE), cert: readFileSync(TLS_CERT_FILE) };
}
