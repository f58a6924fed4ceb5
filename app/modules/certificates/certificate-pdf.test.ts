import { inflateSync } from "node:zlib";
import { PDFDocument, PDFRawStream, PDFArray, PDFName } from "pdf-lib";
import QRCode from "qrcode";
import { describe, expect, it } from "vitest";
import { readPdf } from "../../../tests/support/pdf-text";
import { DEMO_IDENTITY } from "~/modules/organisation/identity.rules";
import { QR_TAG, renderCertificate, renderCertificates, type CertificatePdfInput } from "./certificate-pdf.server";

const base: CertificatePdfInput = {
  kind: "COMPLETION",
  number: "MAI-2026-000123",
  verificationUrl: "https://maillon.localhost/certificats/verifier/7KQH-2M9X-PD4R-W0ZB",
  learnerName: "Nguyễn Thị Minh Khai",
  moduleTitle: Array.from({ length: 12 }, (_, i) => `Accompagner les publics éloignés du numérique, étape ${i + 1}`).join(" "),
  startsOn: new Date("2026-03-02T08:00:00Z"),
  endsOn: new Date("2026-03-03T16:00:00Z"),
  place: "Paris 11e",
  plannedMinutes: 840,
  attendedMinutes: 780,
  objectives: ["Repérer les difficultés numériques", "Orienter vers une structure relais"],
  objectivesReached: true,
  trainerName: "Łucja Kowalska",
  issuedAt: new Date("2026-03-04T09:00:00Z"),
  expiresAt: new Date("2028-03-03T23:00:00Z"),
  fingerprint: "ed25519:3f9a…c21b",
  organisation: DEMO_IDENTITY,
};

/** The QR matrix as drawn: rectangles inside the QR marked content, back to modules. */
async function drawnMatrix(pdf: Uint8Array, size: number): Promise<boolean[][]> {
  const doc = await PDFDocument.load(pdf);
  const page = doc.getPage(0);
  let contents = page.node.get(PDFName.of("Contents"));
  contents = doc.context.lookup(contents);
  const streams = contents instanceof PDFArray ? contents.asArray().map((r) => doc.context.lookup(r)) : [contents];
  const text = streams.map((s) => inflateSync((s as PDFRawStream).contents).toString("latin1")).join("\n");
  const block = text.slice(text.indexOf(`/${QR_TAG} BMC`), text.indexOf("EMC", text.indexOf(`/${QR_TAG} BMC`)));
  const rects = [...block.matchAll(/(-?[\d.]+) (-?[\d.]+) ([\d.]+) ([\d.]+) re/g)].map((m) => m.slice(1, 5).map(Number) as [number, number, number, number]);
  const m = Math.min(...rects.map((r) => r[3]));
  const x0 = Math.min(...rects.map((r) => r[0]));
  const top = Math.max(...rects.map((r) => r[1] + r[3]));
  const matrix = Array.from({ length: size }, () => Array<boolean>(size).fill(false));
  for (const [x, y, w, h] of rects) {
    const row = Math.round((top - y - h) / m);
    for (let c = Math.round((x - x0) / m); c < Math.round((x + w - x0) / m); c++) matrix[row]![c] = true;
  }
  return matrix;
}

