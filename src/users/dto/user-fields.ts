import { applyDecorators } from '@nestjs/common';
import { Transform } from 'class-transformer';
import { IsEmail, IsNotEmpty, IsString, Length, MaxLength } from 'class-validator';
import { PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH } from '../password-policy';

/** Lower-cased and trimmed before validation, so `Alice@Example.com ` and `alice@example.com` are one account. */
export const EmailField = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim().toLowerCase() : value)),
    IsEmail(),
    MaxLength(254),
  );

/** A new password: 12 to 128 characters (API.md). Never trimmed: every character counts. */
export const NewPasswordField = (): PropertyDecorator =>
  applyDecorators(IsString(), Length(PASSWORD_MIN_LENGTH, PASSWORD_MAX_LENGTH));

/** A display name: 1 to 100 characters once trimmed. */
export const NameField = (): PropertyDecorator =>
  applyDecorators(
    Transform(({ value }: { value: unknown }) => (typeof value === 'string' ? value.trim() : value)),
    IsString(),
    Length(1, 100),
  );

/** A password being checked: only the upper bound, which caps the hashing work a request can ask for. */
export const PasswordField = (): PropertyDecorator =>
  applyDecorators(IsString(), IsNotEmpty(), MaxLength(PASSWORD_MAX_LENGTH));
