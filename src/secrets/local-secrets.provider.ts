import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { SecretsProvider, ServiceSecrets } from './service-secrets';
import { signingKeyFromPem } from './signing-key';

interface LocalSecretsFile {
  jwtKeyId: string;
  jwtPrivateKey: string;
}

/**
 * The embedded default: secrets generated on first run into `<DATA_DIR>/secrets.json` (mode 0600)
 * and reused afterwards. Never allowed in production, where secrets come only from AWS Secrets Manager.
 */
export class LocalSecretsProvider implements SecretsProvider {
  constructor(
    private readonly dataDir: string,
    private readonly env: { databaseUrl?: string; redisUrl?: string; smtpUrl?: string },
  ) {}

  async load(): Promise<ServiceSecrets> {
    const file = this.readOrCreate();
    return {
      databaseUrl: this.env.databaseUrl,
      redisUrl: this.env.redisUrl,
      smtpUrl: this.env.smtpUrl,
      signingKeys: { current: signingKeyFromPem(file.jwtKeyId, file.jwtPrivateKey) },
    };
  }

  private readOrCreate(): LocalSecretsFile {
    const path = join(this.dataDir, 'secrets.json');
    if (existsSync(path)) return JSON.parse(readFileSync(path, 'utf8')) as LocalSecretsFile;
    mkdirSync(this.dataDir, { recursive: true, mode: 0o700 });
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    const file: LocalSecretsFile = {
      jwtKeyId: randomUUID(),
      jwtPrivateKey: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
    };
    // 'wx' fails if another process created the file first; mode 0600 keeps it to the owner.
    writeFileSync(path, JSON.stringify(file, null, 2), { mode: 0o600, flag: 'wx' });
    return file;
  }
}
