import { plainToInstance, Transform } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, Min, validateSync } from 'class-validator';
import { BlockList, isIP } from 'node:net';
import { parseRateLimit, RateLimitSetting } from './rate-limit-setting';

export const RATE_LIMIT_NAMES = ['ANONYMOUS', 'AUTHENTICATED', 'LOGIN_IP', 'LOGIN_EMAIL', 'TOKEN'] as const;
export type RateLimitName = (typeof RATE_LIMIT_NAMES)[number];
const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'] as const;

/**
 * The service's configuration, read once from the environment at boot and validated.
 * A bad value stops the boot with a message naming the variable (DESIGN.md, pattern 6).
 * Secrets are not here: they come from the SecretsProvider (src/secrets) and never have defaults.
 */
export class AppConfig {
  @IsIn(['development', 'test', 'production'])
  NODE_ENV: 'development' | 'test' | 'production' = 'development';

  @Transform(({ value }) => (value === undefined ? value : Number(value)))
  @IsInt()
  @Min(0)
  @Max(65535)
  PORT = 3000;

  @IsString()
  HOST = '0.0.0.0';

  @IsString()
  DATA_DIR = '.data';

  @IsIn(['local', 'aws'])
  SECRETS_PROVIDER: 'local' | 'aws' = 'local';

  @IsOptional()
  @IsString()
  AWS_SECRET_ID?: string;

  /** Comma-separated CIDRs (or single addresses) of proxies whose X-Forwarded-* headers we believe. */
  @IsString()
  @Matches(/^[0-9a-fA-F.:/,\s]*$/, { message: 'TRUSTED_PROXIES must be a comma-separated list of CIDRs' })
  TRUSTED_PROXIES = '';

  /** Comma-separated list of allowed browser origins; empty means no cross-origin access. */
  @IsString()
  CORS_ORIGINS = '';

  @IsIn(LOG_LEVELS)
  LOG_LEVEL: (typeof LOG_LEVELS)[number] = 'info';

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

  get isProduction(): boolean {
    return this.NODE_ENV === 'production';
  }

  rateLimit(name: RateLimitName): RateLimitSetting {
    // Validated at load time, so parsing cannot fail here.
    return parseRateLimit(this[`RATE_LIMIT_${name}`])!;
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
  const problems = validateSync(config).flatMap((error) =>
    Object.values(error.constraints ?? {}).map(() => `${error.property} is invalid`),
  );
  for (const name of RATE_LIMIT_NAMES) {
    if (!parseRateLimit(config[`RATE_LIMIT_${name}`])) problems.push(`RATE_LIMIT_${name} must look like 60/60s (quota/window in seconds)`);
  }
  for (const entry of splitList(config.TRUSTED_PROXIES)) {
    if (!isValidCidr(entry)) problems.push(`TRUSTED_PROXIES has an invalid entry: ${entry}`);
  }
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
