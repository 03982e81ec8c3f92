import { rmSync } from 'node:fs';
import { DATABASES_DIR_VARIABLE } from './test-database';

/** After the run: the template, and any copy a test file left behind (one that failed before its afterAll). */
export default function globalTeardown(): void {
  const databasesDir = process.env[DATABASES_DIR_VARIABLE];
  if (databasesDir) rmSync(databasesDir, { recursive: true, force: true });
}
