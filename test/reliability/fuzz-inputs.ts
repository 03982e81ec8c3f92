import { ROUTE_ARGS_METADATA } from '@nestjs/common/constants';
import { RouteParamtypes } from '@nestjs/common/enums/route-paramtypes.enum';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { getMetadataStorage } from 'class-validator';
import fc from 'fast-check';
import { RouteEntry } from '../support/route-inventory';

/** Keys that have no business in any body: prototype pollution and fields only the server sets. */
const HOSTILE_KEYS = [
  '__proto__',
  'constructor',
  'prototype',
  'role',
  'userId',
  'id',
  'status',
  'priceCents',
  'totalCents',
  'stock',
  'isAdmin',
  'scopes',
  '$where',
  '',
];

/** Strings that have broken parsers, databases and templates before. */
const NASTY_STRINGS = [
  '',
  ' ',
  '\u0000',
  'a\u0000b',
  '\ud800',
  '\u202e\u0041',
  '𝕏🧨',
  'é'.normalize('NFD'),
  "' OR '1'='1' --",
  '%00',
  '../../../etc/passwd',
  '<script>alert(1)</script>',
  '${7*7}{{7*7}}',
  'NaN',
  '-1',
  '1e309',
  '00000000-0000-0000-0000-000000000000',
  'ffffffff-ffff-4fff-bfff-ffffffffffff',
];

/** The type of the route handler's argument decorated with @Body() or @Query(), if any. */
function argumentType(route: RouteEntry, kind: RouteParamtypes): Function | undefined {
  const name = route.handler.name;
  const args = (Reflect.getMetadata(ROUTE_ARGS_METADATA, route.controller, name) ?? {}) as Record<string, { index: number }>;
  const types = (Reflect.getMetadata('design:paramtypes', route.controller.prototype, name) ?? []) as Function[];
  // Nest keys a route's arguments `<kind>:<index>`, e.g. `3:1` for @Body() as the second argument.
  const entry = Object.entries(args).find(([key]) => key.startsWith(`${kind}:`));
  return entry ? types[entry[1].index] : undefined;
}

/**
 * The field names a DTO class validates, and those of the classes nested in it (`items` and then
 * `productId`, `quantity`), read from class-validator's and class-transformer's own metadata.
 */
function fieldsOf(dto: Function | undefined): string[] {
  if (!dto) return [];
  const own = [
    ...new Set(
      getMetadataStorage()
        .getTargetValidationMetadatas(dto, '', true, false)
        .map((metadata) => metadata.propertyName),
    ),
  ];
  const nested = own.flatMap((field) => fieldsOf(defaultMetadataStorage.findTypeMetadata(dto, field)?.typeFunction() as Function | undefined));
  return [...new Set([...own, ...nested])];
}

export interface RouteShape {
  bodyFields: string[];
  queryFields: string[];
  pathParams: string[];
}

/** What a route reads, from Nest's and class-validator's metadata: new routes are fuzzed by shape too. */
export function shapeOf(route: RouteEntry): RouteShape {
  return {
    bodyFields: fieldsOf(argumentType(route, RouteParamtypes.BODY)),
    queryFields: fieldsOf(argumentType(route, RouteParamtypes.QUERY)),
    pathParams: [...route.path.matchAll(/:([A-Za-z]+)/g)].map((match) => match[1]),
  };
}

/** Any string: random unicode, longer than any field allows, one of the nasty ones, or a real value. */
export function anyString(known: string[] = []): fc.Arbitrary<string> {
  return fc.oneof(
    { weight: 4, arbitrary: fc.string({ unit: 'binary', maxLength: 40 }) },
    { weight: 3, arbitrary: fc.constantFrom(...NASTY_STRINGS) },
    { weight: known.length > 0 ? 3 : 0, arbitrary: fc.constantFrom(...(known.length > 0 ? known : [''])) },
    { weight: 1, arbitrary: fc.integer({ min: 101, max: 3_000 }).map((length) => 'x'.repeat(length)) },
  );
}

/**
 * Any JSON value, shaped like what the route expects or not: objects keyed by the route's own field
 * names, hostile keys or random ones; wrong types; extreme numbers.
 */
