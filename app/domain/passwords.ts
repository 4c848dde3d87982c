/** The shortest password we accept. Shared by the pages' hints (in the browser) and the checks on the server. */
export const MIN_PASSWORD_LENGTH = 10;
/** The longest: argon2 hashes anything, but a megabyte "password" is an attack, not a secret. */
export const MAX_PASSWORD_LENGTH = 1000;

/**
 * A new password and its confirmation, checked by the same rules as sign-up. Field errors keyed
 * by the form's field names; empty when both are fine.
 */
export function newPasswordErrors(password: string, confirm: string): { password?: string; confirm?: string } {
  if (password.length < MIN_PASSWORD_LENGTH) return { password: `Use at least ${MIN_PASSWORD_LENGTH} characters.` };
  if (password.length > MAX_PASSWORD_LENGTH) return { password: "Keep it under 1,000 characters." };
  if (password !== confirm) return { confirm: "The two passwords don't match. Type the same password twice." };
  return {};
}
