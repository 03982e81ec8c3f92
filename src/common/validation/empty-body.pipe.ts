import { Injectable, PipeTransform } from '@nestjs/common';
import { ProblemException } from '../http/problem.exception';

/**
 * For routes that take no fields: no body, or `{}`. Anything else is a `400`, as an unknown field is
 * everywhere else (docs/http-contract.md, General rules). A DTO class cannot say this: class-validator refuses a
 * class without any validated property.
 */
@Injectable()
export class EmptyBodyPipe implements PipeTransform {
  transform(value: unknown): unknown {
    const empty = value === undefined || (typeof value === 'object' && value !== null && !Array.isArray(value) && Object.keys(value).length === 0);
    if (!empty) throw new ProblemException(400, 'This route takes no body fields');
    return value;
  }
}
