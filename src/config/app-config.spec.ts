import { ConfigError, loadConfig } from './app-config';

describe('loadConfig', () => {
  it('has safe defaults for every non-secret setting', () => {
    const config = loadConfig({});
    expect(config).toMatchObject({
      NODE_ENV: 'development',
      PORT: 3000,
      DATA_DIR: '.data',
      SECRETS_PROVIDER: 'local',
      SECRETS_REFRESH_SECONDS: 300,
      LOG_LEVEL: 'info',
    });
    expect(config.rateLimit('LOGIN_EMAIL')).toEqual({ quota: 5, windowSeconds: 900 });
    expect(config.corsOrigins).toEqual([]);
    expect(config.trustedProxies.check('127.0.0.1', 'ipv4')).toBe(false);
  });

  it('reads lists and limits', () => {
    const config = loadConfig({ CORS_ORIGINS: 'https://a.test, https://b.test', TRUSTED_PROXIES: '10.0.0.0/8,::1', RATE_LIMIT_ANONYMOUS: '5/1s' });
    expect(config.corsOrigins).toEqual(['https://a.test', 'https://b.test']);
    expect(config.trustedProxies.check('10.1.2.3', 'ipv4')).toBe(true);
    expect(config.trustedProxies.check('11.0.0.1', 'ipv4')).toBe(false);
    expect(config.trustedProxies.check('::1', 'ipv6')).toBe(true);
    expect(config.rateLimit('ANONYMOUS')).toEqual({ quota: 5, windowSeconds: 1 });
  });

  it.each([
    ['PORT', 'abc'],
    ['PORT', '70000'],
    ['NODE_ENV', 'staging'],
    ['SECRETS_PROVIDER', 'vault'],
    ['SECRETS_REFRESH_SECONDS', '0'],
    ['SECRETS_REFRESH_SECONDS', '0.5'],
    ['SECRETS_REFRESH_SECONDS', '3601'],
    ['LOG_LEVEL', 'loud'],
    ['REQUEST_TIMEOUT_SECONDS', '0'],
    ['HEADERS_TIMEOUT_SECONDS', '31'],
    ['RATE_LIMIT_LOGIN_IP', '20 per minute'],
    ['RATE_LIMIT_TOKEN', '0/60s'],
    ['TRUSTED_PROXIES', '10.0.0.0/33'],
    ['TRUSTED_PROXIES', 'proxy.internal'],
    ['PUBLIC_URL', 'https://orders.example/api'],
    ['PUBLIC_URL', 'orders.example'],
  ])('stops on a bad %s, naming it', (name, value) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    expect(() => loadConfig({ [name]: value })).toThrow(name);
  });

  it('takes the public URL as the issuer, the local address by default outside production', () => {
    expect(loadConfig({}).publicUrl).toBe('http://localhost:3000');
    expect(loadConfig({ PORT: '8080' }).publicUrl).toBe('http://localhost:8080');
    expect(loadConfig({ PUBLIC_URL: 'https://orders.example' }).publicUrl).toBe('https://orders.example');
  });

  it('refuses production without an https PUBLIC_URL (RFC 8414: the issuer is https)', () => {
    expect(() => loadConfig({ NODE_ENV: 'production' })).toThrow('PUBLIC_URL is required in production');
    expect(() => loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'http://orders.example' })).toThrow('PUBLIC_URL must be https in production');
    expect(loadConfig({ NODE_ENV: 'production', PUBLIC_URL: 'https://orders.example' }).publicUrl).toBe('https://orders.example');
  });
});
