import { portalDidDocument } from "~/modules/certificates/credential.server";

/** GET /.well-known/did.json: the portal's did:web document, its certificate keys (current and retired) as Multikeys. */
export function loader() {
  return Response.json(portalDidDocument(), { headers: { "Content-Type": "application/did+ld+json", "Cache-Control": "public, max-age=300" } });
}
