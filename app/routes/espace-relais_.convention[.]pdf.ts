import type { LoaderFunctionArgs } from "@remix-run/node";
import { forbidden } from "~/modules/auth/require.server";
import { requireUser } from "~/modules/auth/session.server";
import { pdfResponse } from "~/modules/pdf/response.server";
import { getConventionPdf } from "~/modules/relays/convention-pdf.server";

/** GET /espace-relais/convention.pdf?structure=…: the relay's partnership agreement, for its members. */
export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getConventionPdf(user, new URL(request.url).searchParams.get("structure") ?? "");
  if (!result) throw forbidden("Vous ne faites pas partie de ce relais.");
  return pdfResponse(result.pdf, result.fileName, "inline");
}
