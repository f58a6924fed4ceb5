import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { formatHours, formatParam, formatPrice, hasFilters, parseCatalogueFilters } from "~/modules/training/catalogue.rules";
import { listCatalogue, type SessionSummary } from "~/modules/training/catalogue.server";
import { formatDateRange, formatMonthKey } from "~/utils/dates";

export const meta: MetaFunction = () => [
  { title: "Formations — Maillon" },
  { name: "description", content: "Les formations à l'inclusion numérique pour les professionnels de l'action sociale et leurs prochaines sessions." },
];

export async function loader({ request }: LoaderFunctionArgs) {
  const { filters, notes } = parseCatalogueFilters(new URL(request.url).searchParams);
  const catalogue = await listCatalogue({ filters, now: new Date() });
  return { ...catalogue, filters, notes, filtered: hasFilters(filters) };
}

function SessionItem({ session }: { session: SessionSummary }) {
  const place = session.format === "REMOTE" ? "À distance" : (session.city ?? "Lieu à préciser");
  return (
    <li className="session-item">
      <Link to={`/sessions/${session.id}`}>
        {formatDateRange(session.startsAt, session.endsAt)} — {place}
      </Link>
      <span className="muted">
        {" · "}
        {session.seatsLeft === 0 ? (
          <strong className="full">Complet — liste d'attente</strong>
        ) : (
          `${session.seatsLeft} place${session.seatsLeft > 1 ? "s" : ""} restante${session.seatsLeft > 1 ? "s" : ""}`
        )}
        {session.isFree ? " · Gratuit" : null}
      </span>
    </li>
  );
}

export default function Catalogue() {
  const { modules, cities, months, filters, notes, filtered, matchingSessions } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Nos formations</h1>
      <p>
        Trois modules pour accompagner les personnes vers le numérique, pour les professionnels de l'action sociale. Chaque module
        détaille ses objectifs, son programme et ses modalités.
      </p>

      <Form method="get" className="filters" aria-labelledby="filtres-titre">
        <h2 id="filtres-titre">Trouver une session</h2>
        {notes.length > 0 ? (
          <ul className="form-error" role="status">
            {notes.map((note) => (
              <li key={note}>{note}</li>
            ))}
          </ul>
        ) : null}
        <div className="filter-row">
          <div className="field">
            <label htmlFor="filtre-ville">Ville</label>
            <select id="filtre-ville" name="ville" defaultValue={filters.city ?? ""}>
              <option value="">Toutes les villes</option>
              {filters.city && !cities.includes(filters.city) ? <option value={filters.city}>{filters.city}</option> : null}
              {cities.map((city) => (
                <option key={city} value={city}>
                  {city}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filtre-mois">Mois</label>
            <select id="filtre-mois" name="mois" defaultValue={filters.month ?? ""}>
              <option value="">Tous les mois</option>
              {filters.month && !months.includes(filters.month) ? <option value={filters.month}>{formatMonthKey(filters.month)}</option> : null}
              {months.map((month) => (
                <option key={month} value={month}>
                  {formatMonthKey(month)}
                </option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="filtre-format">Format</label>
            <select id="filtre-format" name="format" defaultValue={formatParam(filters.format)}>
              <option value="">En présentiel ou à distance</option>
              <option value="presentiel">En présentiel</option>
              <option value="distance">À distance</option>
            </select>
          </div>
        </div>
        <p className="filter-actions">
          <button type="submit">Filtrer les sessions</button>
          {filtered ? <Link to="/formations">Effacer les filtres</Link> : null}
        </p>
      </Form>

      {filtered ? (
        <p role="status">
          {matchingSessions === 0
            ? "Aucune session ne correspond à ces critères pour le moment. Essayez un autre mois ou une autre ville, ou contactez-nous : nous organisons aussi des sessions dans vos locaux."
            : `${matchingSessions} session${matchingSessions > 1 ? "s" : ""} correspond${matchingSessions > 1 ? "ent" : ""} à vos critères.`}
        </p>
      ) : null}

      <ul className="module-list">
        {modules.map((module) => (
          <li key={module.slug} className="card">
            <h2>
              <Link to={`/formations/${module.slug}`}>{module.title}</Link>
            </h2>
            <p>{module.summary}</p>
            <dl className="facts">
              <div>
                <dt>Durée</dt>
                <dd>{formatHours(module.durationMinutes)}</dd>
              </div>
              <div>
                <dt>Tarif</dt>
                <dd>{formatPrice(module.priceCents)} par personne</dd>
              </div>
            </dl>
            <h3>Prochaines sessions</h3>
            {module.sessions.length === 0 ? (
              <p className="muted">{filtered ? "Aucune session ne correspond à vos critères." : "Pas de session programmée pour le moment."}</p>
            ) : (
              <ul>
                {module.sessions.map((session) => (
                  <SessionItem key={session.id} session={session} />
                ))}
              </ul>
            )}
          </li>
        ))}
      </ul>
    </>
  );
}
