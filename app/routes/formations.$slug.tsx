import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { formatHours, formatPrice, formatRate, lines, SATISFIED_FROM } from "~/modules/training/catalogue.rules";
import { getModulePage } from "~/modules/training/catalogue.server";
import { formatDateRange } from "~/utils/dates";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data?.title ?? "Formation"} — Maillon` },
  ...(data ? [{ name: "description", content: data.summary }] : []),
];

export async function loader({ params }: LoaderFunctionArgs) {
  const page = await getModulePage(params.slug ?? "", new Date());
  if (!page) throw new Response("Formation introuvable", { status: 404 });
  return page;
}

function List({ text }: { text: string }) {
  return (
    <ul>
      {lines(text).map((line, i) => (
        <li key={i}>{line}</li>
      ))}
    </ul>
  );
}

export default function ModulePage() {
  const module = useLoaderData<typeof loader>();
  const { satisfaction, completion, objectives } = module.results;
  return (
    <>
      <p>
        <Link to="/formations">← Toutes les formations</Link>
      </p>
      <h1>{module.title}</h1>
      <p className="lead">{module.summary}</p>

      <dl className="facts">
        <div>
          <dt>Durée</dt>
          <dd>{formatHours(module.durationMinutes)}</dd>
        </div>
        <div>
          <dt>Tarif</dt>
          <dd>{formatPrice(module.priceCents)} par personne, net de taxes</dd>
        </div>
        <div>
          <dt>Délai d'accès</dt>
          <dd>{module.accessLeadTime}</dd>
        </div>
      </dl>

      <section aria-labelledby="objectifs">
        <h2 id="objectifs">Objectifs : à l'issue de la formation, vous saurez</h2>
        <List text={module.objectives} />
      </section>

      <section aria-labelledby="programme">
        <h2 id="programme">Programme</h2>
        <List text={module.programme} />
      </section>

      <section aria-labelledby="modalites">
        <h2 id="modalites">Modalités</h2>
        <dl className="details">
          <dt>Public</dt>
          <dd>{module.audience}</dd>
          <dt>Prérequis</dt>
          <dd>{module.prerequisites}</dd>
          <dt>Méthodes pédagogiques</dt>
          <dd>{module.methods}</dd>
          <dt>Évaluation des acquis</dt>
          <dd>{module.assessment}</dd>
          <dt>Accessibilité aux personnes en situation de handicap</dt>
          <dd>{module.accessibility}</dd>
          <dt>Contact</dt>
          <dd>{module.contact}</dd>
        </dl>
      </section>

      <section aria-labelledby="resultats">
        <h2 id="resultats">Résultats</h2>
        {!satisfaction && !completion && !objectives ? (
          <p>Les premiers résultats seront publiés après les premières sessions.</p>
        ) : (
          <dl className="details">
            {satisfaction ? (
              <>
                <dt>Taux de satisfaction</dt>
                <dd>
                  {formatRate(satisfaction.rate)} des stagiaires satisfaits (note d'au moins {SATISFIED_FROM} sur 5 au questionnaire de fin de
                  formation ; note moyenne {satisfaction.average.toLocaleString("fr-FR", { maximumFractionDigits: 1 })} sur 5, {satisfaction.total}{" "}
                  réponse{satisfaction.total > 1 ? "s" : ""})
                </dd>
              </>
            ) : null}
            {completion ? (
              <>
                <dt>Taux de réalisation</dt>
                <dd>
                  {formatRate(completion.rate)} des stagiaires inscrits ont suivi toutes les demi-journées de la formation ({completion.count} sur{" "}
                  {completion.total})
                </dd>
              </>
            ) : null}
            {objectives ? (
              <>
                <dt>Taux d'atteinte des objectifs</dt>
                <dd>
                  {formatRate(objectives.rate)} des stagiaires évalués par leur formateur ont atteint les objectifs ({objectives.count} sur{" "}
                  {objectives.total})
                </dd>
              </>
            ) : null}
          </dl>
        )}
      </section>

      <section aria-labelledby="sessions">
        <h2 id="sessions">Prochaines sessions</h2>
        {module.sessions.length === 0 ? (
          <p>
            Pas de session programmée pour le moment. <Link to="/contact">Contactez-nous</Link> : nous organisons aussi des sessions dans vos
            locaux.
          </p>
        ) : (
          <table>
            <caption className="muted">Sessions ouvertes à l'inscription</caption>
            <thead>
              <tr>
                <th scope="col">Dates</th>
                <th scope="col">Lieu</th>
                <th scope="col">Places restantes</th>
                <th scope="col">Tarif</th>
              </tr>
            </thead>
            <tbody>
              {module.sessions.map((session) => (
                <tr key={session.id}>
                  <th scope="row">
                    <Link to={`/sessions/${session.id}`}>{formatDateRange(session.startsAt, session.endsAt)}</Link>
                  </th>
                  <td>{session.format === "REMOTE" ? "À distance" : (session.city ?? "Lieu à préciser")}</td>
                  <td>{session.seatsLeft === 0 ? <strong className="full">Complet — liste d'attente</strong> : session.seatsLeft}</td>
                  <td>{formatPrice(session.priceCents, session.isFree)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
