// The browser suite (`npm run test:browser`): the main jest config, but only test/browser, which
// needs a Chromium binary. Its files end in .browser-spec.ts, so the main suite never picks them up.
const main = require('./jest.config');

module.exports = {
  ...main,
  testMatch: ['<rootDir>/test/browser/**/*.browser-spec.ts'],
  testPathIgnorePatterns: ['/node_modules/'],
};
