import { ClassConstructor, plainToInstance } from 'class-transformer';

/**
 * Builds a response from a source object, keeping only the fields the response class marks with
 * `@Expose()` (OWASP API3: whitelist output, never dump an entity).
 */
export function toResponse<T>(responseClass: ClassConstructor<T>, source: object): T {
  return plainToInstance(responseClass, source, { excludeExtraneousValues: true });
}
