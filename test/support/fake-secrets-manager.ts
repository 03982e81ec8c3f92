import { randomUUID } from 'node:crypto';
import { createServer, IncomingMessage, Server, ServerResponse } from 'node:http';
import { AddressInfo } from 'node:net';

export type FailureMode = 'ResourceNotFoundException' | 'AccessDeniedException' | 'ThrottlingException' | 'hang';
type VersionStage = 'AWSCURRENT' | 'AWSPREVIOUS';

interface SecretVersion {
  versionId: string;
  secretString: string;
  createdDate: number;
}

const JSON_1_1 = 'application/x-amz-json-1.1';

/**
 * A local stand-in for AWS Secrets Manager's GetSecretValue, speaking its real JSON 1.1 protocol
 * over HTTP so the real SDK client can be pointed at it (AWS_ENDPOINT_URL_SECRETS_MANAGER).
 * One secret, with an AWSCURRENT and an optional AWSPREVIOUS version.
 */
export class FakeSecretsManager {
  readonly requests: Array<{ SecretId?: string; VersionStage?: string }> = [];
  private readonly versions = new Map<VersionStage, SecretVersion>();
  private failure?: FailureMode;

  private constructor(
    private readonly server: Server,
    readonly secretName: string,
  ) {}

  static async start(secretName = 'orders/test'): Promise<FakeSecretsManager> {
    const server = createServer();
    const fake = new FakeSecretsManager(server, secretName);
    server.on('request', (request, response) => void fake.handle(request, response));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return fake;
  }

  get endpoint(): string {
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  /**
   * The environment a deployment would set for the SDK's usual chain, pointed at this endpoint, with
   * no shared config files or instance metadata: nothing else on the machine can change what it reads.
   */
  get clientEnv(): Record<string, string> {
    return {
      AWS_REGION: 'us-east-1',
      AWS_ACCESS_KEY_ID: 'test-access-key-id',
      AWS_SECRET_ACCESS_KEY: 'test-secret-access-key',
      AWS_ENDPOINT_URL_SECRETS_MANAGER: this.endpoint,
      AWS_CONFIG_FILE: '/nonexistent',
      AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
      AWS_EC2_METADATA_DISABLED: 'true',
    };
  }

  /** Points SDK clients created in this process here (clientEnv, no other AWS_ variable); returns the undo. */
  useInThisProcess(): () => void {
    const saved = { ...process.env };
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, this.clientEnv);
    return () => {
      for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
      Object.assign(process.env, saved);
    };
  }

  setSecret(stage: VersionStage, secretString: string | undefined): void {
    if (secretString === undefined) this.versions.delete(stage);
    else this.versions.set(stage, { versionId: randomUUID(), secretString, createdDate: Date.now() / 1000 });
  }

  /** What PutSecretValue does: the new value becomes AWSCURRENT and the old current AWSPREVIOUS. */
  rotate(secretString: string): void {
    const current = this.versions.get('AWSCURRENT');
    if (current) this.versions.set('AWSPREVIOUS', current);
    this.setSecret('AWSCURRENT', secretString);
  }

  /** Every following request fails this way (undefined: answer normally again). */
  failWith(mode: FailureMode | undefined): void {
    this.failure = mode;
  }

  async close(): Promise<void> {
    // Hung requests and keep-alive sockets would otherwise hold close() open.
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private async handle(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const body = await readBody(request);
    if (this.failure === 'hang') return;
    if (request.method !== 'POST' || request.url !== '/' || !request.headers['content-type']?.startsWith(JSON_1_1)) {
      return reply(response, 400, { __type: 'SerializationException', message: 'Expected a JSON 1.1 POST to /' });
    }
    if (request.headers['x-amz-target'] !== 'secretsmanager.GetSecretValue') {
      return reply(response, 400, { __type: 'UnknownOperationException', message: 'Only GetSecretValue is implemented' });
    }
    const input = JSON.parse(body) as { SecretId?: string; VersionStage?: string };
    this.requests.push(input);
    if (this.failure) return reply(response, 400, { __type: this.failure, message: `Injected ${this.failure}` });

    const stage = (input.VersionStage ?? 'AWSCURRENT') as VersionStage;
    const version = input.SecretId === this.secretName ? this.versions.get(stage) : undefined;
    if (!version) {
      return reply(response, 400, {
        __type: 'ResourceNotFoundException',
        message: `Secrets Manager can't find the specified secret value for staging label: ${stage}`,
      });
    }
    reply(response, 200, {
      ARN: `arn:aws:secretsmanager:us-east-1:000000000000:secret:${this.secretName}-AbCdEf`,
      Name: this.secretName,
      VersionId: version.versionId,
      SecretString: version.secretString,
      VersionStages: [stage],
      CreatedDate: version.createdDate,
    });
  }
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

function reply(response: ServerResponse, status: number, payload: object): void {
  response.writeHead(status, { 'Content-Type': JSON_1_1, 'x-amzn-RequestId': randomUUID() });
  response.end(JSON.stringify(payload));
}
