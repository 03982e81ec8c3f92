import { ArgumentMetadata, ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../http/problem';
import { ProblemException } from '../http/problem.exception';

/** A validation problem lists this many failing fields at most; its detail counts the rest (OWASP API4). */
export const MAX_LISTED_ERRORS = 10;

/** What the pipe's exceptionFactory hands to transform(): every failing field, before any is cut. */
class FailedFields extends Error {
  constructor(readonly fields: FieldError[]) {
    super('Failed fields');
  }
}

/**
 * Every body and query is a DTO class: unknown fields are refused, not silently dropped, so a
 * body can never assign what it was not meant to (OWASP API3, mass assignment).
 */
class DtoValidationPipe extends ValidationPipe {
  constructor() {
    super({
      whitelist: true,
      forbidNonWhitelisted: true,
      forbidUnknownValues: true,
      transform: true,
      validationError: { target: false, value: false },
      exceptionFactory: (errors) => new FailedFields(flatten(errors)),
    });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    // class-transformer skips a key the DTO instance inherits a method for (`toString`, `constructor`),
    // and class-validator's whitelist looks names up with inheritance: such a key was silently
    // dropped instead of refused. Every object inherits them, and no DTO has a field by those names.
    const inherited = this.toValidate(metadata) ? inheritedNameKeys(value) : [];
    try {
      const transformed: unknown = await super.transform(value, metadata);
      if (inherited.length > 0) throw new FailedFields([]);
      return transformed;
    } catch (error) {
      if (error instanceof FailedFields) throw validationProblem([...inherited, ...error.fields]);
      throw error;
    }
  }
}

export function createValidationPipe(): ValidationPipe {
  return new DtoValidationPipe();
}

/** The 400 for failing fields: the first few listed, and how many more there were. */
function validationProblem(fields: FieldError[]): ProblemException {
  const unlisted = fields.length - MAX_LISTED_ERRORS;
  const detail = unlisted > 0 ? `Request validation failed: ${unlisted} more errors not listed` : 'Request validation failed';
  return new ProblemException(400, detail, {}, fields.slice(0, MAX_LISTED_ERRORS));
}

/** Nested class-validator errors become `{ field: 'items.0.quantity', message }` entries. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/** Own keys, at any depth, named like a member of Object.prototype, as the whitelist words its errors. */
function inheritedNameKeys(value: unknown, parent = ''): FieldError[] {
  if (value === null || typeof value !== 'object') return [];
  return Object.entries(value).flatMap(([key, item]) => {
    const field = parent ? `${parent}.${key}` : key;
    const own = key in Object.prototype ? [{ field, message: `property ${key} should not exist` }] : [];
    return [...own, ...inheritedNameKeys(item, field)];
  });
}
