import { startupBanner } from './startup-banner';

describe('Start-up banner', () => {
  it('says where the service listens, where its docs are and where the demo passwords are kept', () => {
    expect(startupBanner({ url: 'http://localhost:3000', docs: true, demoCredentialsFile: '.data/demo-credentials.txt' }).split('\n')).toEqual([
      'Orders API listening on http://localhost:3000',
      '  API docs:      http://localhost:3000/docs',
      '  Demo accounts: .data/demo-credentials.txt (an admin and a customer, random passwords made on the first start)',
    ]);
  });

  it('is the one line it always was in production, where there are no docs and no demo accounts', () => {
    expect(startupBanner({ url: 'http://localhost:3000', docs: false })).toBe('Orders API listening on http://localhost:3000 (docs: off)');
  });
});
