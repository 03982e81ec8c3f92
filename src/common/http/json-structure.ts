import { visit } from 'jsonc-parser';
import { ProblemException } from './problem.exception';

/**
 * Far deeper than any body of this API (`POST /orders` is 3 levels), far shallower than what runs
 * the server out of stack: validation and transformation walk a body recursively, and a 4 KB body
 * nested 1 000 levels deep overflowed it (a 500, on public routes too; found by fuzzing).
 */
export const MAX_JSON_DEPTH = 32;
/**
 * No body of this API has an object with more than 8 fields or an array of more than 50 items.
 * Without a bound, a 90 KB body of 9 000 unknown keys cost 220 ms of validation and a 556 KB list
 * of errors, and one of 30 000 empty `items` 900 ms (OWASP API4).
 */
export const MAX_OBJECT_KEYS = 64;
export const MAX_ARRAY_ITEMS = 100;

/** An object or array still open at the current point of the text. */
type OpenValue = { keys: Set<string> } | { items: number };

/**
 * Checks a JSON text's shape in one pass over the text, before anything is built from it, and stops
 * at the first fault: how deep it nests, how many keys an object and items an array has, and whether
 * an object names a key twice. RFC 8259 §4 leaves duplicates to each parser (most keep the last,
 * some the first), so a proxy or WAF could vet one value and this service act on another: a
 * duplicate is refused. jsonc-parser's visitor decodes each key, so `"a"` and `"\u0061"` are the
 * same key here too.
 */
export function checkJsonStructure(text: string): void {
  const open: OpenValue[] = [];
  const refuse = (detail: string) => {
    throw new ProblemException(400, detail);
  };
  // Every value counts as an item of the array it is in.
  const value = () => {
    const parent = open[open.length - 1];
    if (parent && 'items' in parent && ++parent.items > MAX_ARRAY_ITEMS) refuse(`An array in the request body has more than ${MAX_ARRAY_ITEMS} items`);
  };
  const begin = (opened: OpenValue) => {
    value();
    if (open.push(opened) > MAX_JSON_DEPTH) refuse('Request body is nested too deeply');
  };
  visit(
    text,
    {
      onObjectBegin: () => begin({ keys: new Set() }),
      onArrayBegin: () => begin({ items: 0 }),
      onObjectEnd: () => open.pop(),
      onArrayEnd: () => open.pop(),
      onLiteralValue: value,
      onObjectProperty: (key) => {
        const { keys } = open[open.length - 1] as { keys: Set<string> };
        if (keys.has(key)) refuse('Request body names a key twice');
        if (keys.add(key).size > MAX_OBJECT_KEYS) refuse(`An object in the request body has more than ${MAX_OBJECT_KEYS} keys`);
      },
      onError: () => refuse('Request body is not valid JSON'),
    },
    // Strict JSON (RFC 8259), not jsonc-parser's default JSON-with-comments.
    { disallowComments: true, allowTrailingComma: false, allowEmptyContent: false },
  );
}
