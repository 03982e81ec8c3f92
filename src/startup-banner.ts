/** What the start-up banner says: where the service listens, and what a person can open next. */
export interface StartupFacts {
  url: string;
  /** The OpenAPI UI is served (everywhere but production). */
  docs: boolean;
  /** The file that holds the demo accounts' passwords (embedded mode), when there is one. */
  demoCredentialsFile?: string;
}

/**
 * The few lines printed once the service listens. The first says `listening on` and the URL, in
 * every mode: scripts and tests wait for it (test/support/server-process.ts).
 */
export function startupBanner({ url, docs, demoCredentialsFile }: StartupFacts): string {
  const lines = [`Orders API listening on ${url}${docs ? '' : ' (docs: off)'}`];
  if (docs) lines.push(`  API docs:      ${url}/docs`);
  if (demoCredentialsFile) lines.push(`  Demo accounts: ${demoCredentialsFile} (an admin and a customer, random passwords made on the first start)`);
  return lines.join('\n');
}
