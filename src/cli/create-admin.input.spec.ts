import { CREATE_ADMIN_USAGE, emailArgument, passwordFromLine, UsageError } from './create-admin.input';

describe('emailArgument', () => {
  it('takes --email, normalized to lower case', () => {
    expect(emailArgument(['--email', ' Admin@Example.COM'])).toBe('admin@example.com');
  });

  it.each([[[]], [['--email']], [['--mail', 'a@example.com']], [['--email', 'a@example.com', '--role', 'x']]])('shows the usage for %j', (args) => {
    expect(() => emailArgument(args)).toThrow(new UsageError(CREATE_ADMIN_USAGE));
  });

  it('normalizes it as the API does: NFKC, then lower case', () => {
    expect(emailArgument(['--email', '\uFF21dmin@Example.COM'])).toBe('admin@example.com');
  });

  it.each(['not-an-email', 'admin@ex\u0430mple.com', 'ad\u200Bmin@example.com'])('refuses %j, an invalid or look-alike email', (email) => {
    expect(() => emailArgument(['--email', email])).toThrow(UsageError);
  });
});

describe('passwordFromLine', () => {
  it('keeps every character of the password', () => {
    expect(passwordFromLine('  spaces count  ')).toBe('  spaces count  ');
  });

  it.each([[undefined], ['correct-horse-'], [`${'x'.repeat(128)}y`]])('refuses a missing, short or long password, without quoting it', (line) => {
    expect(() => passwordFromLine(line)).toThrow(new UsageError('The password must be 15 to 128 characters long'));
  });

  it.each([['a'.repeat(20)], ['1qaz2wsx3edc4rfv']])('refuses a repetitive or breached password, as the API does', (line) => {
    expect(() => passwordFromLine(line)).toThrow(UsageError);
  });
});
