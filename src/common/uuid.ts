/** A UUID in its canonical text form (RFC 9562 §4), lower case as Postgres prints it: to embed in a larger pattern. */
export const UUID_SOURCE = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';

/** Exactly one canonical, lower-case UUID. */
export const UUID = new RegExp(`^${UUID_SOURCE}$`);
