/**
 * Relais Numériques through the real server over HTTP (built app, database per
 * TEST_DATABASE): the authorization matrix of every relay route (owner, member of another
 * relay, other roles, anonymous), bad input on the application form, the directory and its
 * open-data export, and the convention PDF accepted online.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, startAppServer, type AppServer } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";
import { readPdf } from "../support/pdf-text";
import { createCertificate, createEnrolment, createMembership, createModule, createSession, createStructure, createUser, FACTORY_PASSWORD, randomSiret } from "../factories";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

let app: AppServer;
let testDb: Db;
const ACTORS = ["anonymous", "applicant", "referentA", "memberA", "referentB", "learner", "admin"] as const;
type ActorName = (typeof ACTORS)[number];
const cookies = {} as Record<ActorName, string | undefined>;
const ids = {} as Record<"relayA" | "structureA" | "structureB" | "submitted" | "draft", string>;

async function login(email: string): Promise<string> {
  const res = await postForm(app, "/connexion", { email, password: FACTORY_PASSWORD });
  expect(res.status, `login of ${email}`).toBe(302);
  return res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))!.split(";")[0]!;
}
const get = (path: string, who: ActorName = "anonymous") => fetch(`${app.url}${path}`, { redirect: "manual", headers: cookies[who] ? { Cookie: cookies[who]! } : {} });
const post = (path: string, fields: Record<string, string>, who: ActorName) => postForm(app, path, fields, { cookie: cookies[who] });
const textOf = (html: string) => html.replace(/<[^>]+>/g, " ").replace(/&#x27;|&#39;/g, "'").replace(/&quot;/g, '"').replace(/&amp;/g, "&").replace(/\s+/g, " ");

beforeAll(async () => {
  const url = testDatabaseUrl("relays_http");
  app = await startAppServer({ databaseUrl: url });
  testDb = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(testDb);
  const module = await createModule(testDb, { title: "Sensibilisation et compréhension de l'inclusion numérique" });
  const users = {} as Record<Exclude<ActorName, "anonymous">, { id: string; email: string }>;
  for (const name of ACTORS) {
    if (name === "anonymous") continue;
    users[name] = await createUser(testDb, { roles: name === "admin" ? ["ADMIN"] : ["LEARNER"], name: name === "referentA" ? "Zoé Ngọc-Anh Đặng" : undefined });
    cookies[name] = await login(users[name].email);
  }
  const structureA = await createStructure(testDb, { name: "CCAS de Vénissieux", postcode: "69200", city: "Vénissieux" });
  const structureB = await createStructure(testDb, { name: "CHRS L'Escale du Vieux-Lille", type: "CHRS", postcode: "59800", city: "Lille" });
  ids.structureA = structureA.id;
  ids.structureB = structureB.id;
  const relayA = await testDb.relay.create({
    data: { structureId: structureA.id, requiredModuleId: module.id, status: "ACTIVE", services: "Aide aux démarches administratives|Loisirs et créations numériques", openingHours: "Mo 09:00-12:00" },
  });
  ids.relayA = relayA.id;
  await testDb.relay.create({ data: { structureId: structureB.id, requiredModuleId: module.id, status: "PENDING_CERTIFICATION" } });
  await createMembership(testDb, { userId: users.referentA.id, structureId: structureA.id, role: "REFERENT" });
  await createMembership(testDb, { userId: users.memberA.id, structureId: structureA.id, role: "MEMBER" });
  // Relay A is active: one of its staff holds the required certificate (its status is re-checked when shown).
  const certifyingSession = await createSession(testDb, { moduleId: module.id });
  const certifyingEnrolment = await createEnrolment(testDb, { sessionId: certifyingSession.id, userId: users.memberA.id, structureId: structureA.id, status: "CONFIRMED" });
  await testDb.$transaction((tx) => createCertificate(tx as unknown as Db, { enrolmentId: certifyingEnrolment.id }));
  await createMembership(testDb, { userId: users.referentB.id, structureId: structureB.id, role: "REFERENT" });
  const base = { applicantId: users.applicant.id, structureName: "Association Passerelles", structureType: "ASSOCIATION" as const, city: "Marseille", postcode: "13001" };
  ids.submitted = (await testDb.relayApplication.create({ data: { ...base, status: "SUBMITTED", siret: randomSiret(), submittedAt: new Date() } })).id;
  ids.draft = (await testDb.relayApplication.create({ data: { ...base, status: "DRAFT" } })).id;
  // Six logins (password hashing) and a server start: slow on a busy machine.
}, 180_000);

afterAll(async () => {
  await testDb?.$disconnect();
  await app?.stop();
});

/** What each actor gets: a status, or "login" for a redirect to the login page. */
type Outcome = number | "login";
async function outcome(res: Response): Promise<Outcome> {
  if (res.status === 302 && (res.headers.get("location") ?? "").startsWith("/connexion")) return "login";
  return res.status;
}

