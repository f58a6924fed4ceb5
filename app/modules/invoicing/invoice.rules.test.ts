import { describe, expect, it } from "vitest";
import {
  RECOVERY_INDEMNITY,
  VAT_EXEMPTION,
  buildCreditNoteSnapshot,
  buildInvoiceSnapshot,
  buyerOf,
  canReadInvoice,
  creditNoteRefusal,
  documentNumber,
  invoiceState,
  legalMentions,
  parisYear,
  salesCsvRows,
  totalsOf,
  type EnrolmentToInvoice,
  type Seller,
} from "./invoice.rules";

const seller: Seller = { name: "Association Maillon", legalForm: "Association loi 1901", street: "12 rue de la Solidarité", postalCode: "75011", city: "Paris", siret: "79012345900014", nda: "11755555575", ndaRegion: "Île-de-France", email: "formation@maillon.fr", phone: "01 23 45 67 89", documentMentions: "" };
const structure = { name: "CCAS de Roubaix", type: "CCAS" as const, address: "5 rue du Collège", postcode: "59100", city: "Roubaix", siret: "21590512400012", publicServiceCode: null };
const enrolment = (over: Partial<EnrolmentToInvoice> = {}): EnrolmentToInvoice => ({
  id: "enr1",
  funding: "STRUCTURE",
  amountCents: 35_000,
  engagementNumber: null,
  learner: { name: "Anaïs Nguyễn-Bérard", email: "anais@exemple.fr" },
  structure,
  moduleTitle: "Pratiques d'accompagnement vers le numérique",
  sessionDates: "du 2 au 3 mars 2026",
  hours: "14 h",
  ...over,
});

describe("numbering", () => {
  it("writes series, year and a five-digit sequence", () => {
    expect(documentNumber("F", 2026, 42)).toBe("F-2026-00042");
    expect(documentNumber("A", 2026, 7)).toBe("A-2026-00007");
    expect(documentNumber("F", 2026, 123456)).toBe("F-2026-123456");
    expect(() => documentNumber("F", 2026, 0)).toThrow();
  });

  it("takes the year of the issue date in Paris, not in UTC", () => {
    expect(parisYear(new Date("2026-12-31T22:59:59Z"))).toBe(2026);
    expect(parisYear(new Date("2026-12-31T23:00:00Z"))).toBe(2027);
    expect(parisYear(new Date("2027-01-01T00:30:00+01:00"))).toBe(2027);
  });
});

