import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, Link, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { SheetHeading } from "~/components/SheetHeading";
import { SignaturePad } from "~/components/SignaturePad";
import { markLabel, SHEET_STATE_LABELS, SIGNATURE_METHOD_LABELS } from "~/modules/attendance/attendance.labels";
import { CountersignSchema, MarkSchema } from "~/modules/attendance/attendance.schema";
import { countersignSheet, getTrainerSheet, markAttendance } from "~/modules/attendance/attendance.server";
import { slotCodeDisplay } from "~/modules/attendance/slot-code.server";
import { requirePermission } from "~/modules/auth/require.server";
import { getSessionTrainer } from "~/modules/training/roster.server";
import { formatSlot, formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

/**
 * The trainer's attendance sheet for one half-day (also open to staff): each trainee's
 * mark, the code and QR code to show in the room while the sheet is open, marking late
 * arrivals and absences, and the countersignature that locks the sheet. `?projection`
 * shows only the code for the room's screen; `?projection=auto` also reloads the page
 * (no JavaScript) when the code rotates, a timing the trainer turns on and off by a link
 * (WCAG 2.2.1).
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [
  { title: `${data ? `Émargement — ${data.sheet.moduleTitle}` : "Émargement"} — Maillon` },
  ...(data?.code?.refreshInSeconds ? [{ httpEquiv: "refresh", content: String(data.code.refreshInSeconds) } as const] : []),
];

/** The session's trainer and staff only (403 for others); 404 when the slot is not one of this session's. */
async function sheetFor(request: Request, params: LoaderFunctionArgs["params"]) {
  const sessionId = params.id ?? "";
  const session = await getSessionTrainer(sessionId);
  if (!session) throw new Response("Cette session n'existe pas.", { status: 404 });
  const user = await requirePermission(request, "session.viewRoster", { sessionTrainerId: session.trainerId });
  const sheet = await getTrainerSheet({ actor: user, sessionId, slotId: params.slotId ?? "" });
  if (!sheet) throw new Response("Cette feuille d'émargement n'existe pas.", { status: 404 });
  return { user, sheet };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sheet } = await sheetFor(request, params);
  const query = new URL(request.url).searchParams;
  const projection = query.has("projection");
  const autoRefresh = query.get("projection") === "auto";
  const now = new Date();
  const display = sheet.state === "OPEN" ? await slotCodeDisplay(sheet.slotId, now) : null;
  const code = display
    ? { digits: display.digits, qrSvg: display.qrSvg, validUntil: display.validUntil, refreshInSeconds: Math.max(1, Math.ceil((display.validUntil.getTime() - now.getTime()) / 1000)) }
    : null;
  return { sheet, projection, autoRefresh, code: autoRefresh ? code : code && { ...code, refreshInSeconds: null } };
}

type ActionFailure = { intent: "mark" | "countersign"; enrolmentId?: string; errors: FieldErrors; values: Record<string, string> };

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sheet } = await sheetFor(request, params);
  const path = `/formateur/sessions/${encodeURIComponent(sheet.sessionId)}/emargement/${encodeURIComponent(sheet.slotId)}`;
  const formData = await request.formData();
  const intent = formData.get("intent");

  if (intent === "mark") {
    const enrolmentId = String(formData.get("enrolmentId") ?? "");
    const parsed = parseForm(MarkSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, enrolmentId, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await markAttendance({ actor: user, slotId: sheet.slotId, data: parsed.data });
    if (!result.ok) return data<ActionFailure>({ intent, enrolmentId, errors: { form: result.message }, values: {} }, { status: result.status });
    const name = sheet.lines.find((l) => l.enrolmentId === enrolmentId)?.name ?? "La personne";
    return redirectWithFlash(`${path}#ligne-${enrolmentId}`, { kind: "success", message: `${name} : ${markLabel({ status: parsed.data.status, minutesLate: parsed.data.minutesLate ?? null }).toLowerCase()}.` });
  }

  if (intent === "countersign") {
    const parsed = parseForm(CountersignSchema, formData);
    if (!parsed.ok) return data<ActionFailure>({ intent, errors: parsed.errors, values: parsed.values }, { status: 400 });
    const result = await countersignSheet({ actor: user, slotId: sheet.slotId, ...parsed.data });
    if (!result.ok) {
      const field = result.code === "NAME_MISMATCH" ? "typedName" : result.code === "BAD_IMAGE" ? "signature" : "form";
      return data<ActionFailure>({ intent, errors: { [field]: result.message }, values: { typedName: parsed.data.typedName } }, { status: result.status });
    }
    return redirectWithFlash(path, { kind: "success", message: "La feuille est contresignée et verrouillée." });
  }

  return data<ActionFailure>({ intent: "mark", errors: { form: "Cette demande n'est pas valide." }, values: {} }, { status: 400 });
}