describe("authorization matrix of every relay route", () => {
  const routes: { name: string; request: (who: ActorName) => Promise<Response>; expected: Record<ActorName, Outcome> }[] = [
    { name: "GET /relais", request: (w) => get("/relais", w), expected: { anonymous: 200, applicant: 200, referentA: 200, memberA: 200, referentB: 200, learner: 200, admin: 200 } },
    { name: "GET /relais/donnees.csv", request: (w) => get("/relais/donnees.csv", w), expected: { anonymous: 200, applicant: 200, referentA: 200, memberA: 200, referentB: 200, learner: 200, admin: 200 } },
    { name: "GET /relais/donnees.json", request: (w) => get("/relais/donnees.json", w), expected: { anonymous: 200, applicant: 200, referentA: 200, memberA: 200, referentB: 200, learner: 200, admin: 200 } },
    { name: "GET /relais/candidature", request: (w) => get("/relais/candidature", w), expected: { anonymous: "login", applicant: 200, referentA: 200, memberA: 200, referentB: 200, learner: 200, admin: 200 } },
    {
      name: "GET /relais/candidature/:id",
      request: (w) => get(`/relais/candidature/${ids.submitted}`, w),
      expected: { anonymous: "login", applicant: 200, referentA: 403, memberA: 403, referentB: 403, learner: 403, admin: 200 },
    },
    {
      name: "POST /relais/candidature/:id (save a step of a draft)",
      request: (w) => post(`/relais/candidature/${ids.draft}`, { intent: "save", step: "3", publicsServed: "Familles", peoplePerMonth: "20", staffToTrain: "1" }, w),
      expected: { anonymous: "login", applicant: 302, referentA: 403, memberA: 403, referentB: 403, learner: 403, admin: 403 },
    },
    {
      name: "POST /relais/candidature/:id (message)",
      request: (w) => post(`/relais/candidature/${ids.submitted}`, { intent: "message", body: "Une question sur la charte." }, w),
      expected: { anonymous: "login", applicant: 302, referentA: 403, memberA: 403, referentB: 403, learner: 403, admin: 302 },
    },
    { name: "GET /admin/relais", request: (w) => get("/admin/relais", w), expected: { anonymous: "login", applicant: 403, referentA: 403, memberA: 403, referentB: 403, learner: 403, admin: 200 } },
    {
      name: "GET /admin/relais/:id",
      request: (w) => get(`/admin/relais/${ids.submitted}`, w),
      expected: { anonymous: "login", applicant: 403, referentA: 403, memberA: 403, referentB: 403, learner: 403, admin: 200 },
    },
    {
      name: "POST /admin/relais/:id (request changes)",
      request: (w) => post(`/admin/relais/${ids.submitted}`, { intent: "requestChanges", reason: "x" }, w),
      // Staff get 400 here: the reason is too short (the change itself is tested below).
      expected: { anonymous: "login", applicant: 403, referentA: 403, memberA: 403, referentB: 403, learner: 403, admin: 400 },
    },
    {
      name: "GET /espace-relais?structure=A",
      request: (w) => get(`/espace-relais?structure=${ids.structureA}`, w),
      expected: { anonymous: "login", applicant: 403, referentA: 200, memberA: 200, referentB: 403, learner: 403, admin: 403 },
    },
    {
      name: "GET /espace-relais/convention.pdf?structure=A",
      request: (w) => get(`/espace-relais/convention.pdf?structure=${ids.structureA}`, w),
      expected: { anonymous: "login", applicant: 403, referentA: 200, memberA: 200, referentB: 403, learner: 403, admin: 403 },
    },
    {
      name: "POST /espace-relais (relay details of A)",
      request: (w) => post("/espace-relais", { intent: "details", structureId: ids.structureA, description: "Accueil sans rendez-vous", services: "Aide aux démarches administratives", hours_Mo: "9h-12h" }, w),
      expected: { anonymous: "login", applicant: 403, referentA: 302, memberA: 403, referentB: 403, learner: 403, admin: 403 },
    },
    {
      name: "POST /espace-relais (invite into A)",
      request: (w) => post("/espace-relais", { intent: "invite", structureId: ids.structureA, email: `collegue.${w}@exemple.test`, role: "MEMBER" }, w),
      expected: { anonymous: "login", applicant: 403, referentA: 302, memberA: 403, referentB: 403, learner: 403, admin: 403 },
    },
    {
      name: "POST /espace-relais (act for A)",
      request: (w) => post("/espace-relais", { intent: "act", structureId: ids.structureA }, w),
      expected: { anonymous: "login", applicant: 403, referentA: 302, memberA: 302, referentB: 403, learner: 403, admin: 403 },
    },
  ];

  it.each(routes.flatMap((r) => ACTORS.map((who) => [r.name, who, r.expected[who], r] as const)))("%s as %s → %s", async (_name, who, expected, route) => {
    expect(await outcome(await route.request(who))).toBe(expected);
  });

  it("shows a logged-in person outside any relay how to apply, without any relay's data", async () => {
    const res = await get("/espace-relais", "learner");
    expect(res.status).toBe(200);
    const text = textOf(await res.text());
    expect(text).toContain("Vous ne faites partie d'aucun Relais Numérique.");
    expect(text).not.toContain("CCAS de Vénissieux");
  });
});

