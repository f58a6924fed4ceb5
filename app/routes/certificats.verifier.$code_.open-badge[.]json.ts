import type { LoaderFunctionArgs } from "@remix-run/node";
import { normaliseVerificationCode } from "~/modules/certificates/certificate.rules";
import { storedCredential } from "~/modules/certificates/credential.server";

const json = (body: unknown, status: number) => Response.json(body, { status, headers: { "Cache-Control": "private, no-store" } });

/**
 * GET /certificats/verifier/:code/open-badge.json: the certificate's Open Badges 3.0
 * credential, the bytes stored at issue (with their proof). A revoked certificate answers
 * 410 Gone with an explanation, not the credential (its status list bit says so too).
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const code = normaliseVerificationCode(params.code ?? "");
  if (!code) return json({ error: "Code de vérification mal formé." }, 400);
  const found = await storedCredential(code);
  if (found.kind === "unknown") return json({ error: "Aucun certificat ne porte ce code." }, 404);
  if (found.kind === "tampered") return json({ error: "Les données de ce certificat ne correspondent plus à sa signature : aucun badge n'est délivré." }, 409);
  if (found.revokedAt) {
    return json({ error: `Le certificat ${found.number} a été révoqué le ${found.revokedAt.toISOString().slice(0, 10)} : il n'atteste plus rien et son badge n'est plus délivré.`, revoked: true }, 410);
  }
  return new Response(found.json, { headers: { "Content-Type": "application/ld+json; charset=utf-8", "Cache-Control": "private, no-store" } });
}
