import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/session.server";
import { getContractPdf } from "~/modules/contracts/contract.server";
import { pdfResponse } from "~/modules/pdf/response.server";

/** GET /mon-espace/inscriptions/:id/contrat.pdf: the stored contrat de formation, for its learner only. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getContractPdf({ userId: user.id, enrolmentId: params.id ?? "" });
  if (!result) throw new Response("Contrat introuvable", { status: 404, headers: { "Cache-Control": "private, no-store" } });
  return pdfResponse(result.pdf, result.fileName, "attachment");
}
