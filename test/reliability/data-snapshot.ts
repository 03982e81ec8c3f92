import { DataSource } from 'typeorm';

/** Every row of every table, by table and row key, except the caller's own rows and the audit trail. */
export type DataSnapshot = Map<string, Map<string, string>>;

/** Tables whose growth is expected whatever a caller sends: the audit trail, migration bookkeeping. */
const IGNORED_TABLES = new Set(['audit_events', 'migrations', 'typeorm_metadata']);

/**
 * Columns that the owner's own, legitimate actions change in rows not theirs: placing and
 * cancelling their orders moves a product's stock (checked by the books instead).
 */
const MOVED_BY_OWNER: Record<string, string[]> = { products: ['stock', 'updated_at'] };

/**
 * Columns that the service changes by itself, whoever calls: the outbox worker records each delivery attempt of a
 * queued mail (and the development mailbox keeps the composed mail in its row). Who the mail is to, what kind it is
 * and its facts are still compared.
 */
const MOVED_BY_SERVICE: Record<string, string[]> = {
  mail_outbox: ['attempts', 'send_after', 'done_at', 'outcome', 'last_error', 'subject', 'text_body', 'html_body'],
};

/**
 * Reads the whole database minus what `ownerId` may change: their user row, rows with their
 * `user_id`, rows of their orders, and the columns above. Found from the schema itself, so a new
 * table is covered.
 */
export async function snapshotOthers(dataSource: DataSource, ownerId: string): Promise<DataSnapshot> {
  const tables: Array<{ table_name: string }> = await dataSource.query(
    `SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() AND table_type = 'BASE TABLE'`,
  );
  const snapshot: DataSnapshot = new Map();
  for (const { table_name: table } of tables.filter(({ table_name }) => !IGNORED_TABLES.has(table_name))) {
    const columns = new Set(
      (
        await dataSource.query<Array<{ column_name: string }>>(
          `SELECT column_name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1`,
          [table],
        )
      ).map((column) => column.column_name),
    );
    const mine = [
      ...(table === 'users' ? ['id = $1'] : []),
      ...(columns.has('user_id') ? ['user_id IS NOT DISTINCT FROM $1'] : []),
      ...(columns.has('order_id') ? ['order_id IN (SELECT id FROM orders WHERE user_id = $1)'] : []),
    ];
    const where = mine.length > 0 ? `WHERE NOT (${mine.join(' OR ')})` : '';
    const rows: Array<Record<string, unknown>> = await dataSource.query(`SELECT * FROM "${table}" ${where}`, mine.length > 0 ? [ownerId] : []);
    for (const row of rows) for (const column of [...(MOVED_BY_OWNER[table] ?? []), ...(MOVED_BY_SERVICE[table] ?? [])]) delete row[column];
    snapshot.set(table, new Map(rows.map((row) => [String((row.id as string | number | undefined) ?? JSON.stringify(row)), JSON.stringify(row)])));
  }
  return snapshot;
}

/**
 * What changed between two snapshots, as readable lines: rows changed or gone, and rows that
 * appeared in tables other than `mayGrow` (e.g. `users`, which anyone can register into, and the
 * mails and link tokens anyone may ask for about any address: a sign-up notice, a reset link).
 */
export function changesBetween(before: DataSnapshot, after: DataSnapshot, mayGrow: string[]): string[] {
  const changes: string[] = [];
  for (const [table, rows] of before) {
    const now = after.get(table) ?? new Map<string, string>();
    for (const [key, row] of rows) {
      if (!now.has(key)) changes.push(`${table} ${key}: gone`);
      else if (now.get(key) !== row) changes.push(`${table} ${key}: ${row} became ${now.get(key)}`);
    }
    if (!mayGrow.includes(table)) {
      for (const key of now.keys()) if (!rows.has(key)) changes.push(`${table} ${key}: appeared`);
    }
  }
  return changes;
}
