import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field } from "~/components/Field";
import { BarChart } from "~/components/BarChart";
import { requirePermission } from "~/modules/auth/require.server";
import { formatTraineeHours, moduleLabel, parseReportYear, RATE_LABELS, rateText } from "~/modules/reports/annual-report.rules";
import { loadAnnualReport, saveBpfEntry } from "~/modules/reports/annual-report.server";
import type { BpfEntry, CerfaRow, CerfaSection } from "~/modules/reports/bpf.rules";
import { BPF_ENTRY_FIELDS, parseBpfEntry, type BpfEntryField } from "~/modules/reports/bpf.schema";
import { formatEuros } from "~/modules/training/quote.rules";
import { centsToEurosInput } from "~/modules/training/sessions.rules";
import { redirectWithFlash } from "~/utils/flash.server";
import { formValues } from "~/utils/forms.server";

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

type EntryFailure = { errors: Partial<Record<BpfEntryField, string>>; values: Record<string, string> };

/** POST /admin/rapports?annee=2026: staff record the BPF figures the portal cannot know (section D, other income, turnover). */
export async function action({ request }: ActionFunctionArgs) {
  const user = await requirePermission(request, "admin.access");
  const form = await request.formData();
  const choice = parseReportYear(String(form.get("annee") ?? ""), new Date());
  if (!choice.ok || !form.get("annee")) return data<EntryFailure>({ errors: { charges: choice.ok ? "Année manquante." : choice.error }, values: formValues(form) }, { status: 400 });
  const parsed = parseBpfEntry(form);
  if (!parsed.ok) return data<EntryFailure>({ errors: parsed.errors, values: formValues(form) }, { status: 400 });
  await saveBpfEntry({ actorId: user.id, year: choice.year, entry: parsed.entry });
  return redirectWithFlash(`/admin/rapports?annee=${choice.year}#bpf-cerfa`, { kind: "success", message: `Les chiffres saisis du BPF ${choice.year} sont enregistrés.` });
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
  const failed = useActionData<typeof action>() as EntryFailure | undefined;
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
          <section aria-labelledby="bpf-cerfa">
            <h2 id="bpf-cerfa">{`Lignes du cerfa 10443 (${report.year})`}</h2>
            <p className="muted">
              Chaque ligne porte le numéro du formulaire en ligne. Produits : factures de l'année moins leurs avoirs, hors taxes, par date de facture.
              Heures : d'après les feuilles d'émargement (stagiaires) et les demi-journées données (formateurs).
            </p>
            {report.cerfa.modulesWithoutNsf.length > 0 ? (
              <p className="notice" role="status">
                {`Code NSF manquant pour ${report.cerfa.modulesWithoutNsf.map((m) => `le module ${m.number} (${m.title})`).join(", ")} : indiquez-le sur la fiche du module pour remplir la ligne F-4.`}
              </p>
            ) : null}
            {report.cerfa.sections.map((section) => (
              <CerfaTable key={section.id} section={section} />
            ))}
            <EntryForm year={report.year} entry={report.cerfa.entry} failed={failed} />
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

function amountText(row: CerfaRow): string {
  if (row.percent !== undefined) return row.percent === null ? "à calculer (chiffre d'affaires non saisi)" : `${String(row.percent).replace(".", ",")} %`;
  if (row.amountCents === undefined) return "";
  return row.amountCents === null ? "non saisi" : formatEuros(row.amountCents);
}

function CerfaTable({ section }: { section: CerfaSection }) {
  const money = section.rows.some((r) => r.amountCents !== undefined || r.percent !== undefined);
  return (
    <table>
      <caption>{section.title}</caption>
      <thead>
        <tr>
          <th scope="col">Ligne</th>
          <th scope="col">Intitulé</th>
          {money ? (
            <th scope="col">Montant HT</th>
          ) : (
            <>
              <th scope="col">Nombre</th>
              <th scope="col">Heures</th>
            </>
          )}
        </tr>
      </thead>
      <tbody>
        {section.rows.map((row) => (
          <tr key={row.line}>
            <th scope="row">{row.line}</th>
            <td>{row.label}</td>
            {money ? (
              <td>{amountText(row)}</td>
            ) : (
              <>
                <td>{row.count ?? ""}</td>
                <td>{row.minutes === undefined ? "" : hours(row.minutes)}</td>
              </>
            )}
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const ENTRY_LABELS: Record<BpfEntryField, { label: string; hint?: string }> = {
  otherIncome: { label: "C-11 — Autres produits au titre de la formation professionnelle (€ HT)", hint: "Ce que le portail ne facture pas ; vide vaut 0." },
  turnover: { label: "Chiffre d'affaires global de l'organisme (€ HT)", hint: "Pour calculer la part de la formation professionnelle." },
  charges: { label: "D-1 — Total des charges liées à l'activité de formation (€ HT)" },
  trainerPay: { label: "D-2 — dont salaires des formateurs (€ HT)" },
  boughtTraining: { label: "D-3 — dont achats de prestations de formation et honoraires (€ HT)" },
};

/** What staff enter: the charges (D), other income (C-11) and the whole turnover. */
function EntryForm({ year, entry, failed }: { year: number; entry: BpfEntry; failed: EntryFailure | undefined }) {
  const stored = (field: BpfEntryField) => {
    const cents = entry[BPF_ENTRY_FIELDS[field]];
    return cents === null || (field === "otherIncome" && cents === 0) ? "" : centsToEurosInput(cents);
  };
  return (
    <Form method="post" className="stack" noValidate aria-labelledby="saisie-bpf">
      <h3 id="saisie-bpf">Chiffres à saisir pour {year}</h3>
      <p className="muted">Ces montants viennent de la comptabilité : le portail ne peut pas les connaître.</p>
      <input type="hidden" name="annee" value={year} />
      {(Object.keys(ENTRY_LABELS) as BpfEntryField[]).map((field) => (
        <Field
          key={field}
          name={field}
          label={ENTRY_LABELS[field].label}
          hint={ENTRY_LABELS[field].hint}
          defaultValue={failed ? (failed.values[field] ?? "") : stored(field)}
          error={failed?.errors[field]}
          autoComplete="off"
          maxLength={20}
        />
      ))}
      <p>
        <button type="submit">Enregistrer les chiffres de {year}</button>
      </p>
    </Form>
  );
}
