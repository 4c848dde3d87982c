import { createContext, useContext } from "react";

/** The per-request CSP nonce, so Remix's own inline scripts are the only inline scripts that run. */
export const NonceContext = createContext<string | undefined>(undefined);

export function useNonce() {
  return useContext(NonceContext);
}
