import { createContext, useContext } from "react";

/**
 * The per-request CSP nonce (server/index.ts) for Remix's inline scripts. On the client
 * the value is empty: browsers hide nonces from the DOM, and hydration only needs a match.
 */
const NonceContext = createContext<string>("");
export const NonceProvider = NonceContext.Provider;
export const useNonce = () => useContext(NonceContext);
