/**
 * Certificate PDFs (certificat de réalisation, attestation de fin de formation). A whole
 * session is drawn into ONE document, so the two DejaVu fonts are subset and encoded once;
 * each certificate's own PDF is then made by copying its pages (fonts already encoded)
 * into a small document. The QR code is drawn as filled rectangles: no image to encode.
 */
import { PDFDocument, type PDFImage, beginMarkedContent, endMarkedContent, fill, popGraphicsState, pushGraphicsState, rectangle, setFillingRgbColor } from "pdf-lib";
import QRCode from "qrcode";
import { COLORS, PdfFlow } from "~/modules/pdf/document.server";
import { printable } from "~/modules/pdf/fonts.server";
import { addressLines, formatSiret, ndaMention, type OrganisationIdentity, type PrintableLogo } from "~/modules/organisation/identity.rules";
import { CERTIFICATE_KIND_LABELS, formatAttendedDuration, lastValidDay, objectivesLabel, type CertificateKind } from "./certificate.rules";

export type CertificatePdfInput = {
  kind: CertificateKind;
  number: string;
  verificationUrl: string;
  learnerName: string;
  moduleTitle: string;
  startsOn: Date;
  endsOn: Date;
  place: string;
  plannedMinutes: number;
  attendedMinutes: number;
  objectives: string[];
  objectivesReached: boolean | null;
  trainerName: string;
  issuedAt: Date;
  expiresAt: Date | null;
  /** Short signature fingerprint, printed as given. */
  fingerprint: string;
  /** The identity the certificate was issued under (it keeps it when the organisation's changes). */
  organisation: OrganisationIdentity;
  /** Its logo, drawn above its name (PNG or JPEG). */
  logo?: PrintableLogo | null;
};

const LOGO_HEIGHT = 40;
const LOGO_MAX_WIDTH = 160;

/** Embeds each logo once per document (a session's certificates share it); null when its bytes do not decode. */
async function embedLogo(flow: PdfFlow, logo: PrintableLogo, cache: Map<Uint8Array, PDFImage | null>): Promise<PDFImage | null> {
  if (!cache.has(logo.bytes)) {
    const embed = logo.type === "image/png" ? flow.doc.embedPng(logo.bytes) : flow.doc.embedJpg(logo.bytes);
    cache.set(logo.bytes, await embed.catch(() => null));
  }
  return cache.get(logo.bytes) ?? null;
}

const DAY = new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", day: "numeric", month: "long", year: "numeric" });
const formatDay = (d: Date) => DAY.format(d);
const formatIsoDay = (day: string) => formatDay(new Date(`${day}T12:00:00Z`));

/** The QR code's dark modules, row by row, as `qrcode` computes them. */
export function qrMatrix(url: string): boolean[][] {
  const { modules } = QRCode.create(url, { errorCorrectionLevel: "M" });
  return Array.from({ length: modules.size }, (_, r) => Array.from({ length: modules.size }, (_, c) => Boolean(modules.get(r, c))));
}

/** Marked-content tag around the QR drawing (tests read it back). */
export const QR_TAG = "QRCode";

function drawQr(flow: PdfFlow, url: string, x: number, top: number, size: number) {
  const matrix = qrMatrix(url);
  const m = size / matrix.length;
  const ops = [beginMarkedContent(QR_TAG), pushGraphicsState(), setFillingRgbColor(0, 0, 0)];
  matrix.forEach((row, r) => {
    let c = 0;
    while (c < row.length) {
      if (!row[c]) { c++; continue; }
      const start = c;
      while (c < row.length && row[c]) c++;
      ops.push(rectangle(x + start * m, top - (r + 1) * m, (c - start) * m, m));
    }
  });
  ops.push(fill(), popGraphicsState(), endMarkedContent());
  flow.page.pushOperators(...ops);
}

