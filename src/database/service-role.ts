import { escapeIdentifier } from 'pg';
import { DataSource } from 'typeorm';

/**
 * What the service's own database role may do, granted by the owner role that ran the migrations
 * (npm run migrate, src/cli/migrate.ts). The service owns nothing, so it can change no table's
 * definition: it cannot disable the audit trigger, as an owner could (`ALTER TABLE audit_events
 * DISABLE TRIGGER …`). On the audit trail it may only add and read (docs/http-contract.md, Audit); on TypeORM's
 * record of applied migrations only read, which is all a boot needs. Re-run after every migration,
 * so a new table is granted too. Grants are idempotent.
 */
export async function grantServiceRole(dataSource: DataSource, role: string): Promise<void> {
  const grantee = escapeIdentifier(role);
  await dataSource.transaction(async (manager) => {
    await manager.query(`GRANT USAGE ON SCHEMA public TO ${grantee}`);
    await manager.query(`GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${grantee}`);
    await manager.query(`GRANT USAGE, SELECT ON ALL SEQUENCES IN SCHEMA public TO ${grantee}`);
    await manager.query(`REVOKE UPDATE, DELETE, TRUNCATE ON audit_events FROM ${grantee}`);
    await manager.query(`REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${grantee}`);
  });
}
