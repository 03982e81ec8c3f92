import { applyDecorators } from '@nestjs/common';
import { ApiProperty, type ApiPropertyOptions } from '@nestjs/swagger';
import { Transform } from 'class-transformer';
import { isEmail, IsNotEmpty, IsString, Length, MaxLength, ValidateBy } from 'class-validator';
import { emailProblem, nameProblem, normalizeEmail } from '../account-text';
import { PASSWORD_MAX_LENGTH, passwordProblem } from '../password-policy';

/**
 * A validation rule from a function that says why a string is refused (null when it is not). Other
 * types are left to IsString() and IsEmail(), so a wrong type is reported once.
 */
const RefusedWhen = (name: string, problem: (value: string) => string | null): PropertyDecorator =>
  ValidateBy({
    name,
    validator: {
      validate: (value: unknown) => typeof value !== 'string' || problem(value) === null,
      defaultMessage: (args) => `${args?.property} ${problem(String(args?.value))}`,
    },
  });

/** A lone UTF-16 surrogate: text no encoder can write as UTF-8 (in a `u` regex, \p{Cs} matches only unpaired ones). */
const LONE_SURROGATE = /\p{Cs}/u;

/**
 * class-validator's IsEmail, on well-formed text only: its isEmail throws a URIError (from encodeURI) on a lone
 * surrogate, which would answer 500 instead of 400.
 */
const IsEmailText = (): PropertyDecorator =>
  ValidateBy({
    name: 'isEmail',
    validator: {
      validate: (value: unknown) => typeof value === 'string' && !LONE_SURROGATE.test(value) && isEmail(value),
      defaultMessage: (args) => `${args?.property} must be an email`,
    },
  });

/** How the document describes an e-mail address: JSON Schema's idn-email, since domains may be internationalised (RFC 6531). */
export const EMAIL_PROPERTY: ApiPropertyOptions = {
  format: 'idn-email',
  maxLength: 254,
  description: 'An e-mail address; the domain may be internationalised (RFC 6531), one script per label',
};

/**
 * Normalized before validation (NFKC, then lower case: see account-text.ts), so `Alice@Example.com `
 * and `ａlice@example.com` are one account, for uniqueness, the login and its limits alike.
 */
export const EmailField = (): PropertyDecorator =>
  applyDecorators(
    ApiProperty(EMAIL_PROPERTY),
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? normalizeEmail(value) : value)),
    IsEmailText(),
    MaxLength(254),
    RefusedWhen('unambiguousEmail', emailProblem),
  );

/** A new password (password-policy.ts: length, not repetitive, not on the blocklist). Never trimmed: every character counts. */
export const NewPasswordField = (): PropertyDecorator => applyDecorators(IsString(), RefusedWhen('acceptablePassword', passwordProblem));

/** A display name: 1 to 100 characters once trimmed, none of them hidden (account-text.ts). */
export const NameField = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, 100),
    RefusedWhen('visibleName', nameProblem),
  );

/** A password being checked: only the upper bound, which caps the hashing work a request can ask for. */
export const PasswordField = (): PropertyDecorator => applyDecorators(IsString(), IsNotEmpty(), MaxLength(PASSWORD_MAX_LENGTH));
