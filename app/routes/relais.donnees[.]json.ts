import { listOpenData } from "~/modules/relays/relay.server";

/**
 * GET /relais/donnees.json: active relays as the national "schéma de données des lieux de
 * médiation numérique" lays them out (an array of places, its field names; decision 020).
 */
export async function loader() {
  const { rows } = await listOpenData();
  return new Response(JSON.stringify(rows, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
