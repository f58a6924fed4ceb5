/**
 * Attendance pages through the real server over HTTP (built app, database per
 * TEST_DATABASE): who may open the trainer's sheet, the learner's pages and the staff's
 * correction page; signing without JavaScript (typed name, code, QR token) and every
 * refusal with its message; marking, countersigning and locking; the correction's audit
 * row; the sheet PDF read back; the dashboard's flags.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { readPdf } from "../support/pdf-text";
import { signatureDataUrl } from "../support/png";
import { createEnrolment, createModule, createSession, createUser, FACTORY_PASSWORD } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { currentSlotCode } from "../../app/modules/attendance/slot-code.server";

let app: AppServer;
let testDb: Db;
type Who = { id: string; name: string; email: string; cookie: string };
const people = {} as Record<"khai" | "olga" | "lukasz" | "outsider" | "trainer" | "otherTrainer" | "admin", Who>;
const enrolmentOf = {} as Record<"khai" | "olga" | "lukasz", string>;
let sessionId = "";
let openSlot = "";
let endingSlot = "";
let futureSlot = "";
const MODULE_TITLE = "Pratiques d'accompagnement vers le numérique";

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}
const get = (path: string, cookie?: string) => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookie ? { Cookie: cookie } : {} });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/\s+/g, " ");
const minutesFromNow = (n: number) => new Date(Date.now() + n * 60_000);
const sheetPath = (slotId: string) => `/formateur/sessions/${sessionId}/emargement/${slotId}`;

beforeAll(async () => {
  const url = testDatabaseUrl("attendance_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const make = async (key: keyof typeof people, name: string, role: "LEARNER" | "TRAINER" | "ADMIN" = "LEARNER") => {
    const u = await createUser(testDb, { name, roles: [role] });
    people[key] = { id: u.id, name: u.name, email: u.email, cookie: await login(u.email) };
  };
  await make("khai", "Nguyễn Thị Minh Khai");
  await make("olga", "Ольга Петрова");
  await make("lukasz", "Łukasz Żółć");
  await make("outsider", "Zoë O'Brien-Dupont");
  await make("trainer", "Amélie Rousseau-Lefèvre", "TRAINER");
  await make("otherTrainer", "Karim Benali", "TRAINER");
  await make("admin", "Sophie Martin", "ADMIN");
  const module = await createModule(testDb, { title: MODULE_TITLE });
  const session = await createSession(testDb, {
    moduleId: module.id,
    trainerId: people.trainer.id,
    slots: [
      { startsAt: minutesFromNow(-200), endsAt: minutesFromNow(10) },
      { startsAt: minutesFromNow(-20), endsAt: minutesFromNow(180) },
      { startsAt: minutesFromNow(24 * 60), endsAt: minutesFromNow(24 * 60 + 180) },
    ],
  });
  sessionId = session.id;
  [endingSlot, openSlot, futureSlot] = session.slots.map((s) => s.id) as [string, string, string];
  for (const key of ["khai", "olga", "lukasz"] as const) {
    enrolmentOf[key] = (await createEnrolment(testDb, { sessionId, userId: people[key].id, status: "CONFIRMED" })).id;
  }
  // Seven logins (password hashing) after the server's start: slow on a busy machine.
}, 180_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

describe("who may open which sheet", () => {
  it("the trainer's sheet: anonymous → login, learner and another trainer → 403, the session's trainer and staff → 200", async () => {
    const path = sheetPath(openSlot);
    const anonymous = await get(path);
    expect(anonymous.status).toBe(302);
    expect(anonymous.headers.get("location")).toMatch(/^\/connexion\?redirectTo=/);
    expect((await get(path, people.khai.cookie)).status).toBe(403);
    expect((await get(path, people.otherTrainer.cookie)).status).toBe(403);
    expect((await get(path, people.admin.cookie)).status).toBe(200);
    const res = await get(path, people.trainer.cookie);
    expect(res.status).toBe(200);
    const html = await res.text();
    const text = textOf(html);
    for (const name of ["Nguyễn Thị Minh Khai", "Ольга Петрова", "Łukasz Żółć"]) expect(text).toContain(name);
    expect(text).toContain("Ouverte à la signature");
    const digits = currentSlotCode(openSlot, new Date()).digits;
    const shown = /class="digits"[^>]*>(\d{3}) (\d{3})</.exec(html);
    expect(shown, "the room code is shown").not.toBeNull();
    // The code may have rotated between the page and this line: the previous one is accepted too.
    expect([digits, currentSlotCode(openSlot, new Date(Date.now() - 30_000)).digits]).toContain(`${shown![1]}${shown![2]}`);
    expect(html).toMatch(/<svg[^>]*viewBox/);
    expect((await get(`${sheetPath(openSlot)}?projection`, people.trainer.cookie)).status).toBe(200);
    expect(await (await get(`${sheetPath(openSlot)}?projection`, people.trainer.cookie)).text()).not.toContain('http-equiv="refresh"');
    expect(await (await get(`${sheetPath(openSlot)}?projection=auto`, people.trainer.cookie)).text()).toMatch(/<meta http-equiv="refresh" content="\d+"/);
    expect((await get(`/formateur/sessions/${sessionId}/emargement/nexistepas`, people.trainer.cookie)).status).toBe(404);
  });

  it("the learner's pages: anonymous → login, not enrolled → 403, enrolled → the open sheet", async () => {
    expect((await get(`/emargement/${openSlot}`)).status).toBe(302);
    const outsider = await get(`/emargement/${openSlot}`, people.outsider.cookie);
    expect(outsider.status).toBe(403);
    expect(textOf(await outsider.text())).toContain("Vous n'êtes pas inscrit·e à cette session");
    const list = textOf(await (await get("/emargement", people.khai.cookie)).text());
    expect(list).toContain(MODULE_TITLE);
    expect(textOf(await (await get("/emargement", people.outsider.cookie)).text())).toContain("Aucune feuille n'est ouverte");
  });

  it("the staff's correction page: learner and trainer → 403, staff → 200", async () => {
    const path = `/admin/sessions/${sessionId}/emargement/${openSlot}`;
    expect((await get(path, people.khai.cookie)).status).toBe(403);
    expect((await get(path, people.trainer.cookie)).status).toBe(403);
    expect((await get(path, people.admin.cookie)).status).toBe(200);
  });
});

describe("learners sign without JavaScript", () => {
  it("signs by typed name once; a second signature and someone else's line are refused with a clear message", async () => {
    const signed = await postForm(app, `/emargement/${openSlot}`, { method: "TYPED", typedName: "nguyen thi minh khai" }, { cookie: people.khai.cookie });
    expect(signed.status).toBe(302);
    expect(await testDb.signature.findUniqueOrThrow({ where: { slotId_enrolmentId: { slotId: openSlot, enrolmentId: enrolmentOf.khai } } })).toMatchObject({ method: "TYPED", status: "PRESENT" });

    const twice = await postForm(app, `/emargement/${openSlot}`, { method: "TYPED", typedName: "Nguyễn Thị Minh Khai" }, { cookie: people.khai.cookie });
    expect(twice.status).toBe(400);
    expect(textOf(await twice.text())).toContain("Vous avez déjà signé pour ce créneau");

    const others = await postForm(app, `/emargement/${openSlot}`, { method: "TYPED", enrolmentId: enrolmentOf.olga, typedName: "Nguyễn Thị Minh Khai" }, { cookie: people.khai.cookie });
    expect(others.status).toBe(403);
    expect(textOf(await others.text())).toContain("Vous ne pouvez signer que votre propre ligne");
    expect(await testDb.signature.count({ where: { slotId: openSlot, enrolmentId: enrolmentOf.olga } })).toBe(0);

    const wrongName = await postForm(app, `/emargement/${openSlot}`, { method: "TYPED", typedName: "Olga" }, { cookie: people.olga.cookie });
    expect(wrongName.status).toBe(400);
    const html = await wrongName.text();
    expect(textOf(html)).toContain("Écrivez votre nom tel qu'il figure sur votre compte : Ольга Петрова");
    expect(html).toMatch(/value="Olga"/);
  });

  it("refuses a QR token replayed after it rotated, then signs with the current one", async () => {
    const stale = currentSlotCode(openSlot, new Date(Date.now() - 120_000)).token;
    const replay = await postForm(app, `/emargement/${openSlot}`, { method: "QR", token: stale }, { cookie: people.olga.cookie });
    expect(replay.status).toBe(400);
    expect(textOf(await replay.text())).toContain("Ce code n'est pas valable ou a déjà changé");

    const { token } = currentSlotCode(openSlot, new Date());
    const page = await get(`/emargement/${openSlot}?jeton=${token}`, people.olga.cookie);
    expect(page.status).toBe(200);
    const html = await page.text();
    expect(html).toContain(`name="token" value="${token}"`);
    expect(textOf(html)).toContain("Je signe ma présence");
    const signed = await postForm(app, `/emargement/${openSlot}`, { method: "QR", token }, { cookie: people.olga.cookie });
    expect(signed.status).toBe(302);
    expect(await testDb.signature.findUniqueOrThrow({ where: { slotId_enrolmentId: { slotId: openSlot, enrolmentId: enrolmentOf.olga } } })).toMatchObject({ method: "QR" });
  });

  it("signs with the room's code, refuses another slot's code and a sheet not yet open", async () => {
    const wrong = await postForm(app, `/emargement/${openSlot}`, { method: "CODE", code: currentSlotCode(endingSlot, new Date()).digits }, { cookie: people.lukasz.cookie });
    expect(wrong.status).toBe(400);
    expect(textOf(await wrong.text())).toContain("Ce code n'est pas valable");
    const ok = await postForm(app, `/emargement/${openSlot}`, { method: "CODE", code: currentSlotCode(openSlot, new Date()).digits }, { cookie: people.lukasz.cookie });
    expect(ok.status).toBe(302);
    const future = await postForm(app, `/emargement/${futureSlot}`, { method: "TYPED", typedName: "Łukasz Żółć" }, { cookie: people.lukasz.cookie });
    expect(future.status).toBe(400);
    expect(textOf(await future.text())).toContain("L'émargement de ce créneau n'est pas encore ouvert");
  });
});

describe("the trainer marks, countersigns and locks; staff correct", () => {
  it("refuses a learner's or another trainer's mark, marks late and absent, countersigns, then every change is refused", async () => {
    const path = sheetPath(endingSlot);
    const asLearner = await postForm(app, path, { intent: "mark", enrolmentId: enrolmentOf.olga, status: "ABSENT" }, { cookie: people.khai.cookie });
    expect(asLearner.status).toBe(403);
    expect((await postForm(app, path, { intent: "mark", enrolmentId: enrolmentOf.olga, status: "ABSENT" }, { cookie: people.otherTrainer.cookie })).status).toBe(403);

    const drawn = signatureDataUrl(3);
    expect((await postForm(app, `/emargement/${endingSlot}`, { method: "DRAWN", typedName: "Nguyễn Thị Minh Khai", signature: drawn }, { cookie: people.khai.cookie })).status).toBe(302);
    const noMinutes = await postForm(app, path, { intent: "mark", enrolmentId: enrolmentOf.olga, status: "LATE", minutesLate: "" }, { cookie: people.trainer.cookie });
    expect(noMinutes.status).toBe(400);
    expect(textOf(await noMinutes.text())).toContain("Indiquez de combien de minutes");
    expect((await postForm(app, path, { intent: "mark", enrolmentId: enrolmentOf.olga, status: "LATE", minutesLate: "25" }, { cookie: people.trainer.cookie })).status).toBe(302);
    expect((await postForm(app, path, { intent: "mark", enrolmentId: enrolmentOf.lukasz, status: "ABSENT" }, { cookie: people.trainer.cookie })).status).toBe(302);
    const countersigned = await postForm(app, path, { intent: "countersign", typedName: "Amélie Rousseau-Lefèvre", signature: "" }, { cookie: people.trainer.cookie });
    expect(countersigned.status).toBe(302);
    expect((await testDb.slot.findUniqueOrThrow({ where: { id: endingSlot } })).lockedAt).not.toBeNull();

    const lockedMark = await postForm(app, path, { intent: "mark", enrolmentId: enrolmentOf.lukasz, status: "PRESENT" }, { cookie: people.trainer.cookie });
    expect(lockedMark.status).toBe(400);
    expect(textOf(await lockedMark.text())).toContain("Cette feuille est verrouillée");
    const lockedSign = await postForm(app, `/emargement/${endingSlot}`, { method: "TYPED", typedName: "Łukasz Żółć" }, { cookie: people.lukasz.cookie });
    expect(lockedSign.status).toBe(400);
    expect(textOf(await lockedSign.text())).toContain("Cette feuille d'émargement est verrouillée");
  });

  it("prints the sheet: title, date, hours, trainer, each line with its status and time, the countersignature", async () => {
    const learner = await get(`${sheetPath(endingSlot)}/feuille.pdf`, people.khai.cookie);
    expect(learner.status).toBe(403);
    const res = await get(`${sheetPath(endingSlot)}/feuille.pdf`, people.trainer.cookie);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("application/pdf");
    const bytes = new Uint8Array(await res.arrayBuffer());
    const { text } = await readPdf(bytes);
    const slot = await testDb.slot.findUniqueOrThrow({ where: { id: endingSlot }, include: { signatures: true } });
    const time = (d: Date) => new Intl.DateTimeFormat("fr-FR", { timeZone: "Europe/Paris", hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).format(d);
    for (const expected of [
      "Feuille d'émargement",
      MODULE_TITLE,
      `Horaires : ${time(slot.startsAt)} – ${time(slot.endsAt)}`,
      "Formateur·rice : Amélie Rousseau-Lefèvre",
      "Nguyễn Thị Minh Khai",
      "Ольга Петрова",
      "Łukasz Żółć",
      "En retard (25 min)",
      "Absent·e",
      "signature dessinée",
      time(slot.signatures.find((s) => s.enrolmentId === enrolmentOf.khai)!.signedAt),
      "Contresignature du formateur",
      `contresignée le`,
    ])
      expect(text).toContain(expected);
    // The drawn signature is embedded as an image.
    expect(Buffer.from(bytes).toString("latin1")).toContain("/Subtype /Image");
    expect(res.headers.get("content-disposition")).toMatch(/emargement-pratiques-d-?accompagnement/);
  });

  it("staff correct a locked line with a reason kept in the audit log; without a reason, the error is shown next to the field", async () => {
    const path = `/admin/sessions/${sessionId}/emargement/${endingSlot}`;
    const asTrainer = await postForm(app, path, { enrolmentId: enrolmentOf.lukasz, status: "PRESENT", reason: "Présent, oubli du formateur." }, { cookie: people.trainer.cookie });
    expect(asTrainer.status).toBe(403);
    const noReason = await postForm(app, path, { enrolmentId: enrolmentOf.lukasz, status: "PRESENT", reason: "oubli" }, { cookie: people.admin.cookie });
    expect(noReason.status).toBe(400);
    const html = await noReason.text();
    expect(html).toMatch(new RegExp(`id="reason-${enrolmentOf.lukasz}"[^>]*aria-invalid="true"[^>]*aria-describedby="reason-${enrolmentOf.lukasz}-error"`));
    expect(textOf(html)).toContain("Indiquez la raison de la correction (10 caractères au moins)");

    const reason = "Présent toute la matinée : feuille papier signée, oubli du formateur.";
    expect((await postForm(app, path, { enrolmentId: enrolmentOf.lukasz, status: "PRESENT", reason }, { cookie: people.admin.cookie })).status).toBe(302);
    const audit = await testDb.auditLog.findFirstOrThrow({ where: { entityType: "Slot", entityId: endingSlot } });
    expect(audit).toMatchObject({ actorId: people.admin.id, action: "attendance.corrected", reason });
    expect(audit.data).toMatchObject({ enrolmentId: enrolmentOf.lukasz, before: { status: "ABSENT" }, after: { status: "PRESENT" } });
    const page = textOf(await (await get(path, people.admin.cookie)).text());
    expect(page).toContain(reason);
    expect(page).toContain("Absent·e → Présent·e");
  });
});

describe("the staff dashboard", () => {
  it("lists a sheet with more signatures than seats, linking to it", async () => {
    const module = await createModule(testDb, { title: "Transmission d'ateliers clé en main" });
    const small = await createSession(testDb, { moduleId: module.id, capacity: 1, slots: [{ startsAt: minutesFromNow(-120), endsAt: minutesFromNow(-10) }] });
    const slotId = small.slots[0]!.id;
    for (const key of ["khai", "olga"] as const) {
      const enrolment = await createEnrolment(testDb, { sessionId: small.id, userId: people[key].id, status: "CONFIRMED" });
      await testDb.signature.create({ data: { slotId, enrolmentId: enrolment.id, status: "PRESENT", method: "TYPED", signedAt: minutesFromNow(-100) } });
    }
    const html = await (await get("/admin", people.admin.cookie)).text();
    expect(textOf(html)).toContain("Plus de signatures que de places");
    expect(textOf(html)).toContain("2 signatures pour 1 place");
    expect(html).toContain(`href="/admin/sessions/${small.id}/emargement/${slotId}"`);
  });
});
