import type { LoaderFunctionArgs } from "@remix-run/node";
import { pdfResponse } from "~/modules/pdf/response.server";
import { requireActingRelay } from "~/modules/recharges/relay-space.server";
import { getVoucherPdf } from "~/modules/recharges/voucher-pdf.server";

/** GET /espace-relais/recharges/:issueId/bon.pdf: the voucher, for its issuer, shortly after the code was shown. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const { userId, relay } = await requireActingRelay(request);
  const voucher = await getVoucherPdf({ relayId: relay.relayId, staffId: userId, issueId: params.issueId ?? "" });
  if (!voucher) throw new Response("Ce bon ne peut plus être imprimé : le code n'est affiché qu'une fois.", { status: 410 });
  return pdfResponse(voucher.pdf, voucher.fileName, "inline");
}
