import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';

export const ROOT = join(__dirname, '../..');
export const NGINX_TEMPLATE = join(ROOT, 'deploy/nginx/templates/default.conf.template');
export const CERT_SCRIPT = join(ROOT, 'deploy/tls/make-self-signed-cert.sh');

/** The parts of a compose service these tests read, in the forms docker-compose.yml uses. */
export interface ComposeService {
  image?: string;
  build?: string;
  entrypoint?: string[];
  environment?: Record<string, string>;
  ports?: string[];
  volumes?: string[];
  tmpfs?: string[];
  read_only?: boolean;
  network_mode?: string;
  networks?: string[] | Record<string, { ipv4_address?: string } | null>;
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
  command?: string[];
}

export interface Compose {
  services: Record<string, ComposeService>;
  networks: Record<string, { ipam?: { config: Array<{ subnet: string; ip_range?: string }> } }>;
  volumes: Record<string, unknown>;
}

/** docker-compose.yml as compose reads it: YAML 1.1 merge keys (`<<: *anchor`) resolved. */
export function readCompose(): Compose {
  return parse(readFileSync(join(ROOT, 'docker-compose.yml'), 'utf8'), { merge: true }) as Compose;
}

/** The networks a service joins, whichever of compose's two forms it uses. */
export function networksOf(service: ComposeService): string[] {
  return Array.isArray(service.networks) ? service.networks : Object.keys(service.networks ?? {});
}

/** Splits a short-syntax mount (`source:target[:ro]`) or port (`published:target`). */
export function splitPair(entry: string): { source: string; target: string; options?: string } {
  const [source, target, options] = entry.split(':');
  return { source, target, options };
}

/**
 * A short-syntax port, `[host_ip:]published:target`: without a host address, compose publishes it on
 * every interface of the host; with one, on that address only.
 */
export function splitPort(entry: string): { hostIp?: string; published: string; target: string } {
  const parts = entry.split(':');
  if (parts.length === 2) return { published: parts[0], target: parts[1] };
  if (parts.length === 3) return { hostIp: parts[0], published: parts[1], target: parts[2] };
  throw new Error(`not a short-syntax port of this file's kind: ${entry}`);
}

/** The port of a `host:port` listen address, as Mailpit's MP_*_BIND_ADDR settings name them. */
export function portOf(bindAddress: string): string {
  return bindAddress.slice(bindAddress.lastIndexOf(':') + 1);
}

export const CREATE_SECRET_SCRIPT = join(ROOT, 'deploy/localstack/create-secret.sh');

/**
 * The nginx template rendered as the nginx image does at start (envsubst on the variables that
 * NGINX_ENVSUBST_FILTER selects): each `${EDGE_...}` is replaced; one left unset is an error here.
 */
export function renderNginxTemplate(variables: Record<string, string>): string {
  return readFileSync(NGINX_TEMPLATE, 'utf8').replace(/\$\{(EDGE_\w+)\}/g, (_match, name: string) => {
    if (variables[name] === undefined) throw new Error(`the nginx template uses ${name}, which is not set`);
    return variables[name];
  });
}

export interface Directive {
  name: string;
  args: string[];
  block?: Directive[];
}

/**
 * A small parser for nginx configuration: directives with their arguments (quotes removed) and
 * their blocks. Tokens are quoted strings, comments, braces, semicolons and bare words; enough for
 * the configuration of this project (no variables expanded, no includes followed).
 */
export function parseNginx(text: string): Directive[] {
  const root: Directive[] = [];
  const blocks = [root];
  let words: string[] = [];
  for (const token of text.match(/'(?:[^'\\]|\\.)*'|"(?:[^"\\]|\\.)*"|#.*|[{};]|[^\s{};'"#]+/g) ?? []) {
    if (token.startsWith('#')) continue;
    if (token === ';' || token === '{') {
      const [name, ...args] = words;
      const directive: Directive = { name, args };
      blocks.at(-1)!.push(directive);
      if (token === '{') blocks.push((directive.block = []));
      words = [];
    } else if (token === '}') {
      blocks.pop();
    } else {
      words.push(/^['"]/.test(token) ? unquote(token.slice(1, -1)) : token);
    }
  }
  if (blocks.length !== 1 || words.length > 0) throw new Error('unbalanced nginx configuration');
  return root;
}

// The escapes nginx reads inside quotes: \n, \r, \t, and a quote or backslash taken literally.
function unquote(quoted: string): string {
  return quoted.replace(/\\([nrt"'\\])/g, (_escape, char: string) => ({ n: '\n', r: '\r', t: '\t' })[char] ?? char);
}

/** The directives of one name in a block (not in its nested blocks). */
export function all(block: Directive[] | undefined, name: string): Directive[] {
  return (block ?? []).filter((directive) => directive.name === name);
}

/** The one directive of that name in a block; none or several is an error. */
export function one(block: Directive[] | undefined, name: string): Directive {
  const found = all(block, name);
  if (found.length !== 1) throw new Error(`expected one "${name}", found ${found.length}`);
  return found[0];
}

/** An nginx size (`100k`, `1m`, `512`) in bytes. */
export function nginxBytes(size: string): number {
  const match = /^(\d+)([km]?)$/i.exec(size);
  if (!match) throw new Error(`not an nginx size: ${size}`);
  return Number(match[1]) * { '': 1, k: 1024, m: 1024 * 1024 }[match[2].toLowerCase() as '' | 'k' | 'm'];
}

/** An nginx time (`4s`, `500ms`, `1m`) in milliseconds. */
export function nginxMilliseconds(time: string): number {
  const match = /^(\d+)(ms|s|m)?$/.exec(time);
  if (!match) throw new Error(`not an nginx time: ${time}`);
  return Number(match[1]) * { ms: 1, s: 1000, m: 60_000 }[(match[2] ?? 's') as 'ms' | 's' | 'm'];
}
