import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import { ConfigError, loadConfig } from '../../src/config/app-config';
import { startTestApp, TestApp } from '../support/test-app';
import { ownRateLimitCounters } from '../throttling/own-counters';
import { PRODUCTION_PUBLIC_URL } from '../support/forge-token';

const PRODUCTS = '/api/v1/products';
const HSTS = 'max-age=31536000; includeSubDomains';

describe('HTTPS only, in production (docs/http-contract.md, Response headers)', () => {
  describe('behind a trusted proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({
        env: { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, TRUSTED_PROXIES: '127.0.0.1/32', ...ownRateLimitCounters() },
      });
    });
    afterAll(() => t.close());

    it('serves a request the proxy received over HTTPS, with HSTS', async () => {
      const response = await t.app.inject({ url: PRODUCTS, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.statusCode).toBe(200);
      expect(response.headers['strict-transport-security']).toBe(HSTS);
    });

    it('refuses plain HTTP with a 403 problem, not a redirect', async () => {
      const response = await t.app.inject({ url: PRODUCTS });
      expect(response.statusCode).toBe(403);
      expect(response.headers).not.toHaveProperty('location');
      expect(response.headers['content-type']).toBe('application/problem+json; charset=utf-8');
      expect(response.json()).toMatchObject({ status: 403, detail: 'HTTPS is required' });
      expect(response.headers['strict-transport-security']).toBe(HSTS);
    });

    it('refuses a request whose credential crossed in clear text, before authentication', async () => {
      const response = await t.app.inject({ url: '/api/v1/orders', headers: { authorization: 'Bearer leaked' } });
      expect(response.statusCode).toBe(403);
    });

    it('does not believe X-Forwarded-Proto from a peer that is not a trusted proxy', async () => {
      const response = await t.app.inject({ url: PRODUCTS, remoteAddress: '192.0.2.7', headers: { 'x-forwarded-proto': 'https' } });
      expect(response.statusCode).toBe(403);
    });

    it('exempts health checks, which probes make over plain HTTP', async () => {
      const response = await t.app.inject({ url: '/health/live', remoteAddress: '192.0.2.7' });
      expect(response.statusCode).toBe(200);
    });

    it('does not serve the docs', async () => {
      for (const url of ['/docs', '/docs/openapi.json']) {
        const response = await t.app.inject({ url, headers: { 'x-forwarded-proto': 'https' } });
        expect(response.statusCode).toBe(404);
        expect(response.headers['content-security-policy']).toBe("default-src 'none'; frame-ancestors 'none'");
      }
    });
  });

  describe('without a trusted proxy', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, ...ownRateLimitCounters() } });
    });
    afterAll(() => t.close());

    it('believes no X-Forwarded-Proto at all, even from loopback', async () => {
      const response = await t.app.inject({ url: PRODUCTS, headers: { 'x-forwarded-proto': 'https' } });
      expect(response.statusCode).toBe(403);
    });
  });

  describe('outside production', () => {
    let t: TestApp;
    beforeAll(async () => {
      t = await startTestApp({ env: ownRateLimitCounters() });
    });
    afterAll(() => t.close());

    it('serves plain HTTP and sends no HSTS (a developer machine has no certificate)', async () => {
      const response = await t.app.inject({ url: PRODUCTS });
      expect(response.statusCode).toBe(200);
      expect(response.headers).not.toHaveProperty('strict-transport-security');
    });
  });
});

describe('Native TLS (TLS_KEY_FILE, TLS_CERT_FILE)', () => {
  let dir: string;
  let keyFile: string;
  let certFile: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'orders-tls-'));
    keyFile = join(dir, 'key.pem');
    certFile = join(dir, 'cert.pem');
    execFileSync(
      'openssl',
      [
        'req',
        '-x509',
        '-newkey',
        'rsa:2048',
        '-nodes',
        '-days',
        '1',
        '-subj',
        '/CN=localhost',
        '-addext',
        'subjectAltName=IP:127.0.0.1',
        '-keyout',
        keyFile,
        '-out',
        certFile,
      ],
      { stdio: 'ignore' },
    );
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('serves HTTPS itself, which production accepts without any proxy', async () => {
    const t = await startTestApp({
      env: { NODE_ENV: 'production', PUBLIC_URL: PRODUCTION_PUBLIC_URL, TLS_KEY_FILE: keyFile, TLS_CERT_FILE: certFile, ...ownRateLimitCounters() },
    });
    try {
      await t.app.listen({ port: 0, host: '127.0.0.1' });
      const { port } = t.app.getHttpServer().address() as AddressInfo;
      const response = await getOverTls(port, PRODUCTS, certFile);
      expect(response.status).toBe(200);
      expect(response.headers['strict-transport-security']).toBe(HSTS);
    } finally {
      await t.close();
    }
  });

  it.each([
    ['only a key', () => ({ TLS_KEY_FILE: keyFile }), 'set together'],
    ['only a certificate', () => ({ TLS_CERT_FILE: certFile }), 'set together'],
    ['a missing file', () => ({ TLS_KEY_FILE: join(dir, 'absent.pem'), TLS_CERT_FILE: certFile }), 'TLS_KEY_FILE is not a readable file'],
    ['a directory', () => ({ TLS_KEY_FILE: keyFile, TLS_CERT_FILE: dir }), 'TLS_CERT_FILE is not a readable file'],
  ])('stops the boot when configured with %s', (_name, env, message) => {
    expect(() => loadConfig(env())).toThrow(ConfigError);
    expect(() => loadConfig(env())).toThrow(message);
  });
});

function getOverTls(port: number, path: string, caFile: string): Promise<{ status: number; headers: Record<string, unknown> }> {
  const ca = readFileSync(caFile);
  return new Promise((resolve, reject) => {
    const req = httpsRequest({ host: '127.0.0.1', port, path, ca }, (res) => {
      res.resume();
      res.on('end', () => resolve({ status: res.statusCode!, headers: res.headers }));
    });
    req.on('error', reject);
    req.end();
  });
}
