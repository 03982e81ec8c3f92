/**
 * The parameters of one SQL statement built from parts (a data-modifying CTE whose parts come from
 * several repositories): each part adds its values here and writes the placeholder it got back
 * ($1, $2, …), so parts can be combined in any order without numbering clashes. Values are always
 * parameters, never spliced into the text (OWASP SQL Injection Prevention).
 */
export class SqlParameters {
  readonly values: unknown[] = [];

  add(value: unknown): string {
    this.values.push(value);
    return `$${this.values.length}`;
  }
}

/** Statements to run inside another one, as parts of its WITH clause, and the parameters they were written with. */
export interface AlongsideWrites {
  params: SqlParameters;
  statements: string[];
}
