/** The kinds of account mail, as queued in the outbox. */
export const ACCOUNT_MAIL = {
  /** To a user (by id) or an address (a resend): a verification link, if the address still needs one. */
  emailVerification: 'email_verification',
  /** To an address that already has an account, after a sign-up with it. */
  signupWithExistingAddress: 'signup_existing',
  /** To an address: a reset link, if an active account has it. */
  passwordReset: 'password_reset',
  passwordWasReset: 'password_was_reset',
  /** To the new address of an e-mail change: its confirmation link. */
  emailChange: 'email_change',
  /** To the old address of an e-mail change. */
  emailChangeRequested: 'email_change_requested',
  newSignIn: 'new_sign_in',
} as const;
