/**
 * The whole BPF over HTTP (built app, database per TEST_DATABASE): a hand-computed year of
 * sessions, attendance, invoices and credit notes made by the real invoicing code, a session
 * across New Year, a module without NSF code; staff enter section D and the trainer's status
 * through the pages (French errors next to the fields, nothing stored on a refusal), and the
 * CSV gives each cerfa line its figure.
 */
import { parse } from "csv-parse/sync";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { errorUnder, loginAs, textOf, valueOf } from "../support/html";
import { createEnrolment, createModule, createSession, createStructure, createUser, markAttendance, parisDateTime } from "../factories";
import { configureSqlite, createDb, type Db, type Tx } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { issueCreditNote, issueInvoiceForEnrolment } from "../../app/modules/invoicing/invoicing.server";

const YEAR = 2026;
let app: AppServer;
let testDb: Db;
const cookies = {} as Record<"admin" | "trainer", string>;
const ids = {} as Record<"externalTrainer" | "moduleWithoutNsf", string>;
let moduleWithoutNsfNumber = 0;

const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const login = (email: string) => loginAs(app, email);

const day = (month: number, d: number, year = YEAR) => ({ year, month, day: d });
const halfDays = (days: { year: number; month: number; day: number }[], morningOnly = false) =>
  days.flatMap((d) => [
    { startsAt: parisDateTime(d, "09:00"), endsAt: parisDateTime(d, "12:30") },
    ...(morningOnly ? [] : [{ startsAt: parisDateTime(d, "13:30"), endsAt: parisDateTime(d, "17:00") }]),
  ]);

