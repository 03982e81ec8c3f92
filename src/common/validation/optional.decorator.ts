import { ValidateIf } from 'class-validator';

/**
 * A body field that may be left out; once sent, it is validated like any other, `null` included.
 * class-validator's `@IsOptional()` skips `null` too, which would then reach a NOT NULL column and
 * fail there as a 500 instead of a 400 (found by test/reliability/fuzz).
 */
export const Optional = (): PropertyDecorator => ValidateIf((_object: object, value: unknown) => value !== undefined);
