import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { AppConfig } from './app-config';

const ROOT = join(__dirname, '../..');
const read = (file: string) => readFileSync(join(ROOT, file), 'utf8');

/** The variables the configuration class reads: its own fields (each declared one, set or not). */
const SETTINGS = Object.keys(new AppConfig());

/** The first cell of each row of the README's `## Configuration` table: `| \`NAME\` | … |`. */
function readmeTableNames(readme: string): string[] {
  const section = readme.split(/^## Configuration$/m)[1]?.split(/^## /m)[0] ?? '';
  return [...section.matchAll(/^\| `([A-Z0-9_]+)` \|/gm)].map((row) => row[1]);
}

/** Each `NAME=` in .env.example, commented out (`# NAME=default`) or not. */
function envExampleNames(example: string): string[] {
  return [...example.matchAll(/^#? ?([A-Z0-9_]+)=/gm)].map((line) => line[1]);
}

describe('Configuration docs', () => {
  it('reads the configuration class (a check that finds nothing proves nothing)', () => {
    expect(SETTINGS).toEqual(expect.arrayContaining(['NODE_ENV', 'PORT', 'TLS_KEY_FILE', 'TLS_CERT_FILE', 'REDIS_KEY_PREFIX', 'LOG_LEVEL']));
  });

  it('has every setting in the README configuration table', () => {
    const documented = new Set(readmeTableNames(read('README.md')));
    expect(SETTINGS.filter((name) => !documented.has(name))).toEqual([]);
  });

  it('has every setting in .env.example', () => {
    const listed = new Set(envExampleNames(read('.env.example')));
    expect(SETTINGS.filter((name) => !listed.has(name))).toEqual([]);
  });

  it('finds a missing setting (the check itself works)', () => {
    expect(readmeTableNames('## Configuration\n\n| `PORT` | `3000` | port |\n\n## Next\n\n| `HOST` | x | y |\n')).toEqual(['PORT']);
    expect(envExampleNames('# Copy to .env\n# PORT=3000\nHOST=0.0.0.0\n# a PORT_NOTE= in prose\n')).toEqual(['PORT', 'HOST']);
  });

  it('says in .env.example that it is copied to .env and that npm start reads it', () => {
    const header = read('.env.example').split('\n\n')[0];
    expect(header).toMatch(/Copy to \.env/);
    expect(header).toMatch(/npm start.*reads \.env/s);
  });
});
