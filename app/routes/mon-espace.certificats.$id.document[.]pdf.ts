import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/session.server";
import { getCertificatePdf } from "~/modules/certificates/documents.server";
import { pdfResponse } from "~/modules/pdf/response.server";

/**
 * GET /mon-espace/certificats/:id/document.pdf: a certificate's PDF, drawn again from its
 * stored and signed fields, for its holder or staff (anyone else: 404).
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getCertificatePdf({ actor: user, id: params.id ?? "" });
  if (!result.ok) throw new Response(result.message, { status: result.status });
  return pdfResponse(result.pdf, result.fileName, "attachment");
}
