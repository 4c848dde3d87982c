import { TextField } from "~/components/ui";

/** The email a person signs in with, first on the sign-in and forgotten-password forms. */
export function AccountEmailField({ defaultValue, error }: { defaultValue: string; error?: string }) {
  return <TextField label="Email" name="email" type="email" autoComplete="email" required autoFocus defaultValue={defaultValue} error={error} />;
}
