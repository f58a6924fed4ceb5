import { publishedPublicKey } from "~/modules/certificates/signing-key.server";

/** GET /certificats/cle-publique: the Ed25519 public key that checks certificate signatures (PEM). */
export function loader() {
  return new Response(publishedPublicKey().pem, { headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "public, max-age=3600" } });
}
