import { data, type ActionFunctionArgs, type LoaderFunctionArgs, type MetaFunction } from "@remix-run/node";
import { Form, useActionData, useLoaderData } from "@remix-run/react";
import { Field, FormError } from "~/components/Field";
import { SheetHeading } from "~/components/SheetHeading";
import { markLabel, SIGNATURE_METHOD_LABELS, ATTENDANCE_STATUS_LABELS } from "~/modules/attendance/attendance.labels";
import { CORRECTION_REASON_MIN_LENGTH } from "~/modules/attendance/attendance.rules";
import { CorrectionSchema } from "~/modules/attendance/attendance.schema";
import { correctSheet, getTrainerSheet, listSheetCorrections } from "~/modules/attendance/attendance.server";
import { requirePermission } from "~/modules/auth/require.server";
import { formatDateTime } from "~/modules/enrolment/enrolment.rules";
import { formatTime } from "~/utils/dates";
import { redirectWithFlash } from "~/utils/flash.server";
import { parseForm, type FieldErrors } from "~/utils/forms.server";

/**
 * Staff correct one line of a half-day's sheet, locked or not, with a reason kept in the
 * audit log (line before and after); the corrections already made are listed below.
 */
export const meta: MetaFunction<typeof loader> = ({ data }) => [{ title: `${data ? `Émargement — ${data.sheet.moduleTitle}` : "Émargement"} — Administration — Maillon` }];

async function sheetFor(request: Request, params: LoaderFunctionArgs["params"]) {
  const user = await requirePermission(request, "admin.access");
  const sheet = await getTrainerSheet({ actor: user, sessionId: params.id ?? "", slotId: params.slotId ?? "" });
  if (!sheet) throw new Response("Cette feuille d'émargement n'existe pas.", { status: 404 });
  return { user, sheet };
}

export async function loader({ request, params }: LoaderFunctionArgs) {
  const { sheet } = await sheetFor(request, params);
  const corrections = await listSheetCorrections(sheet.slotId);
  const names = new Map(sheet.lines.map((l) => [l.enrolmentId, l.name]));
  return {
    sheet,
    reasonMinLength: CORRECTION_REASON_MIN_LENGTH,
    corrections: corrections.map((c) => {
      const d = (c.data ?? {}) as { enrolmentId?: string; before?: { status?: keyof typeof ATTENDANCE_STATUS_LABELS } | null; after?: { status?: keyof typeof ATTENDANCE_STATUS_LABELS } };
      const label = (s?: keyof typeof ATTENDANCE_STATUS_LABELS) => (s ? ATTENDANCE_STATUS_LABELS[s] : "non renseigné");
      return { id: c.id, at: c.at, actorName: c.actorName, reason: c.reason, who: names.get(d.enrolmentId ?? "") ?? "—", change: `${label(d.before?.status)} → ${label(d.after?.status)}` };
    }),
  };
}

export async function action({ request, params }: ActionFunctionArgs) {
  const { user, sheet } = await sheetFor(request, params);
  const formData = await request.formData();
  const enrolmentId = String(formData.get("enrolmentId") ?? "");
  const parsed = parseForm(CorrectionSchema, formData);
  if (!parsed.ok) return data<{ enrolmentId: string; errors: FieldErrors; values: Record<string, string> }>({ enrolmentId, errors: parsed.errors, values: parsed.values }, { status: 400 });
  const result = await correctSheet({ actor: user, slotId: sheet.slotId, data: parsed.data });
  if (!result.ok) {
    const field = result.code === "REASON_REQUIRED" ? "reason" : "form";
    return data<{ enrolmentId: string; errors: FieldErrors; values: Record<string, string> }>(
      { enrolmentId, errors: { [field]: result.message }, values: { reason: parsed.data.reason, status: parsed.data.status, minutesLate: String(parsed.data.minutesLate ?? "") } },
      { status: result.status },
    );
  }
  const name = sheet.lines.find((l) => l.enrolmentId === enrolmentId)?.name ?? "La ligne";
  return redirectWithFlash(`/admin/sessions/${encodeURIComponent(sheet.sessionId)}/emargement/${encodeURIComponent(sheet.slotId)}`, {
    kind: "success",
    message: `${name} : correction enregistrée dans le journal.`,
  });
}

