import { data, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useLoaderData } from "@remix-run/react";
import { BarChart } from "~/components/BarChart";
import { requirePermission } from "~/modules/auth/require.server";
import { formatTraineeHours, moduleLabel, parseReportYear, RATE_LABELS, rateText } from "~/modules/reports/annual-report.rules";
import { loadAnnualReport } from "~/modules/reports/annual-report.server";

export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data && "report" in data && data.report ? `Bilan annuel ${data.report.year}` : "Bilan annuel"} — Administration — Maillon` },
];

/** GET /admin/rapports?annee=2026: the BPF figures and the Qualiopi rates of one year (staff only). */
export async function loader({ request }: LoaderFunctionArgs) {
  await requirePermission(request, "admin.access");
  const value = new URL(request.url).searchParams.get("annee");
  const choice = parseReportYear(value, new Date());
  if (!choice.ok) return data({ report: null, error: choice.error, value: value ?? "" }, { status: 400 });
  return { report: await loadAnnualReport(choice.year), error: null, value: String(choice.year) };
}

const hours = (minutes: number) => `${formatTraineeHours(minutes)} h`;

function CountRows({ rows }: { rows: { key: string; label: string; trainees: number; minutes: number }[] }) {
  return (
    <tbody>
      {rows.map((r) => (
        <tr key={r.key}>
          <th scope="row">{r.label}</th>
          <td>{r.trainees}</td>
          <td>{hours(r.minutes)}</td>
        </tr>
      ))}
    </tbody>
  );
}

const HEAD = (
  <thead>
    <tr>
      <th scope="col">Catégorie</th>
      <th scope="col">Stagiaires</th>
      <th scope="col">Heures-stagiaires</th>
    </tr>
  </thead>
);

export default function AnnualReportPage() {
  const { report, error, value } = useLoaderData<typeof loader>();
  return (
    <>
      <p>
        <Link to="/admin">← Administration</Link>
      </p>
      <h1>Bilan annuel{report ? ` ${report.year}` : ""}</h1>
      <p>
        Les chiffres du bilan pédagogique et financier (BPF, à déposer avant le 30 avril pour l'année précédente) et les indicateurs de résultats
        publiés au titre de Qualiopi.
      </p>
      <Form method="get" className="filters" aria-labelledby="choix-annee">
        <h2 id="choix-annee">Choisir l'année</h2>
        <div className="field">
          <label htmlFor="field-annee">Année</label>
          <input
            id="field-annee"
            name="annee"
            inputMode="numeric"
            autoComplete="off"
            maxLength={4}
            defaultValue={value}
            aria-invalid={error ? true : undefined}
            aria-describedby={error ? "field-annee-error" : undefined}
          />
          {error ? (
            <p className="error" id="field-annee-error">
              {error}
            </p>
          ) : null}
        </div>
        <p className="filter-actions">
          <button type="submit">Afficher</button>
        </p>
      </Form>
      {report ? (
        <>
          <section aria-labelledby="bpf">
            <h2 id="bpf">Bilan pédagogique et financier {report.year}</h2>
            <p className="muted">
              Stagiaires : inscriptions confirmées présentes à au moins une demi-journée de l'année. Heures-stagiaires : heures réellement suivies,
              d'après les feuilles d'émargement.
            </p>
            <dl className="facts">
              <div>
                <dt>Stagiaires</dt>
                <dd>{report.figures.total.trainees}</dd>
              </div>
              <div>
                <dt>Heures-stagiaires</dt>
                <dd>{hours(report.figures.total.minutes)}</dd>
              </div>
            </dl>
            <table>
              <caption>Par type de financement</caption>
              {HEAD}
              <CountRows rows={report.figures.byFunding.map((f) => ({ key: f.funding, ...f }))} />
            </table>
            <h3 id="par-module">Par module</h3>
            {report.figures.byModule.length === 0 ? (
              <p>Aucune heure de formation enregistrée en {report.year}.</p>
            ) : (
              <>
                <BarChart
                  id="graphique-modules"
                  title={`Heures-stagiaires par module en ${report.year}`}
                  description={`Diagramme en barres ; les mêmes chiffres figurent dans le tableau « Par module » qui suit. ${report.figures.byModule
                    .map((m) => `${moduleLabel(m)} : ${hours(m.minutes)}`)
                    .join(" ; ")}.`}
                  bars={report.figures.byModule.map((m) => ({ label: moduleLabel(m), value: m.minutes, valueText: hours(m.minutes) }))}
                />
                <table aria-labelledby="par-module">
                  {HEAD}
                  <CountRows rows={report.figures.byModule.map((m) => ({ key: m.id, label: moduleLabel(m), trainees: m.trainees, minutes: m.minutes }))} />
                </table>
              </>
            )}
          </section>
          <section aria-labelledby="qualiopi">
            <h2 id="qualiopi">Indicateurs Qualiopi {report.year}</h2>
            <p className="muted">Sessions clôturées dont la dernière demi-journée a eu lieu en {report.year} ; inscriptions confirmées.</p>
            <dl className="details">
              {(Object.keys(RATE_LABELS) as (keyof typeof RATE_LABELS)[]).map((key) => {
                const rate = report.results[key];
                return (
                  <div key={key}>
                    <dt>{RATE_LABELS[key]}</dt>
                    <dd>
                      {rateText(rate)}
                      {rate ? ` (${rate.count} sur ${rate.total})` : ""}
                    </dd>
                  </div>
                );
              })}
            </dl>
          </section>
          <p>
            <a href={`/admin/rapports/${report.year}.csv`} download>
              Télécharger le bilan {report.year} (CSV pour tableur, séparateur point-virgule)
            </a>
          </p>
        </>
      ) : null}
    </>
  );
}
