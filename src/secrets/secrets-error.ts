/**
 * A secret could not be loaded or is malformed. Its message names the secret, field or setting,
 * never a secret value, so it is safe to print at boot and to log on a failed refresh.
 */
export class SecretsError extends Error {
  override readonly name = 'SecretsError';
}
