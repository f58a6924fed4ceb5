import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/auth/require.server";
import { annualReportCsv, parseReportYear } from "~/modules/reports/annual-report.rules";
import { loadAnnualReport } from "~/modules/reports/annual-report.server";

/** GET /admin/rapports/2026.csv: the yearly report for a spreadsheet (staff only). */
export async function loader({ request, params }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const choice = parseReportYear(params.year ?? "", new Date());
  if (!choice.ok || !params.year) throw new Response(choice.ok ? "Année manquante." : choice.error, { status: 400 });
  const csv = annualReportCsv(await loadAnnualReport(choice.year));
  return new Response(csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="maillon-bilan-${choice.year}.csv"`,
      "Cache-Control": "private, no-store",
    },
  });
}
