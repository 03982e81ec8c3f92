/**
 * Just enough markdown reading to check links: inline links, headings and their GitHub anchors,
 * sections and table rows. Fenced code blocks and code spans are skipped, so example code that
 * happens to look like a link is not checked as one.
 */

export interface MarkdownLink {
  text: string;
  target: string;
  /** 1-based, for failure messages. */
  line: number;
}

/** `[text](target)` and `[text](target "title")`; images (`![alt](src)`) match too and are checked alike. */
const INLINE_LINK = /\[([^\]]*)\]\(([^)\s]+)(?:\s+"[^"]*")?\)/g;
const CODE_SPAN = /`[^`]*`/g;
const FENCE = /^ {0,3}(```|~~~)/;
const ATX_HEADING = /^ {0,3}(#{1,6})\s+(.*?)(?:\s+#+)?\s*$/;

/** The lines that are markdown text (fenced code blanked out), numbered from 1. */
function proseLines(markdown: string): { text: string; line: number }[] {
  let inFence = false;
  return markdown.split('\n').map((text, index) => {
    const isFence = FENCE.test(text);
    if (isFence) inFence = !inFence;
    return { text: isFence || inFence ? '' : text, line: index + 1 };
  });
}

export function inlineLinks(markdown: string): MarkdownLink[] {
  return proseLines(markdown).flatMap(({ text, line }) => {
    const codeSpans = [...text.matchAll(CODE_SPAN)].map((span) => [span.index, span.index + span[0].length]);
    return (
      [...text.matchAll(INLINE_LINK)]
        // A link's `[` inside a code span is code (`` `[a](b)` ``); link text may itself hold a code span.
        .filter((link) => !codeSpans.some(([start, end]) => link.index >= start && link.index < end))
        .map((link) => ({ text: link[1], target: link[2], line }))
    );
  });
}

/**
 * The anchor GitHub gives a heading: the rendered text lower-cased, every character that is not a
 * letter, digit, space, `-` or `_` dropped, spaces turned into `-`.
 */
export function githubSlug(heading: string): string {
  const rendered = heading
    .replace(/\[([^\]]*)\]\([^)]*\)/g, '$1') // a link renders as its text
    .replace(/[`*]/g, ''); // code and emphasis marks do not render as text
  return rendered
    .toLowerCase()
    .replace(/[^\p{L}\p{N}\p{M} _-]/gu, '')
    .replace(/ /g, '-');
}

/** Every anchor the file's headings get; a repeated heading gets `-1`, `-2`, … as on GitHub. */
export function headingAnchors(markdown: string): Set<string> {
  const anchors = new Set<string>();
  const seen = new Map<string, number>();
  for (const { text } of proseLines(markdown)) {
    const heading = ATX_HEADING.exec(text);
    if (!heading) continue;
    const slug = githubSlug(heading[2]);
    const repeats = seen.get(slug) ?? 0;
    seen.set(slug, repeats + 1);
    anchors.add(repeats === 0 ? slug : `${slug}-${repeats}`);
  }
  return anchors;
}

/** The text under the `##` heading with this title, up to the next heading of level 1 or 2. */
export function section(markdown: string, title: string): string | undefined {
  // Headings are looked for in prose only: a `# comment` in a shell example is not one.
  const prose = proseLines(markdown).map(({ text }) => text);
  const start = prose.findIndex((line) => line.trim() === `## ${title}`);
  if (start < 0) return undefined;
  const end = prose.findIndex((line, index) => index > start && /^#{1,2}\s/.test(line));
  return markdown
    .split('\n')
    .slice(start + 1, end < 0 ? undefined : end)
    .join('\n');
}

/**
 * The body rows of the one table in a markdown text (a section holding a single table), each as
 * cells keyed by the header's column names. Cells are split on `|`, so none may contain one.
 */
export function tableRows(markdown: string): Record<string, string>[] {
  const cellsOf = (line: string) =>
    line
      .trim()
      .replace(/^\||\|$/g, '')
      .split('|')
      .map((cell) => cell.trim());
  const table = markdown.split('\n').filter((line) => line.trim().startsWith('|'));
  if (table.length < 2) return [];
  const columns = cellsOf(table[0]);
  // table[1] is the |---|---| line under the header.
  return table.slice(2).map((line) => Object.fromEntries(cellsOf(line).map((cell, index) => [columns[index], cell])));
}
