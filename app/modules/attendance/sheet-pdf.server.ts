import type { PDFImage } from "pdf-lib";
import type { Actor } from "~/modules/auth/permissions.rules";
import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { fileSlug } from "~/modules/pdf/layout";
import type { OrganisationIdentity } from "~/modules/organisation/identity.rules";
import { currentIdentity } from "~/modules/organisation/identity.server";
import { parisDateInput } from "~/modules/training/sessions.rules";
import { formatDate, formatLongDate, formatTime } from "~/utils/dates";
import { markLabel, SHEET_STATE_LABELS, SIGNATURE_METHOD_LABELS } from "./attendance.labels";
import { getTrainerSheet, type AttendanceSheet } from "./attendance.server";

/**
 * The printable attendance sheet of one half-day, as funders expect it: module title, date,
 * hours, place and trainer, then one row per trainee with their status, how and when they
 * signed and the drawn signature when there is one, then the trainer's countersignature.
 */

const PNG_DATA_URL = /^data:image\/png;base64,([A-Za-z0-9+/]+={0,2})$/;

/** The PNG inside a data URL, embedded once per distinct image; null when it is not a readable PNG. */
async function embedSignature(flow: PdfFlow, dataUrl: string | null, cache: Map<string, PDFImage | null>): Promise<PDFImage | null> {
  const match = dataUrl ? PNG_DATA_URL.exec(dataUrl) : null;
  if (!match) return null;
  if (!cache.has(dataUrl!)) cache.set(dataUrl!, await flow.doc.embedPng(Buffer.from(match[1]!, "base64")).catch(() => null));
  return cache.get(dataUrl!) ?? null;
}

/** "emargement-sensibilisation-inclusion-numerique-2026-03-02-0900.pdf" */
export function sheetFileName(sheet: Pick<AttendanceSheet, "moduleTitle" | "startsAt">): string {
  return `emargement-${fileSlug(sheet.moduleTitle, 50)}-${parisDateInput(sheet.startsAt)}-${formatTime(sheet.startsAt).replace(":", "")}.pdf`;
}

const COLUMNS = [
  { header: "N°", weight: 0.4 },
  { header: "Stagiaire", weight: 2.6 },
  { header: "Présence", weight: 1.8 },
  { header: "Signé par", weight: 1.9 },
  { header: "Heure", weight: 0.8 },
  { header: "Signature", weight: 2.2 },
] as const;
const SIZE = 9;
const PADDING = 4;
const IMAGE_HEIGHT = 28;