function drawCertificate(flow: PdfFlow, input: CertificatePdfInput, logo: PDFImage | null) {
  const qrSize = 90;
  const qrTop = flow.y;
  drawQr(flow, input.verificationUrl, flow.right - qrSize, qrTop, qrSize);
  const textWidth = flow.contentWidth - qrSize - 16;
  const { organisation } = input;
  if (logo) {
    const scale = Math.min(LOGO_HEIGHT / logo.height, LOGO_MAX_WIDTH / logo.width);
    flow.page.drawImage(logo, { x: flow.left, y: flow.y - logo.height * scale, width: logo.width * scale, height: logo.height * scale });
    flow.space(logo.height * scale + 6);
  }
  flow.text(organisation.name, { size: 12, bold: true, width: textWidth, color: COLORS.accent });
  flow.text(`${addressLines(organisation).join(", ")} — SIRET ${formatSiret(organisation.siret)}`, { size: 8, width: textWidth, color: COLORS.muted });
  flow.space(30);
  flow.y = Math.min(flow.y, qrTop - qrSize - 12);
  flow.text(CERTIFICATE_KIND_LABELS[input.kind], { size: 20, bold: true });
  flow.text(`N° ${input.number}`, { size: 11 });
  flow.space(14);
  flow.text("Nous certifions que", { size: 10, color: COLORS.muted });
  flow.text(input.learnerName, { size: 16, bold: true });
  flow.space(6);
  flow.text("a suivi l'action de formation", { size: 10, color: COLORS.muted });
  flow.text(input.moduleTitle, { size: 13, bold: true });
  flow.space(8);
  const rows: [string, string][] = [
    ["Dates", `du ${formatDay(input.startsOn)} au ${formatDay(input.endsOn)}`],
    ["Lieu", input.place],
    ["Durée prévue", formatAttendedDuration(input.plannedMinutes)],
    ["Durée suivie", formatAttendedDuration(input.attendedMinutes)],
    ["Formateur ou formatrice", input.trainerName],
  ];
  for (const [label, value] of rows) {
    const top = flow.y;
    flow.text(label, { size: 10, bold: true, width: 150 });
    const after = flow.y;
    flow.y = top;
    flow.text(value, { size: 10, x: flow.left + 160 });
    flow.y = Math.min(flow.y, after);
  }
  if (input.kind === "END_OF_TRAINING") {
    flow.space(10);
    flow.text("Objectifs de la formation", { size: 11, bold: true });
    for (const objective of input.objectives) flow.text(`• ${objective}`, { size: 10, x: flow.left + 8 });
    flow.text(`Résultat de l'évaluation : ${objectivesLabel(input.objectivesReached)}`, { size: 10, bold: true });
  }
  flow.space(14);
  flow.text(`Délivré le ${formatDay(input.issuedAt)}${input.expiresAt ? ` — valable jusqu'au ${formatIsoDay(lastValidDay(input.expiresAt))}` : ""}`, { size: 10 });
  flow.linkText("Vérification : ", input.verificationUrl, { size: 9 });
  flow.text(`Empreinte de signature : ${input.fingerprint}`, { size: 8, color: COLORS.muted });
  flow.space(10);
  flow.text(`Pour ${organisation.name} : ${organisation.signatoryName}, ${organisation.signatoryTitle}`, { size: 10 });
  flow.space(8);
  flow.text(ndaMention(organisation), { size: 7, color: COLORS.muted });
  if (organisation.documentMentions) flow.text(organisation.documentMentions, { size: 7, color: COLORS.muted });
}

export type RenderedCertificates = { documents: Uint8Array[]; combined: Uint8Array };

const titleOf = (input: CertificatePdfInput) => printable(`${CERTIFICATE_KIND_LABELS[input.kind]} ${input.number} — ${input.learnerName}`);

/** A whole session: one PDF per certificate, plus one combined PDF for printing. */
export async function renderCertificates(inputs: readonly CertificatePdfInput[], now = new Date()): Promise<RenderedCertificates> {
  if (inputs.length === 0) throw new RangeError("No certificate to render.");
  const flow = await PdfFlow.create({ title: inputs.length === 1 ? titleOf(inputs[0]!) : "Certificats", author: inputs[0]!.organisation.name, now });
  const ranges: number[][] = [];
  const logos = new Map<Uint8Array, PDFImage | null>();
  for (const [i, input] of inputs.entries()) {
    if (i > 0) flow.newPage();
    const first = flow.doc.getPageCount() - 1;
    drawCertificate(flow, input, input.logo ? await embedLogo(flow, input.logo, logos) : null);
    ranges.push(Array.from({ length: flow.doc.getPageCount() - first }, (_, k) => first + k));
  }
  const combined = await flow.doc.save({ useObjectStreams: false });
  if (inputs.length === 1) return { documents: [combined], combined };
  const documents: Uint8Array[] = [];
  for (const [i, input] of inputs.entries()) {
    const doc = await PDFDocument.create();
    doc.setTitle(titleOf(input), { showInWindowTitleBar: true });
    doc.setAuthor(input.organisation.name);
    doc.setCreator("Maillon");
    doc.setLanguage("fr-FR");
    doc.setCreationDate(now);
    doc.setModificationDate(now);
    for (const page of await doc.copyPages(flow.doc, ranges[i]!)) doc.addPage(page);
    documents.push(await doc.save({ useObjectStreams: false }));
  }
  return { documents, combined };
}

/** One certificate's PDF. */
export async function renderCertificate(input: CertificatePdfInput, now = new Date()): Promise<Uint8Array> {
  return (await renderCertificates([input], now)).combined;
}