describe("a person in two relays", () => {
  it("chooses which relay they act for, remembered for this login", async () => {
    const user = await createUser(testDb, { name: "Thomas N'Diaye" });
    await createMembership(testDb, { userId: user.id, structureId: ids.structureA });
    await createMembership(testDb, { userId: user.id, structureId: ids.structureB });
    const cookie = await login(user.email);
    const page = async () => textOf(await (await fetch(`${app.url}/espace-relais`, { headers: { Cookie: cookie } })).text());
    expect(await page()).toContain("Vous faites partie de plusieurs relais. Pour lequel agissez-vous ?");
    expect((await postForm(app, "/espace-relais", { intent: "act", structureId: ids.structureB }, { cookie })).status).toBe(302);
    expect(await page()).toContain("Espace relais CHRS L'Escale du Vieux-Lille");
    expect((await postForm(app, "/espace-relais", { intent: "act", structureId: ids.structureA }, { cookie })).status).toBe(302);
    expect(await page()).toContain("Espace relais CCAS de Vénissieux");
  });
});

describe("the application form rejects bad input with French messages next to the fields", () => {
  async function newDraft(): Promise<string> {
    const res = await post("/relais/candidature?index", {}, "learner");
    expect(res.status).toBe(302);
    return res.headers.get("location")!.match(/\/relais\/candidature\/([^?]+)/)![1]!;
  }
  const structure = (over: Record<string, string>) => ({ intent: "save", step: "1", structureName: "CCAS de Roubaix", siret: "", rna: "", structureType: "CCAS", address: "2 rue Pierre-Motte", postcode: "59100", city: "Roubaix", ...over });

  it.each([
    ["an invalid SIRET", { siret: "26690048900012" }, "siret", "Ce SIRET n'existe pas : vérifiez les chiffres (la clé de contrôle ne correspond pas)."],
    ["a SIRET too short", { siret: "266 900 489" }, "siret", "Le SIRET compte 14 chiffres (vous en avez saisi 9)."],
    ["an invalid RNA", { rna: "W12345" }, "rna", "Le numéro RNA s'écrit W suivi de 9 chiffres (par exemple W751234567)."],
    ["no identifier at all", {}, "siret", "Indiquez le SIRET de la structure, ou le numéro RNA pour une association sans SIRET."],
    ["a postcode of 4 digits", { siret: randomSiret(), postcode: "5910" }, "postcode", "Le code postal compte 5 chiffres."],
  ])("%s", async (_name, over, field, message) => {
    const id = await newDraft();
    const res = await post(`/relais/candidature/${id}`, structure(over), "learner");
    expect(res.status).toBe(400);
    const html = await res.text();
    expect(textOf(html)).toContain(message);
    expect(html).toMatch(new RegExp(`id="field-${field}"[^>]*aria-invalid="true"[^>]*aria-describedby="[^"]*field-${field}-error"`));
    expect(html).toContain('value="CCAS de Roubaix"');
  });

  it("refuses a SIRET already applied for", async () => {
    const siret = (await testDb.relayApplication.findUniqueOrThrow({ where: { id: ids.submitted } })).siret!;
    const res = await post(`/relais/candidature/${await newDraft()}`, structure({ siret }), "learner");
    expect(res.status).toBe(400);
    expect(textOf(await res.text())).toContain("Une candidature est déjà en cours pour ce SIRET.");
  });

  it("refuses a referent e-mail that is not valid, and a 100 kB motivation, keeping what was typed", async () => {
    const id = await newDraft();
    const email = await post(`/relais/candidature/${id}`, { intent: "save", step: "2", applicantFunction: "Directrice", referentName: "Fatima Zahra El Amrani", referentEmail: "fatima.exemple.fr" }, "learner");
    expect(email.status).toBe(400);
    const emailHtml = await email.text();
    expect(textOf(emailHtml)).toContain("L'adresse e-mail n'est pas valide : elle doit ressembler à prenom.nom@exemple.fr.");
    expect(emailHtml).toContain('value="Fatima Zahra El Amrani"');

    const huge = "Nous accompagnons des familles. ".repeat(3200);
    expect(huge.length).toBeGreaterThan(100_000);
    const long = await post(`/relais/candidature/${id}`, { intent: "save", step: "3", publicsServed: "Familles", peoplePerMonth: "40", staffToTrain: "2", motivation: huge }, "learner");
    expect(long.status).toBe(400);
    const longText = textOf(await long.text());
    expect(longText).toContain("Votre texte de motivation est trop long : 4 000 caractères au plus.");
    expect((await testDb.relayApplication.findUniqueOrThrow({ where: { id } })).motivation).toBeNull();
  });

  it("keeps each saved step as a draft, refuses missing commitments, and refuses sending twice", async () => {
    const id = await newDraft();
    const siret = randomSiret();
    expect((await post(`/relais/candidature/${id}`, structure({ siret }), "learner")).status).toBe(302);
    expect((await post(`/relais/candidature/${id}`, { intent: "save", step: "2", applicantFunction: "Directrice", referentName: "Ольга Петрова", referentEmail: "olga.petrova@exemple.test" }, "learner")).status).toBe(302);
    const draft = await testDb.relayApplication.findUniqueOrThrow({ where: { id } });
    expect([draft.status, draft.siret, draft.referentName, draft.step]).toEqual(["DRAFT", siret, "Ольга Петрова", 3]);
    expect((await post(`/relais/candidature/${id}`, { intent: "save", step: "3", publicsServed: "Familles", peoplePerMonth: "40", staffToTrain: "2" }, "learner")).status).toBe(302);

    const missing = await post(`/relais/candidature/${id}`, { intent: "submit", step: "4", charterAccepted: "on" }, "learner");
    expect(missing.status).toBe(400);
    expect(textOf(await missing.text())).toContain("Confirmez que la ou le délégué·e à la protection des données de la structure est informé·e.");

    const sent = await post(`/relais/candidature/${id}`, { intent: "submit", step: "4", charterAccepted: "on", dpoInformed: "on" }, "learner");
    expect(sent.status).toBe(302);
    const twice = await post(`/relais/candidature/${id}`, { intent: "submit", step: "4", charterAccepted: "on", dpoInformed: "on" }, "learner");
    expect(twice.status).toBe(400);
    expect(textOf(await twice.text())).toContain("Cette candidature a déjà été envoyée : elle est en cours d'examen.");

    expect((await post(`/relais/candidature/${id}`, { intent: "withdraw" }, "learner")).status).toBe(302);
    const approve = await post(`/admin/relais/${id}`, { intent: "approve" }, "admin");
    expect(approve.status).toBe(400);
    expect(textOf(await approve.text())).toContain("Cette candidature a été retirée : elle ne peut plus changer.");
  });
});