export async function renderSheetPdf(sheet: AttendanceSheet, now: Date, organisation: OrganisationIdentity): Promise<Uint8Array> {
  const flow = await PdfFlow.create({ title: `Feuille d'émargement — ${sheet.moduleTitle}`, subject: "Feuille d'émargement", author: organisation.name, now });
  flow.footerText = `${organisation.name} — feuille éditée le ${formatDate(now)} — ${SHEET_STATE_LABELS[sheet.state].toLowerCase()}`;
  const images = new Map<string, PDFImage | null>();

  flow.text("Feuille d'émargement", { size: 16, bold: true, color: COLORS.accent });
  flow.text(sheet.moduleTitle, { size: 13, bold: true });
  flow.space(4);
  flow.text(`Date : ${formatLongDate(sheet.startsAt)}`, { size: 10 });
  flow.text(`Horaires : ${formatTime(sheet.startsAt)} – ${formatTime(sheet.endsAt)}`, { size: 10 });
  flow.text(`Lieu : ${sheet.place}`, { size: 10 });
  flow.text(`Formateur·rice : ${sheet.trainerName ?? "à désigner"}`, { size: 10 });
  flow.space(10);

  const widths = COLUMNS.map((c) => c.weight);
  const total = widths.reduce((a, b) => a + b, 0);
  const cols = widths.map((w) => (w / total) * flow.contentWidth);
  const xs = cols.map((_, i) => flow.left + cols.slice(0, i).reduce((a, b) => a + b, 0));
  const lineHeight = SIZE * 1.3;

  const drawRow = async (cells: readonly string[], options: { bold?: boolean; image?: string | null }) => {
    const wrapped = cells.map((c, i) => flow.lines(c, SIZE, cols[i]! - 2 * PADDING, options.bold));
    const image = await embedSignature(flow, options.image ?? null, images);
    const height = Math.max(Math.max(1, ...wrapped.map((l) => l.length)) * lineHeight, image ? IMAGE_HEIGHT : 0) + 2 * PADDING;
    flow.ensureSpace(height);
    if (options.bold) flow.page.drawRectangle({ x: flow.left, y: flow.y - height, width: flow.contentWidth, height, color: COLORS.fill });
    wrapped.forEach((lines, i) => lines.forEach((line, j) => flow.drawLine(line, flow.y - PADDING - j * lineHeight, { x: xs[i]! + PADDING, width: cols[i]! - 2 * PADDING, size: SIZE, bold: options.bold })));
    if (image) {
      const last = cols.length - 1;
      const scale = Math.min(IMAGE_HEIGHT / image.height, (cols[last]! - 2 * PADDING) / image.width);
      flow.page.drawImage(image, { x: xs[last]! + PADDING, y: flow.y - PADDING - image.height * scale, width: image.width * scale, height: image.height * scale });
    }
    flow.y -= height;
    flow.rule();
  };

  await drawRow(
    COLUMNS.map((c) => c.header),
    { bold: true },
  );
  if (sheet.lines.length === 0) flow.text("Aucun·e stagiaire inscrit·e.", { size: 10 });
  for (const [i, line] of sheet.lines.entries()) {
    const mark = line.mark;
    const who = line.structureName ? `${line.name}\n${line.structureName}` : line.name;
    const signedBy = mark ? SIGNATURE_METHOD_LABELS[mark.method] : "—";
    const signature = mark && mark.status !== "ABSENT" && !mark.imageData && mark.method !== "TRAINER" ? `Signé électroniquement (${signedBy})` : "";
    await drawRow([String(i + 1), who, markLabel(mark), signedBy, mark ? formatTime(mark.signedAt) : "—", signature], { image: mark?.imageData });
  }

  flow.space(14);
  flow.ensureSpace(80);
  flow.text("Contresignature du formateur", { size: 11, bold: true });
  if (sheet.trainerSignedAt) {
    flow.text(`${sheet.trainerName ?? "Formateur·rice"} — contresignée le ${formatLongDate(sheet.trainerSignedAt)} à ${formatTime(sheet.trainerSignedAt)}`, { size: 10 });
    const image = await embedSignature(flow, sheet.trainerSignature, images);
    if (image) {
      const scale = Math.min(40 / image.height, 200 / image.width);
      flow.ensureSpace(image.height * scale + 4);
      flow.page.drawImage(image, { x: flow.left, y: flow.y - image.height * scale, width: image.width * scale, height: image.height * scale });
      flow.space(image.height * scale + 4);
    } else if (sheet.trainerSignature) {
      flow.text(`Signé électroniquement : ${sheet.trainerSignature}`, { size: 10 });
    }
  } else {
    flow.text("Pas encore contresignée.", { size: 10, color: COLORS.muted });
  }
  return flow.save();
}

/** The sheet PDF for the session's trainer or staff (checked again by getTrainerSheet); null otherwise. */
export async function getSheetPdf(input: { actor: Actor; sessionId: string; slotId: string; now?: Date }): Promise<{ pdf: Uint8Array; fileName: string } | null> {
  const now = input.now ?? new Date();
  const sheet = await getTrainerSheet({ ...input, now });
  if (!sheet) return null;
  return { pdf: await renderSheetPdf(sheet, now, await currentIdentity()), fileName: sheetFileName(sheet) };
}
