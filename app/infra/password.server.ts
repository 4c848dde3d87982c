import { hash, verify } from "@node-rs/argon2";

// OWASP's argon2id floor: m = 19 MiB, t = 2, p = 1 (its cost per sign-in: docs/benchmarks.md).
const ARGON2ID = 2;
const options = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

export { MIN_PASSWORD_LENGTH } from "~/domain/passwords";

export function hashPassword(password: string): Promise<string> {
  return hash(password, options);
}

/**
 * Whether `password` matches. An account without a password (invited, not yet set: ADR 020) matches
 * nothing, after the same work as a wrong password, so timing does not single such accounts out.
 */
export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (passwordHash === null) {
    await spendPasswordCheckTime(password);
    return false;
  }
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

// Verifying against this when no account matches keeps "unknown email" as slow as "wrong password",
// so timing does not tell which emails have accounts.
let decoy: Promise<string> | undefined;
export async function spendPasswordCheckTime(password: string) {
  decoy ??= hashPassword("decoy-password-never-valid");
  await verifyPassword(await decoy, password);
}