describe("certificate PDF", () => {
  it("prints the learner, hours, number, wrapped long title and a QR code of the URL", async () => {
    const pdf = await renderCertificate(base);
    const read = await readPdf(pdf);
    expect(read.pageCount).toBe(1);
    expect(read.text).toContain("Nguyễn Thị Minh Khai");
    expect(read.text).toContain("MAI-2026-000123");
    expect(read.text).toContain("13 h");
    expect(read.text).toContain("14 h");
    expect(read.text).toContain(base.verificationUrl);
    expect(read.text).toContain("étape 12");
    expect(read.text).toContain("Certificat de réalisation");
    const qr = QRCode.create(base.verificationUrl, { errorCorrectionLevel: "M" }).modules;
    const expected = Array.from({ length: qr.size }, (_, r) => Array.from({ length: qr.size }, (_, c) => Boolean(qr.get(r, c))));
    expect(await drawnMatrix(pdf, qr.size)).toEqual(expected);
  });

  it("renders a session: one PDF per certificate and a combined one, any script", async () => {
    const names = ["Ольга Петрова", "Zoë O'Brien", "فاطمة الزهراء"];
    const inputs = names.map((learnerName, i) => ({ ...base, kind: "END_OF_TRAINING" as const, learnerName, number: `MAI-2026-00010${i}`, objectivesReached: i !== 1 }));
    const { documents, combined } = await renderCertificates(inputs);
    expect(documents).toHaveLength(3);
    expect((await readPdf(combined)).pageCount).toBe(3);
    for (const [i, doc] of documents.entries()) {
      const read = await readPdf(doc);
      expect(read.pageCount).toBe(1);
      expect(read.text).toContain(inputs[i]!.number);
      expect(read.text).toContain(i === 1 ? "Objectifs non atteints" : "Objectifs atteints");
      expect(read.text).toContain("Repérer les difficultés numériques");
      if (i < 2) expect(read.text).toContain(names[i]);
      for (const other of inputs.filter((_, j) => j !== i)) expect(read.text).not.toContain(other.number);
    }
    // Arabic is shaped (presentation forms) and drawn right to left: read back, it is the name again.
    const arabic = (await readPdf(documents[2]!)).pages[0]!.find((run) => /[\u0600-\u06FF\uFB50-\uFDFF\uFE70-\uFEFF]/.test(run));
    expect(arabic?.normalize("NFKC")).toBe(names[2]);
  });

  it("prints Chinese, Japanese and Korean names exactly, with a long title in mixed scripts", async () => {
    const names = ["王秀英", "佐藤 花子", "김민준", "Anna 李小龍-Kowalska"];
    const moduleTitle = `Inclusion numérique 数字包容与无障碍服务 ${"デジタル包摂の実践 디지털 포용 ".repeat(6)}fin`;
    const inputs = names.map((learnerName, i) => ({ ...base, learnerName, moduleTitle, trainerName: "鈴木 一郎", number: `MAI-2026-00020${i}` }));
    const { documents } = await renderCertificates(inputs);
    const squeezed = (text: string) => text.replace(/\s+/g, "");
    for (const [i, doc] of documents.entries()) {
      const read = await readPdf(doc);
      const runs = read.pages[0]!;
      expect(read.pageCount).toBe(1);
      expect(read.text).not.toContain("?");
      // A name in one script is one run; a mixed one is a run per font, in order.
      if (i < 3) expect(runs).toContain(names[i]);
      else expect(runs.slice(runs.indexOf("李小龍") - 1, runs.indexOf("李小龍") + 2).map((r) => r.trim())).toEqual(["Anna", "李小龍", "-Kowalska"]);
      expect(runs).toContain("鈴木 一郎");
      expect(squeezed(runs.join(""))).toContain(squeezed(moduleTitle));
      expect(read.info.Title).toContain(names[i]);
    }
  });

  it("copies the verification URL as printed (no ﬁ ligature) and makes it a link to that URL", async () => {
    // "certificats/verifier" holds two "fi": with ligatures on, the copied URL gave a 404.
    const { documents, combined } = await renderCertificates([base, { ...base, number: "MAI-2026-000124", verificationUrl: `${base.verificationUrl}-B` }]);
    for (const [i, pdf] of [combined, ...documents].entries()) {
      const read = await readPdf(pdf, { asCopied: true });
      const url = i === 2 ? `${base.verificationUrl}-B` : base.verificationUrl;
      expect(read.text).not.toContain("\uFB01");
      expect(read.text).toContain(`Vérification : ${url}`);
      expect(read.text).toContain("Nous certifions que");
      expect(read.links[0]).toHaveLength(1);
      expect(read.links[0]![0]!.url).toBe(url);
      const [x1, y1, x2, y2] = read.links[0]![0]!.rect as [number, number, number, number];
      // Over the URL only, on the page, one line high.
      expect(x1).toBeGreaterThan(42 + 40);
      expect(x2 - x1).toBeGreaterThan(200);
      expect(x2).toBeLessThan(595.28 - 42 + 1);
      expect(y2 - y1).toBeCloseTo(9 * 1.3, 1);
    }
  });

  it("prints a name with an emoji as typed, never a '?'", async () => {
    const read = await readPdf(await renderCertificate({ ...base, learnerName: "Zoé 🌻", trainerName: "Léa ❤️ 👍🏽" }));
    expect(read.pages[0]!.join(" ")).toContain("Zoé 🌻");
    expect(read.pages[0]!.join(" ")).toContain("Léa ❤ 👍🏽");
    expect(read.text).not.toContain("?");
  });

  it("breaks a 200-character name between words or after a hyphen, never inside a word", async () => {
    const learnerName = "Marie-Christine-Antoinette-Bernadette-Geneviève-Joséphine de La Rochefoucauld-Montmorency-Laval-Saint-Exupéry-Beauharnais Zoé d’Alembert Nguyễn Thị Minh Khai Łucja Żółć-Kowalska Fiorella Ortega Moreno";
    expect(learnerName).toHaveLength(200);
    const runs = (await readPdf(await renderCertificate({ ...base, learnerName }))).pages[0]!;
    const lines = runs.slice(runs.indexOf("Nous certifions que") + 1, runs.indexOf("a suivi l'action de formation")).map((l) => l.trim());
    expect(lines.length).toBeGreaterThan(2);
    let at = 0;
    for (const line of lines) {
      expect(learnerName.startsWith(line, at)).toBe(true);
      at += line.length;
      if (at < learnerName.length) {
        expect(learnerName[at] === " " || line.endsWith("-"), `break after "${line}"`).toBe(true);
        if (learnerName[at] === " ") at += 1;
      }
    }
    expect(at).toBe(learnerName.length);
  });

  it("draws the organisation's logo above its name, once per document, and none without one", async () => {
    // A 1×1 PNG.
    const png = Uint8Array.from(Buffer.from("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==", "base64"));
    const images = (pdf: Uint8Array) => Buffer.from(pdf).toString("latin1").match(/\/Subtype \/Image/g)?.length ?? 0;
    const withLogo = { ...base, logo: { bytes: png, type: "image/png" as const } };
    // A PNG with transparency is an image and its soft mask: count what one logo makes.
    const once = images(await renderCertificate(withLogo));
    expect(once).toBeGreaterThan(0);
    const { combined, documents } = await renderCertificates([withLogo, { ...withLogo, number: "MAI-2026-000124" }]);
    expect(images(combined)).toBe(once);
    for (const doc of documents) expect(images(doc)).toBe(once);
    expect(images(await renderCertificate(base))).toBe(0);
    // Bytes that do not decode print no logo rather than no certificate.
    expect(images(await renderCertificate({ ...base, logo: { bytes: Uint8Array.from([0x89, 0x50, 0x4e, 0x47]), type: "image/png" } }))).toBe(0);
  });
});
