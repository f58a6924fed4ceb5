import type { LoaderFunctionArgs } from "@remix-run/node";
import { statusListCredentialText } from "~/modules/certificates/credential.server";

/**
 * GET /certificats/statuts/:year: the signed Bitstring Status List of that year's
 * certificates (bit = the number's sequence; set = revoked). No personal data; cacheable
 * briefly so a revocation reaches verifiers within a minute.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const year = /^\d{4}$/.test(params.year ?? "") ? Number(params.year) : NaN;
  const text = await statusListCredentialText(year);
  if (!text) return Response.json({ error: "Aucune liste de statuts pour cette année." }, { status: 404, headers: { "Cache-Control": "public, max-age=60" } });
  return new Response(text, { headers: { "Content-Type": "application/vc+ld+json", "Cache-Control": "public, max-age=60" } });
}
