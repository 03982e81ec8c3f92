import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { citedFiles } from './code-citations';
import { headingAnchors, inlineLinks, section, tableRows } from './markdown';

const ROOT = resolve(__dirname, '../..');

const markdownUnder = (folder: string): string[] =>
  readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
    .filter((path) => path.endsWith('.md'))
    .map((path) => join(folder, path))
    .sort();

const DOCUMENTS = ['README.md', 'SECURITY.md', 'bench/README.md', ...markdownUnder('docs')];

const read = (path: string): string => readFileSync(join(ROOT, path), 'utf8');

/** A scheme (`https:`, `mailto:`, …) means another site: not ours to check offline. */
const EXTERNAL = /^[a-z][a-z0-9+.-]*:/i;

/**
 * What is wrong with one relative link of a markdown file, or undefined when it resolves: the
 * path must exist inside the repository (a clone has nothing beyond it), and an anchor into a
 * markdown file must name one of its headings.
 */
function problemWith(document: string, target: string): string | undefined {
  const [path, anchor] = target.split('#', 2);
  const file = path === '' ? join(ROOT, document) : resolve(ROOT, dirname(document), decodeURIComponent(path));
  const inRepository = relative(ROOT, file);
  if (inRepository.startsWith('..') || isAbsolute(inRepository)) return 'points outside the repository';
  if (!existsSync(file)) return `${inRepository} does not exist`;
  if (anchor && file.endsWith('.md') && !headingAnchors(readFileSync(file, 'utf8')).has(anchor)) {
    return `${inRepository} has no heading with the anchor #${anchor}`;
  }
  return undefined;
}

describe('markdown links', () => {
  it('finds the documents and links in them (a check over nothing proves nothing)', () => {
    expect(DOCUMENTS).toEqual(expect.arrayContaining(['README.md', 'SECURITY.md', 'docs/decisions/0001-fastify-over-express.md']));
    expect(inlineLinks(read('README.md')).length).toBeGreaterThan(20);
  });

  it.each(DOCUMENTS)('every relative link in %s resolves', (document) => {
    const broken = inlineLinks(read(document))
      .filter((link) => !EXTERNAL.test(link.target))
      .flatMap((link) => {
        const problem = problemWith(document, link.target);
        return problem ? [`${document}:${link.line}: [${link.text}](${link.target}): ${problem}`] : [];
      });
    expect(broken).toEqual([]);
  });

  it('reads links outside code only, and anchors as GitHub makes them', () => {
    const markdown = ['[real](a.md) and `[code](b.md)`', '```sh', '[example](c.md)', '```', '[`code text`](d.md#x)'].join('\n');
    expect(inlineLinks(markdown).map((link) => [link.target, link.line])).toEqual([
      ['a.md', 1],
      ['d.md#x', 5],
    ]);
    expect([...headingAnchors('# A tour of the folders\n## API key format (for secret scanners)\n## `Docker`!\n## Docker')]).toEqual([
      'a-tour-of-the-folders',
      'api-key-format-for-secret-scanners',
      'docker',
      'docker-1',
    ]);
  });

  it('the link check itself fails on a missing file, a wrong anchor and a path out of the repository', () => {
    expect(problemWith('README.md', 'SECURITY.md#threat-model')).toBeUndefined();
    expect(problemWith('docs/decisions/0001-fastify-over-express.md', '../../README.md#two-commands')).toBeUndefined();
    expect(problemWith('README.md', 'no-such-file.md')).toBe('no-such-file.md does not exist');
    expect(problemWith('README.md', 'SECURITY.md#no-such-heading')).toBe('SECURITY.md has no heading with the anchor #no-such-heading');
    expect(problemWith('README.md', '#no-such-heading')).toBe('README.md has no heading with the anchor #no-such-heading');
    expect(problemWith('README.md', '../README.md')).toBe('points outside the repository');
  });
});

/**
 * README's "Security checklist" maps each item to the code that implements it and the test that
 * proves it. A row is only as good as its links: each must name code and a real test, and each
 * test name quoted in a row ("…") must be found in one of the test files that row links.
 */
