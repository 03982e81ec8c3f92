// One jest config for both suites. `npm test` runs everything that needs no outside
// service; `npm run test:services` (DATABASE_URL and REDIS_URL set) adds test/services.
const services = Boolean(process.env.DATABASE_URL && process.env.REDIS_URL);

module.exports = {
  rootDir: '.',
  testEnvironment: 'node',
  moduleFileExtensions: ['ts', 'js', 'json'],
  transform: {
    '^.+\\.ts$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true }],
  },
  testMatch: ['<rootDir>/src/**/*.spec.ts', '<rootDir>/test/**/*.e2e-spec.ts'],
  testPathIgnorePatterns: services ? ['/node_modules/'] : ['/node_modules/', '<rootDir>/test/services/'],
  // Generous: argon2id hashing in many beforeAll hooks is slow on a loaded 2-core machine.
  testTimeout: 60000,
  maxWorkers: 2,
};
