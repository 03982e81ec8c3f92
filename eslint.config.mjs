// ESLint (flat config): typescript-eslint's type-aware recommended rules over all the TypeScript
// (src, test, bench) and the plain JavaScript (scripts, bench helpers, the jest configs, the demo storefront).
// Formatting is Prettier's job (.prettierrc.json): eslint-config-prettier turns off the rules it owns.
import js from '@eslint/js';
import prettier from 'eslint-config-prettier';
import globals from 'globals';
import { defineConfig } from 'eslint/config';
import tseslint from 'typescript-eslint';

export default defineConfig(
  { ignores: ['dist/', 'coverage/', 'node_modules/', '.data/'] },
  js.configs.recommended,
  {
    files: ['**/*.ts'],
    extends: [tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      // The project service reads tsconfig.json, which includes src, test, bench and scripts.
      parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname },
      globals: globals.node,
    },
    rules: {
      // A promise nobody awaits hides its rejection; `void` marks the few that are meant to run on their own.
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-explicit-any': 'error',
      // Not `consistent-type-imports`: it would rewrite some 270 imports in 150 files for no change at run
      // time (TypeScript already drops an import used only as a type).
      // A leading `_` marks what is left out on purpose: a field dropped from a copy, an unused parameter.
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Off: an `async` method without `await` is how an in-memory store keeps its async interface
      // (and turns a throw into a rejection), and how a Fastify hook says it is the async kind.
      '@typescript-eslint/require-await': 'off',
      // Rethrowing (or rejecting with) what a catch or a callback received is not inventing a non-Error.
      '@typescript-eslint/prefer-promise-reject-errors': ['error', { allowThrowingUnknown: true }],
      // `import x = require('x')` is how TypeScript imports a CommonJS module that assigns module.exports.
      '@typescript-eslint/no-require-imports': ['error', { allowAsImport: true }],
    },
  },
  {
    files: ['**/*.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    // The demo storefront's script runs in a browser, as an ES module (demo/index.html).
    files: ['demo/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
  {
    files: ['**/*.spec.ts', 'test/**/*.ts'],
    languageOptions: { globals: globals.jest },
    rules: {
      // Off in tests: an answer's body (supertest's `body`, inject's `json()`) is `any`, and a test reads
      // its fields to assert on them; openapi-contract.ts checks every answer's shape against openapi.json.
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      // A failure message may show any value, as it is.
      '@typescript-eslint/restrict-template-expressions': 'off',
      // Nest's and class-validator's metadata APIs take a class as a `Function`, as the tests pass it.
      '@typescript-eslint/no-unsafe-function-type': 'off',
    },
  },
  prettier,
);
