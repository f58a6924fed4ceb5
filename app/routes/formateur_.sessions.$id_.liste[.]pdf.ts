import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/auth/require.server";
import { getSessionTrainer } from "~/modules/training/roster.server";
import { getRosterPdf } from "~/modules/training/roster-pdf.server";
import { pdfResponse } from "~/modules/pdf/response.server";

/** GET /formateur/sessions/:id/liste.pdf: the printable roster, for the session's trainer and staff. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const sessionId = params.id ?? "";
  const session = await getSessionTrainer(sessionId);
  if (!session) throw new Response("Cette session n'existe pas.", { status: 404 });
  const user = await requirePermission(request, "session.viewRoster", { sessionTrainerId: session.trainerId });
  const result = await getRosterPdf({ actor: user, sessionId });
  if (!result) throw new Response("Cette session n'existe pas.", { status: 404 });
  return pdfResponse(result.pdf, result.fileName, "inline");
}
