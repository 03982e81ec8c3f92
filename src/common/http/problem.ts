import { STATUS_CODES } from 'node:http';

/** One field that failed validation, as listed in a problem body's `errors`. */
export interface FieldError {
  field: string;
  message: string;
}

/** An RFC 9457 problem details body, with the two members docs/http-contract.md adds (`requestId`, `errors`). */
/** A problem type of this API (RFC 9457 §3.1.1, §4): a URI reference, and the title every such problem has. */
export interface ProblemType {
  type: string;
  title: string;
}

export interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail?: string;
  /** Absent only when Node refused the bytes before there was a request (see client-error.ts). */
  instance?: string;
  requestId: string;
  errors?: FieldError[];
}

export const PROBLEM_CONTENT_TYPE = 'application/problem+json; charset=utf-8';

/** With `type: about:blank`, RFC 9457 §4.2.1 says the title is the status code's standard phrase. */
export function problemTitle(status: number): string {
  return STATUS_CODES[status] ?? 'Error';
}
