import type { LoaderFunctionArgs } from "@remix-run/node";
import { requirePermission } from "~/modules/auth/require.server";
import { refusalReportFilename } from "~/modules/recharges/code-import.rules";
import { readRefusalReport } from "~/modules/recharges/pending-imports.server";

/** GET /admin/recharges/import/lignes-refusees/:token: every refused line of a preview, for the person who made it. */
export async function loader({ request, params }: LoaderFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const report = await readRefusalReport(params.token ?? "", user.id);
  if (!report) {
    throw new Response("Cette liste n'est plus disponible : déposez le fichier à nouveau pour la retrouver.", {
      status: 404,
      headers: { "Content-Type": "text/plain; charset=utf-8", "Cache-Control": "private, no-store" },
    });
  }
  const filename = refusalReportFilename(report.filename);
  const ascii = filename.normalize("NFD").replace(/[^\x20-\x7e]/g, "").replace(/["\\]/g, "_");
  return new Response(report.csv, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": `attachment; filename="${ascii}"; filename*=UTF-8''${encodeURIComponent(filename)}`,
      "Cache-Control": "private, no-store",
    },
  });
}
