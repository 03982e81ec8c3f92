import { HttpException } from '@nestjs/common';
import { FieldError, ProblemType } from './problem';

/**
 * An error answered as problem details with extra response headers (e.g. `WWW-Authenticate`,
 * `Retry-After`) and, for validation failures, the list of failing fields.
 */
export class ProblemException extends HttpException {
  constructor(
    status: number,
    detail: string,
    readonly headers: Record<string, string> = {},
    readonly errors?: FieldError[],
    /** A problem type of its own; default `about:blank`, titled by the status. */
    readonly problemType?: ProblemType,
  ) {
    super(detail, status);
  }
}
