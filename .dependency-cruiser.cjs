// The layer rule of docs/design.md, "Layers": `npm run lint:deps` (and CI) fails on any import it forbids.
// Layers, lowest first; a layer may import the ones below it, never one above:
//   kernel          common/ (imports nothing of the app), config/ (common/ only)
//   security        security/ (common/ and config/ only)
//   infrastructure  database/, redis/, secrets/, throttling/ (the kernel, security/'s interfaces, each other)
//   features        every other folder (all of the above, and each other without cycles)
//   composition     main.ts, app.*.ts, node-version.ts, cli/ (anything)

const FEATURES = '^src/(api-keys|audit|auth|health|oauth|orders|products|service-clients|user-admin|users)/';
const INFRASTRUCTURE = '^src/(database|mail|redis|secrets|throttling)/';
const COMPOSITION = '^src/([^/]+\\.ts$|cli/)';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'common-imports-nothing-of-the-app',
      comment: 'src/common/ is the kernel every layer builds on: it imports only node, npm packages and other common/ files.',
      severity: 'error',
      from: { path: '^src/common/' },
      to: { path: '^src/', pathNot: '^src/common/' },
    },
    {
      name: 'config-imports-only-common',
      comment: 'src/config/ is kernel too: the validated settings, read once at boot, depend on nothing above them.',
      severity: 'error',
      from: { path: '^src/config/' },
      to: { path: '^src/', pathNot: '^src/(common|config)/' },
    },
    {
      name: 'security-imports-only-the-kernel',
      comment:
        'src/security/ imports only common/ and config/. A feature plugs into it by registering (a credential strategy, ' +
        'an injection token it defines), never by being imported.',
      severity: 'error',
      from: { path: '^src/security/' },
      to: { path: '^src/', pathNot: '^src/(common|config|security)/' },
    },
    {
      name: 'infrastructure-imports-no-feature',
      comment:
        'database/, mail/, redis/, secrets/ and throttling/ serve the features and implement what security/ asks for; they never ' +
        'import a feature or the composition root.',
      severity: 'error',
      from: { path: INFRASTRUCTURE },
      to: { path: [FEATURES, COMPOSITION] },
    },
    {
      name: 'only-the-composition-root-imports-it',
      comment: 'The files at the top of src/ (main.ts, app.*.ts, entities.ts) and cli/ assemble the app; nothing inside the app imports them.',
      severity: 'error',
      from: { pathNot: COMPOSITION },
      to: { path: COMPOSITION },
    },
    {
      name: 'no-folder-cycles',
      comment: 'Two folders that import each other are one feature in two places: move the shared piece to its owner, or down a layer.',
      severity: 'error',
      scope: 'folder',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'no-circular',
      comment:
        'No import cycle between files either: a cycle is an order of initialisation that works by luck. A cycle ' +
        'through a type-only import (`import type`, erased when compiled) loads nothing: the two sides of a ' +
        'TypeORM relation name each other so (orders/order.entity.ts and order-line.entity.ts).',
      severity: 'error',
      from: { path: '^src/' },
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'src-never-imports-test',
      comment: 'The app never depends on its tests or their support code.',
      severity: 'error',
      from: { path: '^src/' },
      to: { path: '^test/' },
    },
    {
      name: 'no-import-of-a-spec',
      comment: 'A spec is a leaf: nothing imports it.',
      severity: 'error',
      from: {},
      to: { path: '\\.spec\\.ts$' },
    },
    {
      name: 'no-dev-dependency-in-the-app',
      comment: 'What runs in production needs only `dependencies`: npm ci --omit=dev must leave a working app.',
      severity: 'error',
      from: { path: '^src/', pathNot: '\\.spec\\.ts$' },
      to: { dependencyTypes: ['npm-dev'] },
    },
    {
      name: 'no-unresolvable-import',
      comment: 'Every import resolves to a file or an installed package.',
      severity: 'error',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-orphans',
      comment: 'A file nothing imports is dead code, unless it is an entry point (main.ts, a CLI), a spec or a type declaration.',
      severity: 'error',
      from: { orphan: true, pathNot: ['\\.spec\\.ts$', '\\.d\\.ts$', '^src/main\\.ts$', '^src/cli/'] },
      to: {},
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports count: a layer that needs another's types depends on it just the same.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    enhancedResolveOptions: { exportsFields: ['exports'], conditionNames: ['import', 'require', 'node', 'default', 'types'] },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
