import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { accessSync, constants, statSync } from 'node:fs';
import { BlockList, isIP } from 'node:net';
import { parseRateLimit, RateLimitSetting } from './rate-limit-setting';

export const RATE_LIMIT_NAMES = ['ANONYMOUS', 'AUTHENTICATED', 'LOGIN_IP', 'LOGIN_EMAIL', 'TOKEN', 'ACCOUNT_IP', 'ACCOUNT_EMAIL'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;
const LOG_FORMATS = ['json', 'pretty'] as const;
const toNumber = ({ value }: { value: unknown }) => (value === undefined ? value : Number(value));

/**
 * The service's configuration, read once from the environment at boot and validated.
 * A bad value stops the boot with a message naming the variable (docs/design.md, pattern 6).
 * Secrets are not here: they come from the SecretsProvider (src/secrets) and never have defaults.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(toNumber)
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  /** How long a client may take to send a whole request, headers and body (OWASP API4: slow clients). */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(300)
  REQUEST_TIMEOUT_SECONDS = 30;

  /** How long a client may take to send its request line and headers; no longer than the request timeout. */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(300)
  HEADERS_TIMEOUT_SECONDS = 10;

  @IsString()
  DATA_DIR = '.data';

  @IsIn(['local', 'aws'])
  SECRETS_PROVIDER: 'local' | 'aws' = 'local';

  @IsOptional()
  @IsString()
  AWS_SECRET_ID?: string;

  /**
   * How often the AWS secret is re-read, so a rotated signing key is used without a restart. At most
   * an hour: an instance that has not re-read it yet refuses tokens signed with the new key.
   */
  @Transform(toNumber)
  @IsInt()
  @Min(1)
  @Max(3600)
  SECRETS_REFRESH_SECONDS = 300;

  /** Comma-separated CIDRs (or single addresses) of proxies whose X-Forwarded-* headers we believe. */
  @IsString()
  @Matches(/^[0-9a-fA-F.:/,\s]*$/, { message: 'TRUSTED_PROXIES must be a comma-separated list of CIDRs' })
  TRUSTED_PROXIES = '';

  /**
   * The service's own public origin, e.g. `https://orders.example`: the `iss` of its tokens and the
   * issuer of its OAuth metadata, which clients check against the URL they discovered it from
   * (RFC 8414 §3.3). Required, and https, in production; elsewhere it defaults to the local address.
   */
  @IsOptional()
  @IsString()
  PUBLIC_URL?: string;

  /** The sender of the service's mails; default `no-reply@` the host of PUBLIC_URL. */
  @IsOptional()
  @IsString()
  MAIL_FROM?: string;

  /** Comma-separated list of allowed browser origins; empty means no cross-origin access. */
  @IsString()
  CORS_ORIGINS = '';

  /** Optional native TLS: PEM files of the private key and of the certificate chain, set together. */
  @IsOptional()
  @IsString()
  TLS_KEY_FILE?: string;

  @IsOptional()
  @IsString()
  TLS_CERT_FILE?: string;

  /** Namespace for this deployment's Redis keys, when several deployments (or test runs) share one Redis. */
  @IsString()
  @Matches(/^[A-Za-z0-9:_-]{0,64}$/, { message: 'REDIS_KEY_PREFIX may hold only letters, digits, ":", "_" and "-"' })
  REDIS_KEY_PREFIX = '';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

  /** `json` (one object per line, for machines) or `pretty` (for a person); unset: pretty on a terminal outside production. */
  @IsOptional()
  @IsIn(LOG_FORMATS)
  LOG_FORMAT?: (typeof LOG_FORMATS)[number];

  @IsString()
  RATE_LIMIT_ANONYMOUS = '60/60s';

  @IsString()
  RATE_LIMIT_AUTHENTICATED = '600/60s';

  @IsString()
  RATE_LIMIT_LOGIN_IP = '20/900s';

  @IsString()
  RATE_LIMIT_LOGIN_EMAIL = '5/900s';

  @IsString()
  RATE_LIMIT_TOKEN = '20/60s';

  /** Requests to the account routes that mail or take a mailed token (register, reset, …), per client IP. */
  @IsString()
  RATE_LIMIT_ACCOUNT_IP = '20/900s';

  /** Mails those routes may send to one address: a sign-up or reset flood cannot fill someone's inbox. */
  @IsString()
  RATE_LIMIT_ACCOUNT_EMAIL = '5/3600s';

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  rateLimit(name: RateLimitName): RateLimitSetting {
    // Validated at load time, so parsing cannot fail here.
    return parseRateLimit(this[`RATE_LIMIT_${name}`])!;
  }

  get publicUrl(): string {
    return this.PUBLIC_URL ?? `http://localhost:${this.PORT}`;
  }

  get mailFrom(): string {
    return this.MAIL_FROM ?? `no-reply@${new URL(this.publicUrl).hostname}`;
  }

  get corsOrigins(): string[] {
    return splitList(this.CORS_ORIGINS);
  }

  get trustedProxies(): BlockList {
    const list = new BlockList();
    for (const entry of splitList(this.TRUSTED_PROXIES)) {
      const [address, prefix] = entry.split('/');
      const family = isIP(address) === 6 ? 'ipv6' : 'ipv4';
      if (prefix === undefined) list.addAddress(address, family);
      else list.addSubnet(address, Number(prefix), family);
    }
    return list;
  }
}

