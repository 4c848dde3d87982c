import { MIN_PASSWORD_LENGTH } from "~/domain/passwords";
import { TextField } from "~/components/ui";

/** A new password typed twice, with the rule beside it: the set-password and account pages share it. */
export function NewPasswordFields({
  errors,
  autoFocus,
  confirmLabel,
}: {
  errors: { password?: string; confirm?: string };
  autoFocus?: boolean;
  confirmLabel: string;
}) {
  return (
    <>
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        autoFocus={autoFocus}
        error={errors.password}
        hint={`At least ${MIN_PASSWORD_LENGTH} characters.`}
      />
      <TextField label={confirmLabel} name="confirm" type="password" autoComplete="new-password" required error={errors.confirm} />
    </>
  );
}
