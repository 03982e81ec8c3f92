// The test tiers (README, Tests), one jest project each. `npm test` runs the three embedded ones;
// `npm run test:unit` and `npm run test:medium` one each. `npm run test:services` (DATABASE_URL and
// REDIS_URL set) adds test/services, and runs the medium and HTTP tiers on that Postgres and Redis too.
const services = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

/** Every tier runs TypeScript from the sources, transpiled only: type errors are tsc's to report (`nest build`). */
const typescript = {
  rootDir: __dirname,
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: { '^.+\\.ts$': ['ts-jest', { tsconfig: { isolatedModules: true } }] },
};

/** Tiers with a database: each embedded test database is a copy of a template migrated once per run. */
const withDatabase = {
  ...typescript,
  globalSetup: '<rootDir>/test/support/global-setup.ts',
  globalTeardown: '<rootDir>/test/support/global-teardown.ts',
};

const tiers = [
  // Pure logic: no database, no app, no build. Next to the code it tests, or in test/ when it runs a
  // contract from test/support that the service suite runs against Redis too.
  { displayName: 'unit', ...typescript, testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.spec.ts'] },
  // Services with their real repositories on a real database, no HTTP (test/support/test-services.ts).
  { displayName: 'medium', ...withDatabase, testMatch: ['<rootDir>/test/**/*.medium-spec.ts'] },
  // The whole app over HTTP (test/support/test-app.ts), and the built service in processes of its own.
  {
    displayName: 'http',
    ...withDatabase,
    testMatch: ['<rootDir>/test/**/*.e2e-spec.ts'],
    testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/services/'],
  },
  { displayName: 'services', ...withDatabase, testMatch: ['<rootDir>/test/services/**/*.e2e-spec.ts'] },
];

module.exports = {
  projects: tiers.filter((tier) => services || tier.displayName !== 'services'),
  // Generous: argon2id hashing in many beforeAll hooks is slow on a loaded 2-core machine.
  testTimeout: 60000,
  maxWorkers: 2,
  // Jest keeps each file's module registry when Nest's ES modules are loaded (jestjs/jest#14605): a
  // worker's heap grows by some 30 MB a file and every boot gets slower with it (2 s of CPU in a fresh
  // worker, 6 s after 35 files). A worker over this after a file is replaced by a fresh one.
  workerIdleMemoryLimit: '512MB',
};
