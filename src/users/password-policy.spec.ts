import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, passwordProblem } from './password-policy';

/** NIST SP 800-63B-4 §3.1.1.2 as a function; test/auth/account-rules.e2e-spec.ts holds the same rules over HTTP. */
describe('passwordProblem', () => {
  it.each([
    ['a passphrase of exactly 15 characters', 'tram-fig-lucent'],
    ['128 characters', 'x'.repeat(PASSWORD_MAX_LENGTH - 3) + 'yz!'],
    ['15 characters outside the BMP, 30 UTF-16 units', '🦊🐢🦉🐙🦔🐝🦋🐌🦀🐬🦩🐿🦦🦥🐞'],
    ['non-Latin letters', 'пароль из слов и цифр'],
    ['no digit, no symbol, no capital: composition is not a rule', 'correct horse battery staple'],
  ])('accepts %s', (_name, password) => {
    expect(passwordProblem(password)).toBeNull();
  });

  it('counts length in code points: 14 emoji are too short though they are 28 UTF-16 units', () => {
    const fourteen = '🦊'.repeat(7) + '🐢'.repeat(7);
    expect(fourteen.length).toBe(28);
    expect(passwordProblem(fourteen)).toBe(`must be ${PASSWORD_MIN_LENGTH} to ${PASSWORD_MAX_LENGTH} characters long`);
  });

  it.each([
    ['14 characters', 'tram-fig-lucen', 'must be 15 to 128 characters long'],
    ['129 characters', 'x1'.repeat(64) + 'y', 'must be 15 to 128 characters long'],
    ['one character repeated', 'z'.repeat(20), 'must not be one character or one sequence repeated'],
    ['one sequence repeated', 'abc1abc1abc1abc1', 'must not be one character or one sequence repeated'],
    ['a sequence repeated with separators between', 'abc1-abc1-abc1-abc1', 'must not be one character or one sequence repeated'],
    ['nothing but spaces and separators', ' . _ - . _ - . _ ', 'must not be one character or one sequence repeated'],
    ['a breached password', '1qaz2wsx3edc4rfv', 'is a common or breached password: choose another'],
    ['a breached password in other case', 'PasswordStandard', 'is a common or breached password: choose another'],
    ['a breached password with spaces and separators', 'qwerty uiop_12-345', 'is a common or breached password: choose another'],
  ])('refuses %s', (_name, password, problem) => {
    expect(passwordProblem(password)).toBe(problem);
  });

  it('never quotes the password it refuses', () => {
    for (const password of ['short-secret', 'q'.repeat(40), 'iloveyouiloveyou']) {
      expect(passwordProblem(password)).not.toContain(password);
    }
  });
});
