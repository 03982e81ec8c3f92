import { AppConfig } from '../config/app-config';
import { AwsSecretsProvider } from './aws-secrets.provider';
import { LocalSecretsProvider } from './local-secrets.provider';
import { SMTP_PROTOCOLS } from './secret-document';
import { SecretsError } from './secrets-error';
import { SecretsProvider, ServiceSecrets } from './service-secrets';

export { SecretsError };

/** Secret-bearing environment variables, and the field of the AWS secret each belongs in. */
const SECRET_ENV_VARS = { DATABASE_URL: 'databaseUrl', REDIS_URL: 'redisUrl', SMTP_URL: 'smtpUrl', JWT_PRIVATE_KEY: 'jwtPrivateKey' } as const;

/** Picks the configured provider. Production accepts only AWS Secrets Manager (docs/http-contract.md, Operations). */
export function secretsProviderFor(config: AppConfig, env: NodeJS.ProcessEnv = process.env): SecretsProvider {
  if (config.isProduction) refuseSecretsOutsideAws(config, env);
  if (config.SECRETS_PROVIDER === 'aws') {
    if (!config.AWS_SECRET_ID) throw new SecretsError('AWS_SECRET_ID is required when SECRETS_PROVIDER=aws');
    return new AwsSecretsProvider(config.AWS_SECRET_ID);
  }
  if (env.SMTP_URL && !SMTP_PROTOCOLS.some((protocol) => env.SMTP_URL!.startsWith(`${protocol}//`))) {
    throw new SecretsError('SMTP_URL must be an smtp:// or smtps:// URL');
  }
  return new LocalSecretsProvider(config.DATA_DIR, { databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL, smtpUrl: env.SMTP_URL || undefined });
}

/** Async throughout, so a refused configuration arrives as a rejection like any other load failure. */
export async function loadSecrets(config: AppConfig, env: NodeJS.ProcessEnv = process.env): Promise<ServiceSecrets> {
  return readSecrets(secretsProviderFor(config, env), config);
}

/** The secrets `provider` holds, refused if production cannot run on them. */
export async function readSecrets(provider: SecretsProvider, config: AppConfig): Promise<ServiceSecrets> {
  const secrets = await provider.load();
  // Without SMTP the mails would only be kept in the outbox: no user would ever get a verification or reset link.
  if (config.isProduction && !secrets.smtpUrl) throw new SecretsError('the AWS secret needs field "smtpUrl" in production: the service mails its users');
  return secrets;
}

function refuseSecretsOutsideAws(config: AppConfig, env: NodeJS.ProcessEnv): void {
  if (config.SECRETS_PROVIDER === 'local') {
    throw new SecretsError('SECRETS_PROVIDER=local is refused in production: use SECRETS_PROVIDER=aws');
  }
  for (const [variable, field] of Object.entries(SECRET_ENV_VARS)) {
    if (env[variable]) {
      throw new SecretsError(`${variable} is refused in production: it belongs in the AWS secret (AWS_SECRET_ID), field "${field}"`);
    }
  }
}
