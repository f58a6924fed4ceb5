import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/auth/require.server";
import { monthReport, reportCsv } from "~/modules/recharges/admin.server";
import { isPeriod } from "~/modules/recharges/quota.rules";
import { currentPeriod } from "~/modules/recharges/quota.server";

/** GET /admin/recharges/rapport.csv?mois=AAAA-MM: the month report for a spreadsheet (UTF-8 with BOM, semicolons). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const requested = new URL(request.url).searchParams.get("mois") ?? "";
  const period = isPeriod(requested) ? requested : currentPeriod();
  return new Response(reportCsv(period, await monthReport(period)), {
    headers: { "Content-Type": "text/csv; charset=utf-8", "Content-Disposition": `attachment; filename="recharges-${period}.csv"`, "Cache-Control": "private, no-store" },
  });
}