function splitList(value: string): string[] {
  return value
    .split(',')
    .map((item) => item.trim())
    .filter((item) => item.length > 0);
}

export class ConfigError extends Error {}

/** Reads and validates the configuration; throws a ConfigError naming every bad variable. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): AppConfig {
  const known = Object.keys(new AppConfig());
  const present = Object.fromEntries(known.filter((key) => env[key] !== undefined && env[key] !== '').map((key) => [key, env[key]]));
  const config = plainToInstance(AppConfig, present);
  const problems = validateSync(config).flatMap((error) => Object.values(error.constraints ?? {}).map(() => `${error.property} is invalid`));
  // Node refuses a headers timeout longer than the request timeout.
  if (config.HEADERS_TIMEOUT_SECONDS > config.REQUEST_TIMEOUT_SECONDS) problems.push('HEADERS_TIMEOUT_SECONDS must not exceed REQUEST_TIMEOUT_SECONDS');
  for (const name of RATE_LIMIT_NAMES) {
    if (!parseRateLimit(config[`RATE_LIMIT_${name}`])) problems.push(`RATE_LIMIT_${name} must look like 60/60s (quota/window in seconds)`);
  }
  for (const entry of splitList(config.TRUSTED_PROXIES)) {
    if (!isValidCidr(entry)) problems.push(`TRUSTED_PROXIES has an invalid entry: ${entry}`);
    // A /0 makes every peer a proxy, so every client could claim any address (and HTTPS) by header.
    else if (config.isProduction && entry.endsWith('/0')) problems.push(`TRUSTED_PROXIES may not trust every address in production (${entry})`);
  }
  for (const entry of config.corsOrigins) {
    if (!isExactOrigin(entry)) problems.push(`CORS_ORIGINS has an entry that is not an exact origin: ${entry}`);
  }
  problems.push(...publicUrlProblems(config));
  problems.push(...tlsFileProblems(config));
  if (problems.length > 0) throw new ConfigError(`Invalid configuration: ${[...new Set(problems)].join('; ')}`);
  return config;
}

function isValidCidr(entry: string): boolean {
  const [address, prefix, extra] = entry.split('/');
  const version = isIP(address);
  if (version === 0 || extra !== undefined) return false;
  if (prefix === undefined) return true;
  const bits = Number(prefix);
  return /^\d{1,3}$/.test(prefix) && bits <= (version === 6 ? 128 : 32);
}

// A wildcard (or any pattern) would open the API to every site: only exact origins such as
// https://shop.example (scheme, host, optional port; no path) are allowed. The URL parser takes
// `*` as a host character, hence the explicit check.
function isExactOrigin(entry: string): boolean {
  return !entry.includes('*') && URL.canParse(entry) && new URL(entry).origin === entry;
}

// RFC 8414 §2: the issuer is an https URL with no query or fragment; only development may use http.
function publicUrlProblems({ PUBLIC_URL, isProduction }: AppConfig): string[] {
  if (PUBLIC_URL === undefined) return isProduction ? ['PUBLIC_URL is required in production'] : [];
  if (!isExactOrigin(PUBLIC_URL)) return ['PUBLIC_URL must be an origin such as https://orders.example (no path)'];
  return isProduction && !PUBLIC_URL.startsWith('https://') ? ['PUBLIC_URL must be https in production'] : [];
}

// A half-configured TLS must stop the boot, not fall back to plain HTTP.
function tlsFileProblems({ TLS_KEY_FILE, TLS_CERT_FILE }: AppConfig): string[] {
  if (Boolean(TLS_KEY_FILE) !== Boolean(TLS_CERT_FILE)) return ['TLS_KEY_FILE and TLS_CERT_FILE must be set together'];
  return Object.entries({ TLS_KEY_FILE, TLS_CERT_FILE })
    .filter(([, path]) => path !== undefined && !isReadableFile(path))
    .map(([name]) => `${name} is not a readable file`);
}

function isReadableFile(path: string): boolean {
  try {
    accessSync(path, constants.R_OK);
    return statSync(path).isFile();
  } catch {
    return false;
  }
}