function SlotCode({ code, projection }: { code: { digits: string; qrSvg: string }; projection: boolean }) {
  return (
    <div className={`slot-code${projection ? " projection" : ""}`}>
      <p className="digits" aria-label={`Code d'émargement : ${code.digits.split("").join(" ")}`}>
        {`${code.digits.slice(0, 3)} ${code.digits.slice(3)}`}
      </p>
      <div role="img" aria-label="QR code à scanner avec votre téléphone pour signer" dangerouslySetInnerHTML={{ __html: code.qrSvg }} />
    </div>
  );
}

export default function TrainerSheet() {
  const { sheet, code, projection, autoRefresh } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const base = `/formateur/sessions/${encodeURIComponent(sheet.sessionId)}/emargement/${encodeURIComponent(sheet.slotId)}`;
  const locked = sheet.state === "LOCKED";

  if (projection) {
    return (
      <>
        <h1>
          Émargement
          <span className="subtitle">
            {sheet.moduleTitle} — {formatSlot(sheet)}
          </span>
        </h1>
        {code ? (
          <>
            <p className="lead">Signez avec votre téléphone : scannez le QR code, ou saisissez ce code sur la page « Émargement » de votre espace.</p>
            <SlotCode code={code} projection />
            <p>
              Le code change toutes les 30 secondes.{" "}
              {autoRefresh ? (
                <>
                  Cette page se met à jour toute seule. <Link to={`${base}?projection`}>Arrêter la mise à jour automatique</Link>
                </>
              ) : (
                <>
                  <Link to={`${base}?projection`}>Actualiser le code</Link> — <Link to={`${base}?projection=auto`}>Mettre à jour automatiquement à chaque changement</Link>
                </>
              )}
            </p>
          </>
        ) : (
          <p>La feuille n'est pas ouverte à la signature ({SHEET_STATE_LABELS[sheet.state].toLowerCase()}).</p>
        )}
        <p>
          <Link to={base}>Revenir à la feuille</Link>
        </p>
      </>
    );
  }

  const countersignFailed = failed?.intent === "countersign" ? failed : null;
  return (
    <>
      <SheetHeading
        sheet={sheet}
        sessionHref={`/formateur/sessions/${encodeURIComponent(sheet.sessionId)}`}
        pdfHref={`${base}/feuille.pdf`}
        facts={[
          ["Lieu", sheet.place],
          ["Formateur·rice", sheet.trainerName ?? "À désigner"],
        ]}
      />
      {failed?.intent === "mark" && failed.errors.form ? <FormError message={failed.errors.form} /> : null}

      {code ? (
        <section aria-labelledby="code">
          <h2 id="code">Code à afficher dans la salle</h2>
          <p>Les stagiaires signent depuis leur téléphone en scannant le QR code, ou en saisissant ce code sur la page « Émargement » de leur espace.</p>
          <SlotCode code={code} projection={false} />
          <p>
            <Link to={base}>Actualiser le code</Link> (il change toutes les 30 secondes) — <Link to={`${base}?projection`}>Afficher en plein écran pour la salle</Link>
          </p>
        </section>
      ) : null}

      <section aria-labelledby="stagiaires">
        <h2 id="stagiaires">Stagiaires</h2>
        {sheet.lines.length === 0 ? (
          <p>Personne n'a d'inscription confirmée.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Nom</th>
                <th scope="col">Présence</th>
                <th scope="col">Signé à</th>
                {!locked && sheet.isSessionTrainer ? <th scope="col">Noter</th> : null}
              </tr>
            </thead>
            <tbody>
              {sheet.lines.map((line) => {
                const rowFailed = failed?.intent === "mark" && failed.enrolmentId === line.enrolmentId ? failed : null;
                const id = (f: string) => `${f}-${line.enrolmentId}`;
                return (
                  <tr key={line.enrolmentId} id={`ligne-${line.enrolmentId}`}>
                    <th scope="row">
                      {line.name}
                      {line.structureName ? <span className="muted"> — {line.structureName}</span> : null}
                    </th>
                    <td>
                      {markLabel(line.mark)}
                      {line.mark ? <span className="muted"> ({SIGNATURE_METHOD_LABELS[line.mark.method]})</span> : null}
                      {line.mark?.imageData ? <img className="signature-image" src={line.mark.imageData} alt={`Signature de ${line.name}`} /> : null}
                    </td>
                    <td>{line.mark ? formatTime(line.mark.signedAt) : "—"}</td>
                    {!locked && sheet.isSessionTrainer ? (
                      <td>
                        <Form method="post" className="mark-form" aria-label={`Noter la présence de ${line.name}`}>
                          <input type="hidden" name="intent" value="mark" />
                          <input type="hidden" name="enrolmentId" value={line.enrolmentId} />
                          <div className="field">
                            <label htmlFor={id("status")}>Présence</label>
                            <select id={id("status")} name="status" defaultValue={rowFailed?.values.status ?? line.mark?.status ?? "PRESENT"} aria-invalid={rowFailed?.errors.status ? true : undefined} aria-describedby={rowFailed?.errors.status ? id("status-error") : undefined}>
                              <option value="PRESENT">Présent·e</option>
                              <option value="LATE">En retard</option>
                              <option value="ABSENT">Absent·e</option>
                            </select>
                            {rowFailed?.errors.status ? <p className="error" id={id("status-error")}>{rowFailed.errors.status}</p> : null}
                          </div>
                          <Field
                            id={id("minutesLate")}
                            name="minutesLate"
                            label="Retard (min)"
                            type="number"
                            defaultValue={rowFailed?.values.minutesLate ?? (line.mark?.minutesLate ? String(line.mark.minutesLate) : "")}
                            error={rowFailed?.errors.minutesLate}
                          />
                          <button type="submit">Enregistrer</button>
                        </Form>
                        {rowFailed?.errors.form ? <p className="error">{rowFailed.errors.form}</p> : null}
                      </td>
                    ) : null}
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}
      </section>

      <section aria-labelledby="contresignature">
        <h2 id="contresignature">Contresignature du formateur</h2>
        {locked ? (
          <p>
            Contresignée par {sheet.trainerName ?? "le formateur"} à {sheet.trainerSignedAt ? formatTime(sheet.trainerSignedAt) : "—"} : la feuille est verrouillée. Une correction ne peut être faite que par l'équipe Maillon.
          </p>
        ) : sheet.isSessionTrainer ? (
          <Form method="post" className="stack">
            <input type="hidden" name="intent" value="countersign" />
            <p className="hint">En fin de créneau, une fois chaque stagiaire noté·e présent·e, en retard ou absent·e. La feuille est ensuite verrouillée.</p>
            <FormError message={countersignFailed?.errors.form} />
            <Field name="typedName" label="Votre nom et prénom" autoComplete="name" required defaultValue={countersignFailed?.values.typedName} error={countersignFailed?.errors.typedName} />
            <SignaturePad name="signature" label="Votre signature" />
            {countersignFailed?.errors.signature ? <p className="error">{countersignFailed.errors.signature}</p> : null}
            <button type="submit">Contresigner et verrouiller la feuille</button>
          </Form>
        ) : (
          <p>Pas encore contresignée par le formateur.</p>
        )}
      </section>
    </>
  );
}
