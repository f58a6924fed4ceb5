import { toCsv } from "~/modules/relays/directory.rules";
import { listOpenData } from "~/modules/relays/relay.server";

/** GET /relais/donnees.csv: active relays, open data (public information only). */
export async function loader() {
  const body = toCsv(await listOpenData());
  return new Response(body, {
    headers: {
      "Content-Type": "text/csv; charset=utf-8",
      "Content-Disposition": 'attachment; filename="relais-numeriques.csv"',
      "Cache-Control": "public, max-age=300",
      "Access-Control-Allow-Origin": "*",
    },
  });
}
