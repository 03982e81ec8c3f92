import { ProblemException } from './problem.exception';
import { parseFormBody, parseJsonBody } from './json-body.parser';
import { MAX_ARRAY_ITEMS, MAX_OBJECT_KEYS } from './json-structure';

describe('parseJsonBody', () => {
  const nested = (levels: number) => `${'['.repeat(levels)}${']'.repeat(levels)}`;

  it('reads a body nested 32 levels deep', () => {
    expect(() => parseJsonBody(nested(32))).not.toThrow();
  });

  it('refuses one nested deeper with 400, before parsing it, however deep (no stack overflow)', () => {
    for (const levels of [33, 1_000, 50_000]) {
      expect(() => parseJsonBody(nested(levels))).toThrow(new ProblemException(400, 'Request body is nested too deeply'));
    }
  });

  it('does not count brackets inside strings, escaped quotes included', () => {
    expect(() => parseJsonBody(JSON.stringify({ name: `\\"${'['.repeat(100)}` }))).not.toThrow();
  });

  it(`reads ${MAX_OBJECT_KEYS} keys in an object and ${MAX_ARRAY_ITEMS} items in an array, and refuses one more`, () => {
    const object = (keys: number) => JSON.stringify({ inner: Object.fromEntries(Array.from({ length: keys }, (_, i) => [`k${i}`, i])) });
    const array = (items: number) => JSON.stringify({ items: Array.from({ length: items }, () => ({})) });
    expect(() => parseJsonBody(object(MAX_OBJECT_KEYS))).not.toThrow();
    expect(() => parseJsonBody(array(MAX_ARRAY_ITEMS))).not.toThrow();
    expect(() => parseJsonBody(object(MAX_OBJECT_KEYS + 1))).toThrow(
      new ProblemException(400, `An object in the request body has more than ${MAX_OBJECT_KEYS} keys`),
    );
    expect(() => parseJsonBody(array(MAX_ARRAY_ITEMS + 1))).toThrow(
      new ProblemException(400, `An array in the request body has more than ${MAX_ARRAY_ITEMS} items`),
    );
  });

  it('tells a duplicate key from the same name in another object', () => {
    expect(() => parseJsonBody('{"a":{"b":1},"c":{"b":2}}')).not.toThrow();
    expect(() => parseJsonBody('{"a":{"b":1,"\\u0062":2}}')).toThrow(new ProblemException(400, 'Request body names a key twice'));
  });

  it('refuses what jsonc-parser would tolerate but JSON does not: comments, trailing commas', () => {
    for (const text of ['{"a":1 /* note */}', '{"a":1,}', '[1,]', '']) {
      expect(() => parseJsonBody(text)).toThrow(new ProblemException(400, 'Request body is not valid JSON'));
    }
  });
});

describe('parseFormBody', () => {
  it('reads fields, form-decoded, and turns a repeated field into an array for the route to refuse', () => {
    expect(parseFormBody('grant_type=client_credentials&scope=orders%3Aread+orders%3Afulfil&x=1&x=2&x=3')).toEqual({
      grant_type: 'client_credentials',
      scope: 'orders:read orders:fulfil',
      x: ['1', '2', '3'],
    });
  });

  it('keeps a field named __proto__ as a plain own field: no prototype is touched', () => {
    const form = parseFormBody('__proto__=polluted&constructor=x');
    expect(Object.getPrototypeOf(form)).toBe(Object.prototype);
    expect(Object.getOwnPropertyDescriptor(form, '__proto__')?.value).toBe('polluted');
  });

  it('refuses U+0000 in a name or a value with 400', () => {
    expect(() => parseFormBody('a=%00')).toThrow(new ProblemException(400, 'Strings may not contain U+0000'));
    expect(() => parseFormBody('%00=a')).toThrow(ProblemException);
  });
});
