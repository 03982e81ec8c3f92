// The browser suite (`npm run test:browser`): the main config's HTTP tier, but only test/browser, which
// needs a Chromium binary. Its files end in .browser-spec.ts, so the main suite never picks them up.
const main = require('./jest.config');

const http = main.projects.find((tier) => tier.displayName === 'http');

module.exports = {
  ...main,
  projects: [{ ...http, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'], testPathIgnorePatterns: ['/node_modules/'] }],
};
