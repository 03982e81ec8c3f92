/**
 * The steps of a README section written as a walkthrough: every ```sh block is a step, and the
 * ```text block right after it is what the step prints, with `<n>` standing for a number that
 * changes from run to run (a remaining quota, seconds to wait).
 */
export interface WalkthroughStep {
  /** The `###` heading the block is under, numbered when that heading has several blocks. */
  name: string;
  script: string;
  expectedOutput: string;
}

/** The steps of the `## <title>` section of `markdown`, in order. */
export function walkthroughSteps(markdown: string, title: string): WalkthroughStep[] {
  const section = sectionBody(markdown, title);
  const blocks = fencedBlocks(section);
  const steps: Array<Omit<WalkthroughStep, 'name'> & { heading: string }> = [];
  for (const [index, block] of blocks.entries()) {
    if (block.language !== 'sh') continue;
    const next = blocks[index + 1];
    if (next?.language !== 'text') {
      throw new Error(`"${title}", under "${block.heading}": every \`\`\`sh block needs a \`\`\`text block of its output after it`);
    }
    steps.push({ heading: block.heading, script: block.content, expectedOutput: next.content });
  }
  if (steps.length === 0) throw new Error(`"${title}" has no \`\`\`sh blocks`);
  return steps.map(({ heading, ...step }, index) => {
    const underSameHeading = steps.filter((other) => other.heading === heading);
    const name = underSameHeading.length > 1 ? `${heading} (block ${underSameHeading.indexOf(steps[index]) + 1})` : heading;
    return { name, ...step };
  });
}

/**
 * `actual` with every line that matches the expected line of the same number, `<n>` and all,
 * replaced by that expected line: comparing the result with `expected` then shows exactly the
 * lines that differ, and nothing of the numbers that are allowed to.
 */
export function withAllowedVariation(actual: string, expected: string): string {
  const expectedLines = expected.split('\n');
  return actual
    .split('\n')
    .map((line, index) => (index < expectedLines.length && linePattern(expectedLines[index]).test(line) ? expectedLines[index] : line))
    .join('\n');
}

/** Output as a reader compares it: no trailing spaces or carriage returns (HTTP header lines end in CRLF), no blank lines around. */
export function normalizeOutput(output: string): string {
  return output
    .split('\n')
    .map((line) => line.trimEnd())
    .join('\n')
    .trim();
}

function linePattern(expectedLine: string): RegExp {
  const literal = expectedLine.split('<n>').map((part) => part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return new RegExp(`^${literal.join('\\d+')}$`);
}

function sectionBody(markdown: string, title: string): string {
  const start = markdown.indexOf(`\n## ${title}\n`);
  if (start < 0) throw new Error(`README has no "## ${title}" section`);
  const end = markdown.indexOf('\n## ', start + 1);
  return markdown.slice(start, end < 0 ? undefined : end);
}

interface FencedBlock {
  language: string;
  content: string;
  heading: string;
}

function fencedBlocks(section: string): FencedBlock[] {
  const blocks: FencedBlock[] = [];
  let heading = '(before the first heading)';
  let open: { language: string; lines: string[] } | undefined;
  for (const line of section.split('\n')) {
    if (open) {
      if (line.startsWith('```')) {
        blocks.push({ language: open.language, content: open.lines.join('\n'), heading });
        open = undefined;
      } else {
        open.lines.push(line);
      }
    } else if (line.startsWith('```')) {
      open = { language: line.slice(3).trim(), lines: [] };
    } else if (line.startsWith('### ')) {
      heading = line.slice(4).trim();
    }
  }
  return blocks;
}
