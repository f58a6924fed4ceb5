import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { isNear } from "~/modules/relays/directory.rules";
import { STRUCTURE_TYPE_LABELS, type StructureType } from "~/modules/relays/application.schema";
import { listDirectory } from "~/modules/relays/relay.server";

export const meta: MetaFunction = () => [
  { title: "Annuaire des Relais Numériques — Maillon" },
  { name: "description", content: "Trouver le Relais Numérique le plus proche : recharges mobiles, accompagnement et ateliers numériques." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const q = (new URL(request.url).searchParams.get("q") ?? "").trim().slice(0, 100);
  const relays = await listDirectory(q);
  return { q, relays: relays.map((r) => ({ ...r, near: isNear(r, q) })) };
}

export default function RelayDirectory() {
  const { q, relays } = useLoaderData<typeof loader>();
  const near = relays.filter((r) => r.near);
  return (
    <>
      <h1>Annuaire des Relais Numériques</h1>
      <p className="lead">
        Les Relais Numériques sont des structures sociales dont l'équipe est formée pour accompagner les personnes vers le numérique et leur
        délivrer des recharges mobiles. Cherchez le plus proche par code postal ou par commune.
      </p>
      <Form method="get" className="filters" role="search" aria-labelledby="recherche">
        <h2 id="recherche">Chercher un relais</h2>
        <div className="field">
          <label htmlFor="q">Code postal ou commune</label>
          <input id="q" name="q" type="search" defaultValue={q} autoComplete="postal-code" />
        </div>
        <p className="filter-actions">
          <button type="submit">Chercher</button>
          {q ? <Link to="/relais">Voir tous les relais</Link> : null}
        </p>
      </Form>
      {q ? (
        <p role="status">
          {near.length === 0
            ? `Aucun relais actif à « ${q} » ni dans son département ; voici les plus proches.`
            : `${near.length} relais près de « ${q} », les plus proches d'abord.`}
        </p>
      ) : null}
      {relays.length === 0 ? (
        <p>Aucun relais n'est actif pour l'instant.</p>
      ) : (
        <ul className="relay-list">
          {relays.map((r) => (
            <li key={r.id}>
              <h2>{r.name}</h2>
              <p className="muted">{STRUCTURE_TYPE_LABELS[r.type as StructureType] ?? r.type}</p>
              <p>{[r.address, [r.postcode, r.city].filter(Boolean).join(" ")].filter(Boolean).join(", ")}</p>
              {r.description ? <p>{r.description}</p> : null}
              {r.services.length > 0 ? (
                <>
                  <h3>Ce que le relais propose</h3>
                  <ul>
                    {r.services.map((s) => (
                      <li key={s}>{s}</li>
                    ))}
                  </ul>
                </>
              ) : null}
              {r.hoursLines.length > 0 ? (
                <>
                  <h3>Accueil</h3>
                  <ul>
                    {r.hoursLines.map((line) => (
                      <li key={line}>{line}</li>
                    ))}
                  </ul>
                </>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      <h2>Données ouvertes</h2>
      <p>
        La liste des relais actifs est publiée en données ouvertes : <a href="/relais/donnees.csv">CSV</a> ou <a href="/relais/donnees.json">JSON</a>.
      </p>
      <p>
        Votre structure souhaite devenir Relais Numérique ? <Link to="/relais/candidature">Déposez une candidature</Link>.
      </p>
    </>
  );
}
