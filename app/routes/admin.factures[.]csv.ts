import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/auth/require.server";
import { salesCsv } from "~/modules/invoicing/invoicing.server";

/** GET /admin/factures.csv: the sales for the accountant, one line per invoice and credit note (staff only). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  return new Response(await salesCsv(), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="maillon-ventes.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