describe("directory, open data and convention", () => {
  it("lists active relays only, nearest first, with what they offer", async () => {
    const text = textOf(await (await get("/relais?q=69200")).text());
    expect(text).toContain("CCAS de Vénissieux");
    expect(text).toContain("Aide aux démarches administratives");
    expect(text).toContain("Lundi : 9 h – 12 h");
    expect(text).toContain("1 relais près de « 69200 »");
    expect(text).not.toContain("CHRS L'Escale du Vieux-Lille");
  });

  it("exports active relays as CSV and JSON", async () => {
    const csv = await get("/relais/donnees.csv");
    expect(csv.headers.get("content-type")).toBe("text/csv; charset=utf-8");
    const lines = (await csv.text()).trim().split("\r\n");
    expect(lines[0]).toBe("id,pivot,nom,adresse,commune,code_postal,services,date_maj,source,horaires,presentation_detail");
    expect(lines.filter((l) => l.includes(",CCAS de Vénissieux,"))).toHaveLength(1);
    expect(lines).toHaveLength(2);
    const json = (await (await get("/relais/donnees.json")).json()) as { nom: string; services: string; horaires: string }[];
    expect(json).toHaveLength(1);
    // The authorization matrix above may have saved A's details again (one service, same hours).
    expect(json[0]).toMatchObject({ nom: "CCAS de Vénissieux", horaires: "Mo 09:00-12:00" });
    expect(json[0]!.services).toMatch(/^Aide aux démarches administratives\|(Loisirs et créations numériques\|)?Accès internet et matériel informatique$/);
  });

  it("fills the convention with the relay's details; the referent accepts it online, name, date and IP recorded", async () => {
    const path = `/espace-relais/convention.pdf?structure=${ids.structureA}`;
    const before = await readPdf(new Uint8Array(await (await get(path, "referentA")).arrayBuffer()));
    expect(before.text).toContain("CONVENTION DE PARTENARIAT");
    expect(before.text).toContain("CCAS de Vénissieux");
    expect(before.text).toContain("À accepter en ligne");

    const missing = await post("/espace-relais", { intent: "convention", structureId: ids.structureA, name: "" }, "referentA");
    expect(missing.status).toBe(400);
    expect(textOf(await missing.text())).toContain("Cochez la case pour accepter la convention.");
    expect((await post("/espace-relais", { intent: "convention", structureId: ids.structureA, name: "Zoé Ngọc-Anh Đặng", accepted: "on" }, "memberA")).status).toBe(403);
    expect((await post("/espace-relais", { intent: "convention", structureId: ids.structureA, name: "Zoé Ngọc-Anh Đặng", accepted: "on" }, "referentA")).status).toBe(302);
    const relay = await testDb.relay.findUniqueOrThrow({ where: { id: ids.relayA } });
    expect(relay.conventionAcceptedName).toBe("Zoé Ngọc-Anh Đặng");
    expect(relay.conventionAcceptedIp).toMatch(/127\.0\.0\.1/);
    expect(relay.conventionAcceptedAt).not.toBeNull();
    const after = await readPdf(new Uint8Array(await (await get(path, "referentA")).arrayBuffer()));
    expect(after.text).toContain("Acceptée en ligne par Zoé Ngọc-Anh Đặng");
  });
});