describe("mentions", () => {
  it("bills the structure (with its SIRET) for structure and OPCO fundings, the learner (no SIRET) for a card", () => {
    expect(buyerOf(enrolment())).toMatchObject({ kind: "STRUCTURE", name: "CCAS de Roubaix", siret: "21590512400012", professional: true, public: true });
    expect(buyerOf(enrolment({ funding: "OPCO" }))).toMatchObject({ kind: "STRUCTURE" });
    expect(buyerOf(enrolment({ funding: "CARD" }))).toMatchObject({ kind: "INDIVIDUAL", name: "Anaïs Nguyễn-Bérard", siret: null, professional: false });
    expect(buyerOf(enrolment({ structure: { ...structure, type: "ASSOCIATION" } }))).toMatchObject({ public: false, serviceCode: null });
  });

  it("prints the service code and engagement number of a public buyer when given", () => {
    const buyer = buyerOf(enrolment({ engagementNumber: "EJ-2026-118", structure: { ...structure, publicServiceCode: "SERV-FORMATION" } }));
    expect(buyer).toMatchObject({ public: true, serviceCode: "SERV-FORMATION", engagementNumber: "EJ-2026-118" });
  });

  it("states the VAT exemption always, the 40 € indemnity for professionals only, and no payment terms on a credit note", () => {
    const pro = legalMentions({ buyer: { professional: true }, paid: false, kind: "INVOICE" });
    expect(pro[0]).toBe(VAT_EXEMPTION);
    expect(pro).toContain(RECOVERY_INDEMNITY);
    expect(pro.join(" ")).toMatch(/taux d'intérêt légal majoré de 10 points/);
    expect(pro.join(" ")).toMatch(/30 jours/);
    const person = legalMentions({ buyer: { professional: false }, paid: true, kind: "INVOICE" });
    expect(person).not.toContain(RECOVERY_INDEMNITY);
    expect(person.join(" ")).toMatch(/acquittée/);
    expect(legalMentions({ buyer: { professional: true }, paid: false, kind: "CREDIT_NOTE" })).toEqual([VAT_EXEMPTION]);
  });
});

describe("totals and documents", () => {
  it("adds the lines, VAT at each line's rate", () => {
    expect(totalsOf([{ label: "a", quantity: 1, unitHtCents: 35_000, vatRatePercent: 0, totalHtCents: 35_000 }])).toEqual({ htCents: 35_000, vatCents: 0, ttcCents: 35_000 });
    expect(totalsOf([{ label: "a", quantity: 1, unitHtCents: 1_000, vatRatePercent: 20, totalHtCents: 1_000 }, { label: "b", quantity: 2, unitHtCents: 50, vatRatePercent: 0, totalHtCents: 100 }])).toEqual({ htCents: 1_100, vatCents: 200, ttcCents: 1_300 });
  });

  it("gives a structure 30 days and a card buyer an invoice paid on the day", () => {
    const issuedAt = new Date("2026-03-02T09:00:00Z");
    const invoice = buildInvoiceSnapshot({ enrolment: enrolment(), seller, number: "F-2026-00001", issuedAt, paid: false });
    expect(invoice.dueAt).toBe("2026-04-01T09:00:00.000Z");
    expect(invoice.paidAt).toBeNull();
    expect(invoice.lines[0]).toMatchObject({ quantity: 1, unitHtCents: 35_000, vatRatePercent: 0 });
    const card = buildInvoiceSnapshot({ enrolment: enrolment({ funding: "CARD" }), seller, number: "F-2026-00002", issuedAt, paid: true });
    expect(card.dueAt).toBe(issuedAt.toISOString());
    expect(card.paidAt).toBe(issuedAt.toISOString());
  });

  it("points a credit note to its invoice", () => {
    const invoice = buildInvoiceSnapshot({ enrolment: enrolment(), seller, number: "F-2026-00001", issuedAt: new Date("2026-03-02T09:00:00Z"), paid: false });
    const note = buildCreditNoteSnapshot({ invoice, seller, number: "A-2026-00001", issuedAt: new Date("2026-03-05T09:00:00Z"), amountCents: 17_500, reason: "remboursement partiel" });
    expect(note).toMatchObject({ kind: "CREDIT_NOTE", number: "A-2026-00001", credits: { number: "F-2026-00001" }, totals: { ttcCents: 17_500 }, buyer: invoice.buyer, reason: "remboursement partiel" });
  });

  it("refuses a credit note larger than what is left, in French", () => {
    const base = { invoiceNumber: "F-2026-00001", invoiceTtcCents: 35_000 };
    expect(creditNoteRefusal({ ...base, creditedCents: 0, amountCents: 35_000 })).toBeNull();
    expect(creditNoteRefusal({ ...base, creditedCents: 17_500, amountCents: 17_500 })).toBeNull();
    expect(creditNoteRefusal({ ...base, creditedCents: 17_500, amountCents: 17_501 })).toMatch(/^L'avoir \(175,01\s€\) dépasse ce qui reste à créditer sur la facture F-2026-00001 \(175,00\s€\)\.$/);
    expect(creditNoteRefusal({ ...base, creditedCents: 35_000, amountCents: 1 })).toBe("La facture F-2026-00001 est déjà entièrement créditée.");
    expect(creditNoteRefusal({ ...base, creditedCents: 0, amountCents: 0 })).toMatch(/supérieur à zéro/);
  });

  it("tells where an invoice stands", () => {
    const now = new Date("2026-05-01T00:00:00Z");
    const due = (iso: string) => ({ totalTtcCents: 100, creditedCents: 0, paidAt: null, dueAt: new Date(iso) });
    expect(invoiceState(due("2026-04-30T00:00:00Z"), now)).toBe("OVERDUE");
    expect(invoiceState(due("2026-05-02T00:00:00Z"), now)).toBe("UNPAID");
    expect(invoiceState({ ...due("2026-04-30T00:00:00Z"), paidAt: now }, now)).toBe("PAID");
    expect(invoiceState({ ...due("2026-04-30T00:00:00Z"), creditedCents: 100 }, now)).toBe("CREDITED");
  });
});

describe("who reads an invoice", () => {
  const invoice = { buyerUserId: null, buyerStructureId: "s1" };
  const person = (over: object) => ({ id: "u1", roles: ["LEARNER" as const], memberships: [], ...over });
  it.each([
    ["nobody logged in", null, false],
    ["staff", person({ roles: ["ADMIN"] }), true],
    ["a referent of the structure billed", person({ memberships: [{ structureId: "s1", role: "REFERENT", relayStatus: null }] }), true],
    ["a mere member of it", person({ memberships: [{ structureId: "s1", role: "MEMBER", relayStatus: null }] }), false],
    ["a referent of another structure", person({ memberships: [{ structureId: "s2", role: "REFERENT", relayStatus: null }] }), false],
    ["a trainer", person({ roles: ["TRAINER"] }), false],
  ])("%s: %s", (_label, actor, allowed) => {
    expect(canReadInvoice(actor as never, invoice)).toBe(allowed);
  });
  it("lets the individual billed read theirs, and only them", () => {
    expect(canReadInvoice(person({}) as never, { buyerUserId: "u1", buyerStructureId: null })).toBe(true);
    expect(canReadInvoice(person({ id: "u2" }) as never, { buyerUserId: "u1", buyerStructureId: null })).toBe(false);
  });
});

describe("the accountant's CSV", () => {
  it("has one line per document, credit notes negative, with funder and payment date", () => {
    const rows = salesCsvRows([
      { number: "F-2026-00001", kind: "INVOICE", issuedAt: new Date("2026-03-02T09:00:00Z"), buyerName: "CCAS de Roubaix", funding: "OPCO", totalHtCents: 35_000, vatCents: 0, totalTtcCents: 35_000, paidAt: new Date("2026-03-20T09:00:00Z"), credits: null },
      { number: "A-2026-00001", kind: "CREDIT_NOTE", issuedAt: new Date("2026-03-25T09:00:00Z"), buyerName: "CCAS de Roubaix", funding: "OPCO", totalHtCents: 17_500, vatCents: 0, totalTtcCents: 17_500, paidAt: null, credits: "F-2026-00001" },
    ]);
    expect(rows[0]).toEqual(["Numéro", "Type", "Date", "Client", "Financeur", "Montant HT", "TVA", "Montant TTC", "Date de paiement", "Facture créditée"]);
    expect(rows[1]).toEqual(["F-2026-00001", "Facture", "2026-03-02", "CCAS de Roubaix", "OPCO", "350,00", "0,00", "350,00", "2026-03-20", ""]);
    expect(rows[2]).toEqual(["A-2026-00001", "Avoir", "2026-03-25", "CCAS de Roubaix", "OPCO", "-175,00", "0,00", "-175,00", "", "F-2026-00001"]);
  });
});