beforeAll(async () => {
  const url = testDatabaseUrl("bpf_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  process.env.APP_URL = app.url;
  const tx = testDb as unknown as Tx;

  const admin = await createUser(testDb, { roles: ["ADMIN"], name: "Claire Martin" });
  const trainer = await createUser(testDb, { roles: ["TRAINER"], name: "Maëlys Le Goff" });
  const external = await createUser(testDb, { roles: ["TRAINER"], name: "Karim Haddad" });
  ids.externalTrainer = external.id;
  cookies.admin = await login(admin.email);
  cookies.trainer = await login(trainer.email);

  const association = await createStructure(testDb, { type: "ASSOCIATION" });
  const ccas = await createStructure(testDb, { type: "CCAS" });
  const withNsf = await createModule(testDb, { title: "Accompagner les démarches en ligne", priceCents: 24_000, nsfCode: "332" });
  const withoutNsf = await createModule(testDb, { title: "Ateliers clés en main", priceCents: 12_000 });
  ids.moduleWithoutNsf = withoutNsf.id;
  moduleWithoutNsfNumber = withoutNsf.number;

  // Session 1, one day in March (2 × 210 min), by the internal trainer.
  const s1 = await createSession(testDb, { moduleId: withNsf.id, trainerId: trainer.id, slots: halfDays([day(3, 10)]) });
  // Session 2, across New Year (a morning on 30 December, a morning on 5 January), by the external one.
  const s2 = await createSession(testDb, { moduleId: withoutNsf.id, trainerId: external.id, slots: halfDays([day(12, 30), day(1, 5, YEAR + 1)], true) });
  // A cancelled session's half-days count for nobody.
  const cancelled = await createSession(testDb, { moduleId: withNsf.id, trainerId: trainer.id, status: "CANCELLED", slots: halfDays([day(6, 2)]) });

  const enrol = async (session: typeof s1, funding: "STRUCTURE" | "OPCO" | "CARD" | "FREE", structureId: string | null, amountCents: number) =>
    createEnrolment(testDb, { sessionId: session.id, userId: (await createUser(testDb)).id, structureId, funding, amountCents, paymentStatus: funding === "CARD" ? "PAID" : undefined });
  const march = parisDateTime(day(3, 1), "10:00");
  const e1 = await enrol(s1, "STRUCTURE", association.id, 24_000);
  const e2 = await enrol(s1, "OPCO", association.id, 24_000);
  const e3 = await enrol(s1, "CARD", null, 24_000);
  const e4 = await enrol(s1, "STRUCTURE", ccas.id, 24_000);
  const absent = await enrol(s1, "FREE", null, 0);
  const e5 = await enrol(s2, "STRUCTURE", association.id, 12_000);
  const inCancelled = await enrol(cancelled, "STRUCTURE", association.id, 24_000);

  const [m1, a1] = s1.slots;
  for (const e of [e1, e3, e4]) await markAttendance(testDb, { slotId: m1!.id, enrolmentId: e.id });
  for (const e of [e1, e4]) await markAttendance(testDb, { slotId: a1!.id, enrolmentId: e.id });
  await markAttendance(testDb, { slotId: m1!.id, enrolmentId: e2.id });
  await testDb.signature.create({ data: { slotId: a1!.id, enrolmentId: e2.id, status: "LATE", minutesLate: 30, method: "TRAINER", signedAt: a1!.startsAt } });
  for (const slot of s1.slots) await markAttendance(testDb, { slotId: slot.id, enrolmentId: absent.id, status: "ABSENT" });
  for (const slot of s2.slots) await markAttendance(testDb, { slotId: slot.id, enrolmentId: e5.id });
  await markAttendance(testDb, { slotId: cancelled.slots[0]!.id, enrolmentId: inCancelled.id });

  // Invoices as the portal issues them, and credit notes: half of the card payment refunded,
  // a 40 € correction for the CCAS; the New Year session is invoiced in January.
  const invoice = async (e: { id: string }, now: Date, paid = false) => (await issueInvoiceForEnrolment(tx, e.id, { now, paid }))!;
  for (const e of [e1, e2, e4]) await invoice(e, march);
  const card = await invoice(e3, march, true);
  const ccasInvoice = await testDb.invoice.findFirstOrThrow({ where: { enrolmentId: e4.id } });
  expect(await issueCreditNote(tx, card.id, 12_000, "Remboursement partiel.", { now: parisDateTime(day(4, 1), "10:00") })).toMatchObject({ ok: true });
  expect(await issueCreditNote(tx, ccasInvoice.id, 4_000, "Erreur de tarif.", { now: parisDateTime(day(3, 20), "10:00") })).toMatchObject({ ok: true });
  await invoice(e5, parisDateTime(day(1, 5, YEAR + 1), "18:00"));
});

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

const cerfaLines = async () => {
  const res = await get(`/admin/rapports/${YEAR}.csv`, cookies.admin);
  expect(res.status).toBe(200);
  const rows: string[][] = parse(await res.text(), { bom: true, delimiter: ";", relax_column_count: true, skip_empty_lines: true });
  const cerfa = rows.slice(rows.findIndex((r) => r[0] === "Ligne du cerfa 10443") + 1);
  return new Map(cerfa.map((r) => [r[0]!, { count: r[2], hours: r[3], amount: r[4] }]));
};

describe("the BPF's figures from a hand-computed year", () => {
  it("C: invoices of the year net of credit notes, by who paid; the January invoice is not of this year", async () => {
    const lines = await cerfaLines();
    expect(lines.get("C-1")?.amount).toBe("240");
    expect(lines.get("C-2 h")?.amount).toBe("240");
    expect(lines.get("C-3")?.amount).toBe("200");
    expect(lines.get("C-9")?.amount).toBe("120");
    expect(lines.get("C-11")?.amount).toBe("0");
    expect(lines.get("C-12")?.amount).toBe("800");
    expect(lines.get("C part")?.amount).toBe("");
    expect(lines.get("D-1")?.amount).toBe("");
  });

  it("F: trainees by type and speciality, the hours actually attended in the year, no one for a cancelled session", async () => {
    const lines = await cerfaLines();
    const f = (line: string) => [lines.get(line)?.count, lines.get(line)?.hours];
    expect(f("F-1 a")).toEqual(["3", "17"]); // 420 + 390 (30 min late) + 210 (30 December only)
    expect(f("F-1 d")).toEqual(["1", "3,5"]);
    expect(f("F-1 e")).toEqual(["1", "7"]); // the CCAS agent
    expect(f("F-1 total")).toEqual(["5", "27,5"]);
    expect(f("F-3 d")).toEqual(["5", "27,5"]);
    expect(f("F-4 1")).toEqual(["4", "24"]);
    expect(f("F-4 non renseignée")).toEqual(["1", "3,5"]);
    expect(f("F-4 total")).toEqual(["5", "27,5"]);
  });

  it("names the modules without NSF code on the page", async () => {
    const html = textOf(await (await get(`/admin/rapports?annee=${YEAR}`, cookies.admin)).text());
    expect(html).toContain(`Lignes du cerfa 10443 (${YEAR})`);
    expect(html).toMatch(new RegExp(`Code NSF manquant pour le module ${moduleWithoutNsfNumber} \\(Ateliers clés en main\\)`));
  });
});

describe("what staff enter", () => {
  it("E: a trainer becomes external on their page, and the hours they gave in the year move to E-2", async () => {
    let lines = await cerfaLines();
    expect([lines.get("E-1")?.count, lines.get("E-1")?.hours]).toEqual(["2", "10,5"]);
    expect([lines.get("E-2")?.count, lines.get("E-2")?.hours]).toEqual(["0", "0"]);

    const path = `/admin/personnes/${ids.externalTrainer}`;
    const refused = await postForm(app, path, { intent: "trainer-status", trainerStatus: "" }, { cookie: cookies.admin });
    expect(refused.status).toBe(400);
    expect(errorUnder(await refused.text(), "trainerStatus")).toBe("Choisissez si la personne forme pour l'organisme ou comme intervenant·e extérieur·e.");
    expect((await postForm(app, path, { intent: "trainer-status", trainerStatus: "external" }, { cookie: cookies.trainer })).status).toBe(403);
    expect((await testDb.user.findUniqueOrThrow({ where: { id: ids.externalTrainer } })).externalTrainer).toBe(false);

    expect((await postForm(app, path, { intent: "trainer-status", trainerStatus: "external" }, { cookie: cookies.admin })).status).toBe(302);
    lines = await cerfaLines();
    expect([lines.get("E-1")?.count, lines.get("E-1")?.hours]).toEqual(["1", "7"]);
    expect([lines.get("E-2")?.count, lines.get("E-2")?.hours]).toEqual(["1", "3,5"]);
    expect(await testDb.auditLog.count({ where: { entityId: ids.externalTrainer, action: "person.trainerStatusSet" } })).toBe(1);
  });

  const page = `/admin/rapports?annee=${YEAR}`;
  const entry = { annee: String(YEAR), otherIncome: "500", turnover: "2 000", charges: "12 000,50", trainerPay: "8000", boughtTraining: "" };

  it("refuses amounts that are not amounts, and parts larger than the total, next to the field, keeping what was typed", async () => {
    const bad = await postForm(app, page, { ...entry, charges: "douze mille", turnover: "-5" }, { cookie: cookies.admin });
    expect(bad.status).toBe(400);
    expect(bad.headers.get("cache-control")).toContain("no-store");
    const html = await bad.text();
    expect(errorUnder(html, "field-charges")).toBe("Indiquez un montant en euros hors taxes, par exemple 12 500 ou 12 500,50, ou laissez vide.");
    expect(errorUnder(html, "field-turnover")).toBe("Un montant ne peut pas être négatif.");
    expect(valueOf(html, "field-charges")).toBe("douze mille");
    expect(valueOf(html, "field-otherIncome")).toBe("500");

    const over = await postForm(app, page, { ...entry, trainerPay: "13 000" }, { cookie: cookies.admin });
    expect(over.status).toBe(400);
    expect(errorUnder(await over.text(), "field-trainerPay")).toMatch(/ne peuvent pas le dépasser/);
    expect(await testDb.bpfYearEntry.count()).toBe(0);
  });

  it("refuses the entry to anyone but staff", async () => {
    expect((await postForm(app, page, entry, { cookie: cookies.trainer })).status).toBe(403);
    expect((await postForm(app, page, entry)).status).toBe(302); // to the login page
    expect(await testDb.bpfYearEntry.count()).toBe(0);
  });

  it("stores the entry, shows it back in the form, and the CSV carries C-11, the share of training and D", async () => {
    const saved = await postForm(app, page, entry, { cookie: cookies.admin });
    expect(saved.status).toBe(302);
    expect(saved.headers.get("location")).toBe(`/admin/rapports?annee=${YEAR}#bpf-cerfa`);
    const html = await (await get(page, cookies.admin)).text();
    expect(valueOf(html, "field-charges")).toBe("12000,50");
    expect(valueOf(html, "field-boughtTraining")).toBe("");
    const lines = await cerfaLines();
    expect(lines.get("C-11")?.amount).toBe("500");
    expect(lines.get("C-12")?.amount).toBe("1300");
    expect(lines.get("C part")?.amount).toBe("65 %");
    expect(lines.get("D-1")?.amount).toBe("12000,5");
    expect(lines.get("D-2")?.amount).toBe("8000");
    expect(lines.get("D-3")?.amount).toBe("");
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { action: "bpf.entry_saved", entityId: String(YEAR) } });
    expect(audit.data).toMatchObject({ before: null, after: { chargesCents: 1_200_050, otherIncomeCents: 50_000 } });
  });
});
