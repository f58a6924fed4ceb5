import type { AttendanceStatus, SheetState, SignatureMethod } from "./attendance.rules";

/** French labels for sheet lines and states, shared by pages and the sheet PDF. */
export const ATTENDANCE_STATUS_LABELS: Record<AttendanceStatus, string> = { PRESENT: "Présent·e", LATE: "En retard", ABSENT: "Absent·e" };

export const SIGNATURE_METHOD_LABELS: Record<SignatureMethod, string> = {
  DRAWN: "signature dessinée",
  TYPED: "nom saisi",
  CODE: "code de la salle",
  QR: "QR code",
  TRAINER: "noté par le formateur",
};

export const SHEET_STATE_LABELS: Record<SheetState, string> = {
  UPCOMING: "Pas encore ouverte",
  OPEN: "Ouverte à la signature",
  ENDED: "Signature close, à contresigner",
  LOCKED: "Contresignée et verrouillée",
};

/** "Présent·e", "En retard (20 min)", "Absent·e", or "Non renseigné". */
export function markLabel(mark: { status: AttendanceStatus; minutesLate: number | null } | null): string {
  if (!mark) return "Non renseigné";
  if (mark.status === "LATE" && mark.minutesLate) return `En retard (${mark.minutesLate} min)`;
  return ATTENDANCE_STATUS_LABELS[mark.status];
}
