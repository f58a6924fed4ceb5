import { Link } from "@remix-run/react";
import { SHEET_STATE_LABELS } from "~/modules/attendance/attendance.labels";
import type { SheetState } from "~/modules/attendance/attendance.rules";
import { formatSlot } from "~/utils/dates";

/**
 * The top of an attendance sheet page (staff and trainer): the way back to the session, the
 * module and half-day, the facts the page lists (state first), and the sheet's PDF.
 */
export function SheetHeading({
  sheet,
  sessionHref,
  pdfHref,
  facts,
}: {
  sheet: { moduleTitle: string; startsAt: Date; endsAt: Date; state: SheetState };
  sessionHref: string;
  pdfHref: string;
  facts: readonly (readonly [label: string, value: string])[];
}) {
  return (
    <>
      <p>
        <Link to={sessionHref}>← La session</Link>
      </p>
      <h1>
        Feuille d'émargement
        <span className="subtitle">
          {sheet.moduleTitle} — {formatSlot(sheet)}
        </span>
      </h1>
      <dl className="facts">
        {[["État", SHEET_STATE_LABELS[sheet.state]] as const, ...facts].map(([label, value]) => (
          <div key={label}>
            <dt>{label}</dt>
            <dd>{value}</dd>
          </div>
        ))}
      </dl>
      <p>
        <a href={pdfHref}>Feuille d'émargement (PDF)</a>
      </p>
    </>
  );
}
