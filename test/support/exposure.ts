import { TransformationType } from 'class-transformer';
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';

/**
 * Words that name internal fields or secrets: none may appear as a key in any response body.
 * (OWASP API3: excessive data exposure.)
 */
const FORBIDDEN_KEYS =
  /^(password|passwordHash|password_hash|hash|tokenHash|keyHash|secretHash|failedLoginCount|tokensValidAfter|internalNotes|fraudScore|clientSecretHash)$/i;

/** The fields a response class lets out, read from its own @Expose() metadata. */
function exposedFields(responseClass: Function): string[] {
  return defaultMetadataStorage.getExposedProperties(responseClass, TransformationType.CLASS_TO_PLAIN);
}

/**
 * Asserts that a response body has no field outside its response class's whitelist, recursively
 * through nested response classes, and no key that names an internal field. One helper for every
 * suite: pass the class the route promises for this caller (e.g. OrderResponse for a customer).
 */
export function expectOnlyExposed(body: unknown, responseClass: Function, path = 'body'): void {
  if (Array.isArray(body)) {
    body.forEach((item, index) => expectOnlyExposed(item, responseClass, `${path}[${index}]`));
    return;
  }
  expect(body).toEqual(expect.any(Object));
  const allowed = new Set(exposedFields(responseClass));
  for (const [key, value] of Object.entries(body as Record<string, unknown>)) {
    expect({ field: `${path}.${key}`, allowed: allowed.has(key) && !FORBIDDEN_KEYS.test(key) }).toEqual({ field: `${path}.${key}`, allowed: true });
    const nested = defaultMetadataStorage.findTypeMetadata(responseClass, key);
    if (nested && value !== null && typeof value === 'object') {
      expectOnlyExposed(value, nested.typeFunction(), `${path}.${key}`);
    }
  }
}

/** The same for the list envelope `{ data, page }`. */
export function expectPageOfExposed(body: { data: unknown[]; page: unknown }, responseClass: Function): void {
  expect(Object.keys(body).sort()).toEqual(['data', 'page']);
  expect(Object.keys(body.page as object).sort()).toEqual(['limit', 'offset', 'total']);
  expectOnlyExposed(body.data, responseClass, 'body.data');
}