export default function StaffSheet() {
  const { sheet, corrections, reasonMinLength } = useLoaderData<typeof loader>();
  const failed = useActionData<typeof action>();
  const pdf = `/formateur/sessions/${encodeURIComponent(sheet.sessionId)}/emargement/${encodeURIComponent(sheet.slotId)}/feuille.pdf`;
  return (
    <>
      <SheetHeading
        sheet={sheet}
        sessionHref={`/admin/sessions/${encodeURIComponent(sheet.sessionId)}`}
        pdfHref={pdf}
        facts={[
          ["Formateur·rice", sheet.trainerName ?? "À désigner"],
          ["Contresignée", sheet.trainerSignedAt ? `à ${formatTime(sheet.trainerSignedAt)}` : "non"],
        ]}
      />

      <section aria-labelledby="lignes">
        <h2 id="lignes">Stagiaires</h2>
        <p className="hint">Chaque correction demande une raison ({reasonMinLength} caractères au moins) ; elle est gardée dans le journal avec la ligne avant et après.</p>
        {sheet.lines.length === 0 ? <p>Personne n'a d'inscription confirmée.</p> : null}
        {sheet.lines.map((line) => {
          const rowFailed = failed?.enrolmentId === line.enrolmentId ? failed : null;
          const id = (f: string) => `${f}-${line.enrolmentId}`;
          return (
            <Form key={line.enrolmentId} method="post" className="card stack" aria-labelledby={id("nom")}>
              <h3 id={id("nom")}>{line.name}</h3>
              <p>
                {markLabel(line.mark)}
                {line.mark ? ` — ${SIGNATURE_METHOD_LABELS[line.mark.method]} à ${formatTime(line.mark.signedAt)}` : null}
              </p>
              <FormError message={rowFailed?.errors.form} />
              <input type="hidden" name="enrolmentId" value={line.enrolmentId} />
              <div className="field">
                <label htmlFor={id("status")}>Présence corrigée</label>
                <select id={id("status")} name="status" defaultValue={rowFailed?.values.status ?? line.mark?.status ?? "PRESENT"}>
                  <option value="PRESENT">Présent·e</option>
                  <option value="LATE">En retard</option>
                  <option value="ABSENT">Absent·e</option>
                </select>
              </div>
              <Field id={id("minutesLate")} name="minutesLate" label="Retard (minutes)" type="number" defaultValue={rowFailed?.values.minutesLate ?? (line.mark?.minutesLate ? String(line.mark.minutesLate) : "")} error={rowFailed?.errors.minutesLate} />
              <Field id={id("reason")} name="reason" label="Raison de la correction" required defaultValue={rowFailed?.values.reason} error={rowFailed?.errors.reason} maxLength={500} />
              <button type="submit">Corriger la ligne</button>
            </Form>
          );
        })}
      </section>

      <section aria-labelledby="journal">
        <h2 id="journal">Corrections</h2>
        {corrections.length === 0 ? (
          <p>Aucune correction.</p>
        ) : (
          <table>
            <thead>
              <tr>
                <th scope="col">Quand</th>
                <th scope="col">Stagiaire</th>
                <th scope="col">Changement</th>
                <th scope="col">Par</th>
                <th scope="col">Raison</th>
              </tr>
            </thead>
            <tbody>
              {corrections.map((c) => (
                <tr key={c.id}>
                  <td>{formatDateTime(c.at)}</td>
                  <th scope="row">{c.who}</th>
                  <td>{c.change}</td>
                  <td>{c.actorName ?? "—"}</td>
                  <td>{c.reason}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </section>
    </>
  );
}
