import { listOpenData } from "~/modules/relays/relay.server";

/** GET /relais/donnees.json: active relays, open data (public information only). */
export async function loader() {
  const relays = (await listOpenData()).map((r) => ({
    name: r.name,
    type: r.type,
    siret: r.siret,
    rna: r.rna,
    address: r.address,
    postcode: r.postcode,
    city: r.city,
    description: r.description,
    services: r.services,
    openingHours: r.openingHours,
  }));
  return new Response(JSON.stringify({ generatedAt: new Date().toISOString(), count: relays.length, relays }, null, 2), {
    headers: { "Content-Type": "application/json; charset=utf-8", "Cache-Control": "public, max-age=300", "Access-Control-Allow-Origin": "*" },
  });
}
