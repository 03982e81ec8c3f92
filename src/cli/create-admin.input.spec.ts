import { CREATE_ADMIN_USAGE, emailArgument, passwordFromLine, UsageError } from './create-admin.input';

describe('emailArgument', () => {
  it('takes --email, normalized to lower case', () => {
    expect(emailArgument(['--email', ' Admin@Example.COM'])).toBe('admin@example.com');
  });

  it.each([[[]], [['--email']], [['--mail', 'a@example.com']], [['--email', 'a@example.com', '--role', 'x']]])('shows the usage for %j', (args) => {
    expect(() => emailArgument(args)).toThrow(new UsageError(CREATE_ADMIN_USAGE));
  });

  it('refuses an invalid email', () => {
    expect(() => emailArgument(['--email', 'not-an-email'])).toThrow(UsageError);
  });
});

describe('passwordFromLine', () => {
  it('keeps every character of the password', () => {
    expect(passwordFromLine('  spaces count  ')).toBe('  spaces count  ');
  });

  it.each([[undefined], ['x'.repeat(11)], ['x'.repeat(129)]])('refuses a missing, short or long password, without quoting it', (line) => {
    expect(() => passwordFromLine(line)).toThrow(new UsageError('The password must be 12 to 128 characters'));
  });
});
