import type { LoaderFunctionArgs, MetaFunction } from "@remix-run/node";
import { Link, useLoaderData } from "@remix-run/react";
import { SignSheetForms } from "~/components/SignSheetForms";
import { markLabel, SIGNATURE_METHOD_LABELS } from "~/modules/attendance/attendance.labels";
import { listLearnerOpenSheets } from "~/modules/attendance/attendance.server";
import { requireUser } from "~/modules/auth/session.server";
import { formatSlot, formatTime } from "~/utils/dates";

/** The learner's sheets open now (their confirmed enrolments), each with its sign forms, and those they just signed. */
export const meta: MetaFunction = () => [{ title: "Émargement — Maillon" }];

export async function loader({ request }: LoaderFunctionArgs) {
  const user = await requireUser(request);
  return { sheets: await listLearnerOpenSheets({ userId: user.id }) };
}

export default function MySheets() {
  const { sheets } = useLoaderData<typeof loader>();
  return (
    <>
      <h1>Émargement</h1>
      <p>Signez ici la feuille de présence de chaque demi-journée de formation, pendant le créneau : avec votre nom, ou avec le code ou le QR code affiché dans la salle.</p>
      {sheets.length === 0 ? (
        <p className="muted">
          Aucune feuille n'est ouverte à la signature pour vous en ce moment. Elles ouvrent un quart d'heure avant chaque demi-journée. <Link to="/mon-espace">Mon espace</Link>
        </p>
      ) : (
        sheets.map((sheet) => (
          <section key={sheet.slotId} aria-labelledby={`feuille-${sheet.slotId}`} className="card">
            <h2 id={`feuille-${sheet.slotId}`}>
              {sheet.moduleTitle}
              <span className="subtitle">{formatSlot(sheet)}</span>
            </h2>
            {sheet.mark ? (
              <p>
                Ma présence : {markLabel(sheet.mark).toLowerCase()} — {SIGNATURE_METHOD_LABELS[sheet.mark.method]} à {formatTime(sheet.mark.signedAt)}.
              </p>
            ) : sheet.refusal ? (
              <p>{sheet.refusal.message}</p>
            ) : (
              <SignSheetForms slotId={sheet.slotId} idPrefix={`feuille-${sheet.slotId}`} failed={null} />
            )}
          </section>
        ))
      )}
    </>
  );
}
