import { toMediationPlacesCsv } from "~/modules/relays/open-data.rules";
import { listOpenData } from "~/modules/relays/relay.server";

/** GET /relais/donnees.csv: the same places in the standard's CSV (its columns, comma-separated). */
export async function loader() {
  const { rows } = await listOpenData();
  return new Response(toMediationPlacesCsv(rows), {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="lieux-mediation-numerique-relais.csv"',
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