export function anyJson(fields: string[], known: string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    { weight: fields.length > 0 ? 4 : 0, arbitrary: fc.constantFrom(...(fields.length > 0 ? fields : ['x'])) },
    { weight: 2, arbitrary: fc.constantFrom(...HOSTILE_KEYS) },
    { weight: 1, arbitrary: fc.string({ maxLength: 12 }) },
  );
  const scalar = fc.oneof(
    anyString(known),
    fc.integer(),
    fc.double(),
    fc.constantFrom(0, -0, 1, -1, 100, 101, 2 ** 31, -(2 ** 31) - 1, Number.MAX_SAFE_INTEGER + 2, 1e308, -1e308),
    fc.boolean(),
    fc.constant(null),
  );
  const { value } = fc.letrec<{ value: unknown }>((tie) => ({
    value: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      scalar,
      fc.array(tie('value'), { maxLength: 4 }),
      // fromEntries makes every key, `__proto__` too, an own property that JSON.stringify writes out.
      fc.array(fc.tuple(key, tie('value')), { maxLength: 5 }).map((entries) => Object.fromEntries(entries)),
    ),
  }));
  return value;
}

/**
 * A request body: mostly JSON, sometimes broken JSON, hostile keys spelled out, nesting deeper than
 * any stack, or more bytes than the body limit. Kept as a short description (`{ nestedLevels }`,
 * `{ bytes }`) until sent, so that a failing case reads well; `bodyText` writes it out.
 */
export type BodySpec = string | { nestedLevels: number } | { bytes: number };

export function anyBody(fields: string[], known: string[]): fc.Arbitrary<BodySpec> {
  return fc.oneof(
    { weight: 8, arbitrary: anyJson(fields, known).map((value) => JSON.stringify(value) ?? 'null') },
    { weight: 1, arbitrary: anyJson(fields, known).map((value) => (JSON.stringify(value) ?? 'null').slice(0, -1)) },
    {
      weight: 1,
      arbitrary: fc.constantFrom(
        '{"__proto__":{"isAdmin":true}}',
        '{"constructor":{"prototype":{"isAdmin":true}}}',
        '{"a":1,"a":2}',
        '',
        '{',
        'null',
        '[]',
        '"\\u0000"',
      ),
    },
    { weight: 1, arbitrary: fc.integer({ min: 20, max: 60_000 }).map((nestedLevels) => ({ nestedLevels })) },
    { weight: 1, arbitrary: fc.integer({ min: 100 * 1024 - 64, max: 300_000 }).map((bytes) => ({ bytes })) },
  );
}

/** The bytes of a body (JSON.stringify itself runs out of stack on the deep ones, hence the text is built here). */
export function bodyText(spec: BodySpec): string {
  if (typeof spec === 'string') return spec;
  if ('nestedLevels' in spec) return `${'['.repeat(spec.nestedLevels)}${']'.repeat(spec.nestedLevels)}`;
  return JSON.stringify({ name: 'x'.repeat(spec.bytes) });
}

/** A query string: the route's own parameters and random ones, repeated, empty, or hostile. */
export function anyQuery(fields: string[], known: string[]): fc.Arbitrary<string> {
  const name = fc.oneof(fc.constantFrom(...fields, 'limit', 'offset'), fc.constantFrom(...HOSTILE_KEYS), fc.string({ maxLength: 8 }));
  const value = fc.oneof(anyString(known), fc.integer().map(String), fc.constantFrom('-1', '0', '101', '10001', '1.5', '1e3', '0x10', ' 1'));
  return fc.array(fc.tuple(name, value), { maxLength: 4 }).map((pairs) => new URLSearchParams(pairs).toString());
}

/**
 * A path segment, percent-encoded as sent: a real id (the caller's or someone else's), a random
 * UUID, any string at all, or a raw sequence that is not valid percent-encoding or UTF-8.
 */
export function anyPathSegment(known: string[]): fc.Arbitrary<string> {
  // A round trip through UTF-8 replaces lone surrogates, which encodeURIComponent refuses.
  const encoded = (text: string) => encodeURIComponent(Buffer.from(text).toString());
  return fc.oneof(
    { weight: 3, arbitrary: fc.constantFrom(...known) },
    { weight: 2, arbitrary: fc.uuid() },
    { weight: 1, arbitrary: fc.uuid().map((id) => id.toUpperCase()) },
    { weight: 3, arbitrary: anyString().map(encoded) },
    { weight: 1, arbitrary: fc.constantFrom('%ff', '%ed%a0%80', '%', '%zz', '..', '%2e%2e', '%2f') },
  );
}
