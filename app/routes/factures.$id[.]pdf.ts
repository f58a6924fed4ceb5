import type { LoaderFunctionArgs } from "@remix-run/node";
import { requireUser } from "~/modules/auth/session.server";
import { getInvoicePdf } from "~/modules/invoicing/invoicing.server";
import { pdfResponse } from "~/modules/pdf/response.server";

/**
 * GET /factures/:id.pdf: an invoice or credit note (with its Factur-X XML inside), for the
 * person billed, a referent of the structure billed, or staff; anyone else gets a 404.
 */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  const result = await getInvoicePdf({ actor: user, invoiceId: params.id ?? "" });
  if (!result.ok) throw new Response(result.message, { status: result.status, headers: { "Cache-Control": "private, no-store" } });
  return pdfResponse(result.pdf, result.fileName, "attachment");
}
