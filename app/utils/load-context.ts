/** What server/index.ts passes to every loader and action. */
declare module "@remix-run/node" {
  interface AppLoadContext {
    requestId: string;
    nonce: string;
    ip: string;
  }
}
export {};
