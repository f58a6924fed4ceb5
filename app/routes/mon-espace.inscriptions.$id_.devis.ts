import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbidden } from "~/modules/auth/require.server";
import { requireUser } from "~/modules/auth/session.server";
import { pdfResponse } from "~/modules/pdf/response.server";
import { getQuotePdf } from "~/modules/training/quote.server";

/**
 * GET /mon-espace/inscriptions/:id/devis: the quote of an enrolment funded by the structure
 * or an OPCO, as a PDF, for the learner, a referent of the structure, or staff.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getQuotePdf({ actor: user, enrolmentId: params.id ?? "" });
  if (!result.ok) throw result.status === 403 ? forbidden(result.message) : new Response(result.message, { status: result.status });
  return pdfResponse(result.pdf, result.fileName, "attachment");
}
