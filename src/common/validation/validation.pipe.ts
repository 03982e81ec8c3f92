import { ValidationError, ValidationPipe } from '@nestjs/common';
import { FieldError } from '../http/problem';
import { ProblemException } from '../http/problem.exception';

/**
 * Every body and query is a DTO class: unknown fields are refused, not silently dropped, so a
 * body can never assign what it was not meant to (OWASP API3, mass assignment).
 */
export function createValidationPipe(): ValidationPipe {
  return new ValidationPipe({
    whitelist: true,
    forbidNonWhitelisted: true,
    forbidUnknownValues: true,
    transform: true,
    validationError: { target: false, value: false },
    exceptionFactory: (errors) => new ProblemException(400, 'Request validation failed', {}, flatten(errors)),
  });
}

/** Nested class-validator errors become `{ field: 'items.0.quantity', message }` entries. */
function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent ? `${parent}.${error.property}` : error.property;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}
