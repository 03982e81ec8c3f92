/**
 * A `json` value (a column, or `json_agg` of a page) as a raw query returns it: parsed already, or still its text,
 * depending on the driver behind the data source (node-postgres or the embedded PGlite). Either way, the value.
 */
export function jsonValue<T extends object>(value: T | string): T {
  return typeof value === 'string' ? (JSON.parse(value) as T) : value;
}
