import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/auth/require.server";
import { sessionCertificatesZip } from "~/modules/certificates/documents.server";

/** GET /admin/sessions/:id/certificats.zip: the session's valid certificates, one PDF each, in one ZIP (staff). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const result = await sessionCertificatesZip(params.id ?? "");
  if (!result) throw new Response("Cette session n'a aucun certificat valide.", { status: 404 });
  return new Response(new Uint8Array(result.zip), {
    headers: {
      "Content-Type": "application/zip",
      "Content-Length": String(result.zip.byteLength),
      "Content-Disposition": `attachment; filename="${result.fileName.replace(/[^\w.-]/g, "_")}"`,
      "Cache-Control": "private, no-store",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
