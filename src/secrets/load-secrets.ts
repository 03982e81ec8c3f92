import { AppConfig } from '../config/app-config';
import { AwsSecretsProvider } from './aws-secrets.provider';
import { LocalSecretsProvider } from './local-secrets.provider';
import { SecretsError } from './secrets-error';
import { SecretsProvider, ServiceSecrets } from './service-secrets';

export { SecretsError };

/** Secret-bearing environment variables, and the field of the AWS secret each belongs in. */
const SECRET_ENV_VARS = { DATABASE_URL: 'databaseUrl', REDIS_URL: 'redisUrl', JWT_PRIVATE_KEY: 'jwtPrivateKey' } as const;

/** Picks the configured provider. Production accepts only AWS Secrets Manager (docs/http-contract.md, Operations). */
export function secretsProviderFor(config: AppConfig, env: NodeJS.ProcessEnv = process.env): SecretsProvider {
  if (config.isProduction) refuseSecretsOutsideAws(config, env);
  if (config.SECRETS_PROVIDER === 'aws') {
    if (!config.AWS_SECRET_ID) throw new SecretsError('AWS_SECRET_ID is required when SECRETS_PROVIDER=aws');
    return new AwsSecretsProvider(config.AWS_SECRET_ID);
  }
  return new LocalSecretsProvider(config.DATA_DIR, { databaseUrl: env.DATABASE_URL, redisUrl: env.REDIS_URL });
}

/** Async throughout, so a refused configuration arrives as a rejection like any other load failure. */
export async function loadSecrets(config: AppConfig, env: NodeJS.ProcessEnv = process.env): Promise<ServiceSecrets> {
  return secretsProviderFor(config, env).load();
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
