import type { LoaderFunctionArgs } from "@remix-run/node";
import { certificateOpenBadge, findCertificateForVerification } from "~/modules/certificates/issue.server";

/** GET /certificats/verifier/:code/open-badge.json: the certificate as an Open Badges 3.0 credential. */
export async function loader({ params }: LoaderFunctionArgs) {
  const found = await findCertificateForVerification(params.code ?? "");
  if (found.kind !== "found") {
    const status = found.kind === "malformed" ? 400 : 404;
    return Response.json({ error: found.kind === "malformed" ? "Code de vérification mal formé." : "Aucun certificat ne porte ce code." }, { status });
  }
  return Response.json(await certificateOpenBadge(found.certificate), {
    headers: { "Content-Type": "application/ld+json; charset=utf-8", "Cache-Control": "private, no-store" },
  });
}
