import { GetSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { parseSecretDocument, parseSigningKey } from './secret-document';
import { SecretsError } from './secrets-error';
import { SecretsProvider, ServiceSecrets, SigningKey } from './service-secrets';

type VersionStage = 'AWSCURRENT' | 'AWSPREVIOUS';

/**
 * Timeouts and a bounded retry, so an unreachable or silent endpoint fails the boot in seconds:
 * at worst 2 attempts of 3 s plus one short back-off.
 */
const CLIENT_LIMITS = {
  maxAttempts: 2,
  // Without throwOnRequestTimeout the SDK only logs a warning and keeps waiting.
  requestHandler: { connectionTimeout: 2_000, requestTimeout: 3_000, throwOnRequestTimeout: true },
};

const THROTTLING = new Set(['ThrottlingException', 'TooManyRequestsException', 'RequestLimitExceeded']);
const UNREACHABLE = new Set(['ECONNREFUSED', 'ECONNRESET', 'EHOSTUNREACH', 'ENETUNREACH', 'ENOTFOUND', 'EAI_AGAIN', 'EPIPE']);

/**
 * Reads the service's one JSON secret from AWS Secrets Manager: its AWSCURRENT version gives every
 * secret and the signing key; its AWSPREVIOUS version, when there is one, a key that still verifies.
 * Region, credentials and endpoint (AWS_ENDPOINT_URL_SECRETS_MANAGER) come from the SDK's usual chain.
 */
export class AwsSecretsProvider implements SecretsProvider {
  private readonly client = new SecretsManagerClient(CLIENT_LIMITS);

  constructor(private readonly secretId: string) {}

  async load(): Promise<ServiceSecrets> {
    const [current, previous] = await Promise.all([this.read('AWSCURRENT'), this.readPrevious()]);
    const document = this.validate('AWSCURRENT', () => parseSecretDocument(current));
    const previousKey = previous === undefined ? undefined : this.validate('AWSPREVIOUS', () => parseSigningKey(previous));
    return {
      databaseUrl: document.databaseUrl,
      redisUrl: document.redisUrl,
      smtpUrl: document.smtpUrl,
      signingKeys: { current: document.signingKey, previous: this.distinctPrevious(document.signingKey, previousKey) },
    };
  }

  /** A secret that was never rotated has no AWSPREVIOUS version: that just means no previous key. */
  private async readPrevious(): Promise<string | undefined> {
    try {
      return await this.read('AWSPREVIOUS');
    } catch (error) {
      if (error instanceof StageNotFound) return undefined;
      throw error;
    }
  }

  private async read(stage: VersionStage): Promise<string> {
    let secretString: string | undefined;
    try {
      ({ SecretString: secretString } = await this.client.send(new GetSecretValueCommand({ SecretId: this.secretId, VersionStage: stage })));
    } catch (error) {
      throw this.cleanError(stage, error);
    }
    if (secretString === undefined) throw new SecretsError(`${this.describe(stage)} has no SecretString (binary secrets are not supported)`);
    return secretString;
  }

  private validate<T>(stage: VersionStage, parse: () => T): T {
    try {
      return parse();
    } catch (error) {
      throw new SecretsError(`${this.describe(stage)}: ${(error as Error).message}`);
    }
  }

  /**
   * Updating another field of the secret also moves the same key to AWSPREVIOUS: publish it once.
   * A kid reused for a different key would make verifiers pick the wrong key, so it is refused.
   */
  private distinctPrevious(current: SigningKey, previous: SigningKey | undefined): SigningKey | undefined {
    if (previous?.kid !== current.kid) return previous;
    if (previous.publicKey.equals(current.publicKey)) return undefined;
    throw new SecretsError(`${this.describe('AWSPREVIOUS')}: secret field "jwtKeyId" is the same as AWSCURRENT's for a different key`);
  }

  /** Maps an SDK failure to a message naming the secret and the kind of failure, never the SDK's text. */
  private cleanError(stage: VersionStage, error: unknown): SecretsError {
    const secret = this.describe(stage);
    if ((error as Error).name === 'ResourceNotFoundException') return new StageNotFound(`${secret} was not found (ResourceNotFoundException)`);
    return new SecretsError(`${secret}: ${failureKind(error)}`);
  }

  private describe(stage: VersionStage): string {
    return `AWS secret "${this.secretId}" (${stage})`;
  }
}

function failureKind(error: unknown): string {
  const { name = 'unknown error', message = '', $retryable } = error as { name?: string; message?: string; $retryable?: { throttling?: boolean } };
  const code = networkErrorCode(error);
  if (name === 'AccessDeniedException') return 'access denied (AccessDeniedException); the service needs secretsmanager:GetSecretValue on it';
  if (THROTTLING.has(name) || $retryable?.throttling) return `request throttled (${name})`;
  if (name === 'TimeoutError' || code === 'ETIMEDOUT') return 'Secrets Manager did not answer in time (timeout)';
  if (code && UNREACHABLE.has(code)) return `Secrets Manager is unreachable (${code})`;
  if (name === 'CredentialsProviderError') return 'no AWS credentials found in the environment, profile or instance role (CredentialsProviderError)';
  // The SDK's own check, made before any request: its text carries nothing from the secret.
  if (message === 'Region is missing') return 'no AWS region configured (set AWS_REGION)';
  return `could not be read (${name})`;
}

/**
 * The node error code of a network failure. The SDK re-wraps a thrown value that is not an Error of
 * its own realm (as under jest's sandbox) into a plain Error keeping only the text, so look there too.
 */
function networkErrorCode(error: unknown): string | undefined {
  const { code, message } = error as { code?: string; message?: string };
  return code ?? /\b(E[A-Z]{3,})\b/.exec(message ?? '')?.[1];
}

/** ResourceNotFoundException for one version stage; for AWSPREVIOUS it only means "no previous key". */
class StageNotFound extends SecretsError {}
