import { ClassConstructor } from 'class-transformer';
import { toResponse } from '../http/response';
import { PageQuery } from './page-query.dto';

/** The list envelope of docs/http-contract.md: `{ data: [...], page: { limit, offset, total } }`. */
export interface Page<T> {
  data: T[];
  page: { limit: number; offset: number; total: number };
}

export function toPage<T>(responseClass: ClassConstructor<T>, rows: object[], total: number, query: PageQuery): Page<T> {
  return {
    data: rows.map((row) => toResponse(responseClass, row)),
    page: { limit: query.limit, offset: query.offset, total },
  };
}
