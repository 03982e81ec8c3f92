// `npm run test:services` is the suite against real Postgres and Redis: without them it would
// silently run the embedded suite again, so refuse to start instead.
for (const name of ['DATABASE_URL', 'REDIS_URL']) {
  if (!process.env[name]) {
    console.error(`test:services needs ${name} (e.g. postgres://postgres@127.0.0.1:5432/postgres and redis://127.0.0.1:6379)`);
    process.exit(1);
  }
}
// The TLS edge of docker-compose.yml is tested with the real nginx (test/services/edge-nginx).
if (!require('node:fs').existsSync('/usr/sbin/nginx')) {
  console.error('test:services needs nginx at /usr/sbin/nginx (Debian: apt-get install nginx-light)');
  process.exit(1);
}
