import type { LoaderFunctionArgs } from "@remix-run/node";
import { getSheetPdf } from "~/modules/attendance/sheet-pdf.server";
import { requirePermission } from "~/modules/auth/require.server";
import { pdfResponse } from "~/modules/pdf/response.server";
import { getSessionTrainer } from "~/modules/training/roster.server";

/** GET /formateur/sessions/:id/emargement/:slotId/feuille.pdf: one half-day's attendance sheet, for the session's trainer and staff. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const sessionId = params.id ?? "";
  const session = await getSessionTrainer(sessionId);
  if (!session) throw new Response("Cette session n'existe pas.", { status: 404 });
  const user = await requirePermission(request, "session.viewRoster", { sessionTrainerId: session.trainerId });
  const result = await getSheetPdf({ actor: user, sessionId, slotId: params.slotId ?? "" });
  if (!result) throw new Response("Cette feuille d'émargement n'existe pas.", { status: 404 });
  return pdfResponse(result.pdf, result.fileName, "inline");
}