describe('README security checklist', () => {
  const rows = tableRows(section(read('README.md'), 'Security checklist') ?? '');
  // README sits at the root, so its link targets are paths from the root.
  const linkedFiles = (cell: string) => inlineLinks(cell).map((link) => link.target.split('#')[0]);
  // The names jest runs (jest.config.js: *.spec.ts, *.medium-spec.ts and *.e2e-spec.ts, one per tier).
  const TEST_FILE = /\.(?:e2e-|medium-|browser-)?spec\.ts$/;
  const HOLDS_A_TEST = /^\s*(?:it|test)(?:\.each)?\(/m;
  const OWASP_API_TOP_10_2023 = Array.from({ length: 10 }, (_, index) => `API${index + 1}`);

  it('has a row for each standard item and each OWASP API Security Top 10 2023 item', () => {
    expect(rows.length).toBeGreaterThanOrEqual(20);
    const items = rows.map((row) => row.item);
    for (const owaspItem of OWASP_API_TOP_10_2023) {
      expect({ owaspItem, row: items.some((item) => item.startsWith(`${owaspItem} `)) }).toEqual({ owaspItem, row: true });
    }
  });

  it('links on every row at least one file that implements the item and one test that proves it', () => {
    const incomplete = rows
      .filter((row) => linkedFiles(row['implemented in'] ?? '').length === 0 || linkedFiles(row['proved by'] ?? '').length === 0)
      .map((row) => row.item);
    expect(incomplete).toEqual([]);
  });

  it('links as proof only test files that hold a test, and finds each quoted test name in them', () => {
    const problems = rows.flatMap((row) => {
      const tests = linkedFiles(row['proved by'] ?? '');
      const existing = tests.filter((path) => existsSync(join(ROOT, path))); // a missing one is reported above
      const notTests = existing
        .filter((path) => !TEST_FILE.test(path) || !HOLDS_A_TEST.test(read(path)))
        .map((path) => `${row.item}: ${path} is not a test file holding an it( or test(`);
      const sources = existing.map(read);
      const unknownNames = [...(row['proved by'] ?? '').matchAll(/"([^"]+)"/g)]
        .map(([, name]) => name)
        .filter((name) => !sources.some((source) => source.includes(name)))
        .map((name) => `${row.item}: no linked test file mentions "${name}"`);
      return [...notTests, ...unknownNames];
    });
    expect(problems).toEqual([]);
  });
});

/**
 * Code comments cite the project's documents (`docs/http-contract.md, Orders`) and other files. A
 * citation of a file the repository does not have sends a learner nowhere: it fails here. A path is
 * looked up from the repository root and from the citing file's folder; a bare file name (`main.ts`)
 * anywhere in the repository.
 */
describe('files cited in code comments', () => {
  const SKIPPED = new Set(['node_modules', 'dist', '.git', '.data', 'coverage']);
  const filesUnder = (folder: string): string[] =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((path) => !path.split('/').some((part) => SKIPPED.has(part)))
      .map((path) => join(folder, path));
  const sources = ['src', 'test', 'bench', 'scripts'].flatMap(filesUnder).filter((path) => path.endsWith('.ts'));
  const baseNames = new Set(
    readdirSync(ROOT, { recursive: true, encoding: 'utf8' })
      .filter((path) => !path.split('/').some((part) => SKIPPED.has(part)))
      .map((path) => path.split('/').pop()),
  );

  const missing = (source: string, cited: string): boolean =>
    !existsSync(join(ROOT, cited)) && !existsSync(join(ROOT, dirname(source), cited)) && (cited.includes('/') || !baseNames.has(cited));

  it('finds sources and citations in them (a check over nothing proves nothing)', () => {
    expect(sources.length).toBeGreaterThan(100);
    expect(sources.flatMap((source) => citedFiles(read(source))).length).toBeGreaterThan(20);
  });

  it('every file a comment in a .ts file cites exists', () => {
    const broken = sources.flatMap((source) =>
      citedFiles(read(source))
        .filter((citation) => missing(source, citation.path))
        .map((citation) => `${source}:${citation.line}: cites ${citation.path}, which the repository does not have`),
    );
    expect(broken).toEqual([]);
  });

  it('the check itself reads comments only, and fails on a missing file', () => {
    // Built from pieces, so that this file itself holds no such comment for the check above to find.
    const [line, open, close] = ['/'.repeat(2), '/*', '*/'];
    // The name of a contract page the repository does not have (in pieces, for the same reason).
    const absent = ['API', 'md'].join('.');
    const source = [
      `${line} see docs/design.md and ${absent}`,
      "const url = 'https://example.test/x.md';",
      `${open} (src/no-such-file.ts) ${close}`,
      "const path = 'README.md';",
    ].join('\n');
    expect(citedFiles(source)).toEqual([
      { path: 'docs/design.md', line: 1 },
      { path: absent, line: 1 },
      { path: 'src/no-such-file.ts', line: 3 },
    ]);
    expect(
      citedFiles(source)
        .filter((citation) => missing('src/app.module.ts', citation.path))
        .map((citation) => citation.path),
    ).toEqual([absent, 'src/no-such-file.ts']);
  });
});
