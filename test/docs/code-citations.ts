/**
 * The files a TypeScript source cites in its comments (`see docs/design.md`, `(src/products/products.repository.ts)`,
 * `docs/http-contract.md`), so a test can check that each one exists. Only comments are read: strings and code are
 * left alone, and so are URLs (`https://…/x.md` is another site).
 */
const COMMENT = /\/\*[\s\S]*?\*\/|\/\/[^\n]*/g;
const CITED_FILE = /(?<![\w./:-])((?:\.{1,2}\/)*(?:[\w.-]+\/)*[\w-]+(?:\.[\w-]+)*\.(?:md|ts|json|ya?ml|sh|template))(?![\w/])/g;

export interface Citation {
  path: string;
  /** 1-based, for failure messages. */
  line: number;
}

export function citedFiles(source: string): Citation[] {
  return [...source.matchAll(COMMENT)].flatMap((comment) => {
    // `//` right after a `:` is a URL in code (`'https://…'`), not a comment.
    if (comment[0].startsWith('//') && source[comment.index - 1] === ':') return [];
    return [...comment[0].matchAll(CITED_FILE)].map((match) => ({
      path: match[1],
      line: source.slice(0, comment.index + match.index).split('\n').length,
    }));
  });
}
