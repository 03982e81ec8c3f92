/** API.md, Auth: passwords are 12 to 128 characters (the upper bound also caps hashing work per request). */
export const PASSWORD_MIN_LENGTH = 12;
export const PASSWORD_MAX_LENGTH = 128;
