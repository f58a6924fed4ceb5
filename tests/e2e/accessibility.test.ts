/**
 * WCAG 2.1 A and AA checks (axe-core) of every public page and of the pages each demo role
 * reaches after logging in through the form, on a fresh SQLite database with the demo data.
 * Automated checks catch part of the problems only; they are the floor, not the audit.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import AxeBuilder from "@axe-core/playwright";
import { chromium, type Browser, type Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CHROMIUM_ARGS, CHROMIUM_PATH, startAppServer, type AppServer } from "../support/app-server";

const DEMO_PASSWORD = "Maillon-demo-2026!";
const WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"];

let browser: Browser;
let app: AppServer;
let dir: string;

beforeAll(async () => {
  dir = mkdtempSync(path.join(os.tmpdir(), "maillon-a11y-"));
  app = await startAppServer({
    databaseUrl: `file:${path.join(dir, "maillon.db")}`,
    // No SMTP_URL: mail is captured to files and the dev mailbox (/dev/courriels) exists.
    env: { SEED_DEMO_DATA: "auto", MAIL_CAPTURE_DIR: path.join(dir, "mails") },
  });
  browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
});

type StorageState = Awaited<ReturnType<import("playwright-core").BrowserContext["storageState"]>>;

async function newPage(storageState?: StorageState): Promise<Page> {
  const context = await browser.newContext({ locale: "fr-FR", storageState });
  context.setDefaultTimeout(15_000);
  return context.newPage();
}

// Each account logs in once through the form; its later pages start from that session's cookie.
const sessions = new Map<string, StorageState>();
async function loggedIn(email: string): Promise<Page> {
  const known = sessions.get(email);
  if (known) return newPage(known);
  const page = await newPage();
  await visit(page, "/connexion");
  await page.getByLabel(/^Adresse e-mail/).fill(email);
  await page.getByLabel(/^Mot de passe/).fill(DEMO_PASSWORD);
  await page.getByRole("button", { name: "Se connecter", exact: true }).click();
  await page.waitForURL((url) => url.pathname === "/mon-espace");
  sessions.set(email, await page.context().storageState());
  return page;
}

async function expectNoViolations(page: Page) {
  const { violations } = await new AxeBuilder({ page }).withTags(WCAG_TAGS).analyze();
  const report = violations
    .map((v) =>
      [
        `${v.id} [${v.impact ?? "?"}] ${v.help} (${v.helpUrl})`,
        ...v.nodes.map((n) => `    ${n.target.join(" ")}\n      ${(n.failureSummary ?? "").replace(/\n/g, "\n      ")}`),
      ].join("\n"),
    )
    .join("\n");
  expect(violations.length, `Accessibility violations on ${page.url()}:\n${report}`).toBe(0);
}

async function visit(page: Page, pathname: string, expectedStatus = 200) {
  const response = await page.goto(`${app.url}${pathname}`);
  expect(response?.status(), `GET ${pathname}`).toBe(expectedStatus);
  // A page served without scripts (route handle `hydrate: false`) is checked as served.
  if ((await page.locator("script").count()) === 0) return;
  // Check the page as users get it: hydrated, client-side changes included.
  const errors: string[] = [];
  const onError = (error: Error) => errors.push(error.message);
  page.on("pageerror", onError);
  try {
    await page.waitForFunction(() => Object.keys(document.body).some((k) => k.startsWith("__reactProps")), undefined, { timeout: 10_000 });
  } catch {
    throw new Error(`${pathname} was not hydrated within 10 s (blocked or failing script?). Page errors: ${errors.join(" | ") || "none"}`);
  } finally {
    page.off("pageerror", onError);
  }
}

describe("public pages have no WCAG 2.1 AA violation found by axe", () => {
  it.each([
    "/",
    "/connexion",
    "/inscription",
    "/mot-de-passe-oublie",
    "/accessibilite",
    "/mentions-legales",
    "/contact",
    "/dev/courriels",
    "/formations",
    "/formations?ville=Lille&mois=2099-01&format=presentiel",
    "/formations/sensibilisation-inclusion-numerique",
    "/certificats/verifier",
    "/relais",
    "/relais?q=69007",
  ])(
    "%s",
    async (pathname) => {
      const page = await newPage();
      try {
        await visit(page, pathname);
        await expectNoViolations(page);
      } finally {
        await page.context().close();
      }
    },
  );

  it("a session page (the first session listed in the catalogue)", async () => {
    const page = await newPage();
    try {
      await visit(page, "/formations");
      const href = await page.locator('a[href^="/sessions/"]').first().getAttribute("href");
      expect(href).toMatch(/^\/sessions\/\w+$/);
      await visit(page, href ?? "");
      await page.getByRole("link", { name: "Connectez-vous pour vous inscrire" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("a certificate's verification page, and the page of an unknown code", async () => {
    const { createDb } = await import("../../app/utils/db.server");
    const { createCertificate } = await import("../factories");
    const db = createDb(`file:${path.join(dir, "maillon.db")}`);
    let code: string;
    try {
      const enrolment = await db.enrolment.findFirstOrThrow({ where: { status: "CONFIRMED", session: { slots: { some: {} } } } });
      code = (await createCertificate(db, { enrolmentId: enrolment.id, kind: "END_OF_TRAINING" })).verificationCode;
    } finally {
      await db.$disconnect();
    }
    const page = await newPage();
    try {
      await visit(page, `/certificats/verifier/${code}`);
      await page.getByRole("heading", { level: 1 }).waitFor();
      await expectNoViolations(page);
      await visit(page, "/certificats/verifier/0000-0000-0000-0000", 404);
      await page.getByRole("heading", { name: "Certificat introuvable" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("a survey page (form, its errors, the thanks), and the page of an unknown link", async () => {
    const { createHash, randomBytes } = await import("node:crypto");
    const { createDb } = await import("../../app/utils/db.server");
    const db = createDb(`file:${path.join(dir, "maillon.db")}`);
    const token = randomBytes(32).toString("base64url");
    try {
      const enrolment = await db.enrolment.findFirstOrThrow({ where: { status: "CONFIRMED", session: { slots: { some: {} } }, surveys: { none: { kind: "COLD" } } } });
      await db.surveyResponse.create({ data: { enrolmentId: enrolment.id, kind: "COLD", tokenHash: createHash("sha256").update(token).digest("hex"), sentAt: new Date() } });
    } finally {
      await db.$disconnect();
    }
    const page = await newPage();
    try {
      await visit(page, `/questionnaire/${token}`);
      await page.getByRole("group", { name: /Avec le recul/ }).waitFor();
      await expectNoViolations(page);
      await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
      await page.getByText("Choisissez une note de 1 à 5.").waitFor();
      await expectNoViolations(page);
      await page.getByLabel("4 — satisfait·e").check();
      await page.getByLabel("Oui").check();
      await page.getByRole("button", { name: "Envoyer mes réponses" }).click();
      await page.getByText(/Merci ! Votre réponse du/).waitFor();
      await expectNoViolations(page);
      await visit(page, `/questionnaire/${"A".repeat(43)}`, 404);
      await page.getByRole("heading", { name: "Questionnaire introuvable" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("the 404 page", async () => {
    const page = await newPage();
    try {
      await visit(page, "/cette-page-n-existe-pas", 404);
      await page.getByRole("heading", { name: "Page introuvable" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("the sign-up form showing its errors", async () => {
    const page = await newPage();
    try {
      await visit(page, "/inscription");
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Créer mon compte", exact: true }).click(),
      ]);
      await page.waitForLoadState("networkidle");
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });
});

// The demo accounts of prisma/seed.ts.
const roles = [
  { role: "admin", email: "admin@maillon.localhost", pages: ["/mon-espace", "/admin", "/admin/sessions", "/admin/sessions?statut=CANCELLED&periode=all&q=lyon", "/admin/sessions/nouvelle", "/admin/inscriptions", "/admin/inscriptions?vue=paiements", "/admin/inscriptions?q=lyon&statut=CONFIRMED&periode=upcoming", "/admin/formations", "/admin/formations/nouvelle", "/admin/recharges", "/admin/recharges/import", "/admin/recharges/quotas", "/admin/recharges/rapport", "/admin/rapports", "/admin/relais", "/admin/relais?statut=ALL&q=lyon"] },
  { role: "trainer", email: "formatrice@maillon.localhost", pages: ["/mon-espace", "/formateur"] },
  { role: "relay referent", email: "referente@maillon.localhost", pages: ["/mon-espace", "/ma-structure", "/espace-relais", "/relais/candidature"] },
  { role: "certified relay member", email: "minh-khai.nguyen@maillon.localhost", pages: ["/espace-relais/recharges"] },
];

describe.each(roles)("pages of the demo $role have no WCAG 2.1 AA violation found by axe", ({ email, pages }) => {
  it.each(pages)("%s", async (pathname) => {
    const page = await loggedIn(email);
    try {
      await visit(page, pathname);
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });
});

// Pages whose address holds an id: reached by following the first link of their list.
describe("session pages of staff and trainer have no WCAG 2.1 AA violation found by axe", () => {
  async function followFirst(page: Page, listPath: string, prefix: string) {
    await visit(page, listPath);
    const href = await page.locator(`table a[href^="${prefix}"]`).first().getAttribute("href");
    expect(href).toMatch(new RegExp(`^${prefix}\\w+$`));
    await visit(page, href ?? "");
  }

  it("an admin session page (edit form, roster, cancel form)", async () => {
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await followFirst(page, "/admin/sessions", "/admin/sessions/");
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("an enrolment's staff page (details, journal, cancel form)", async () => {
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await followFirst(page, "/admin/inscriptions", "/admin/inscriptions/");
      await page.getByRole("heading", { name: "Historique" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("the new-session form showing its errors", async () => {
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await visit(page, "/admin/sessions/nouvelle");
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Créer la session", exact: true }).click(),
      ]);
      await page.getByText("corrigez les champs signalés").waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("an admin module page (edit form)", async () => {
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await followFirst(page, "/admin/formations", "/admin/formations/");
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("the new-module form showing its errors", async () => {
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await visit(page, "/admin/formations/nouvelle");
      await page.getByLabel("Titre", { exact: true }).fill("Comprendre les écrans");
      await page.getByLabel(/^Prix par personne/).fill("-20");
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Créer le module", exact: true }).click(),
      ]);
      await page.getByText("corrigez les champs signalés").waitFor();
      await page.getByText("Le prix ne peut pas être négatif.").waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  /** Ids from the demo database: the closed past session, one of its certificates, the trainer's next scheduled session. */
  async function certificateIds() {
    const { createDb } = await import("../../app/utils/db.server");
    const db = createDb(`file:${path.join(dir, "maillon.db")}`);
    try {
      const closed = await db.session.findFirstOrThrow({ where: { status: "CLOSED", certificates: { some: {} } }, select: { id: true } });
      const certificate = await db.certificate.findFirstOrThrow({ where: { sessionId: closed.id }, select: { id: true } });
      const scheduled = await db.session.findFirstOrThrow({ where: { status: "SCHEDULED", trainer: { email: "formatrice@maillon.localhost" }, enrolments: { some: { status: "CONFIRMED" } } }, select: { id: true } });
      return { closed: closed.id, certificate: certificate.id, scheduled: scheduled.id };
    } finally {
      await db.$disconnect();
    }
  }

  it("the certificates of a closed session, a certificate's staff page with the revocation error, and the closing page (staff)", async () => {
    const ids = await certificateIds();
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await visit(page, `/admin/sessions/${ids.closed}`);
      await page.getByRole("heading", { name: "Clôture et certificats" }).waitFor();
      await expectNoViolations(page);
      await visit(page, `/formateur/sessions/${ids.closed}/cloture`);
      await expectNoViolations(page);
      await visit(page, `/admin/certificats/${ids.certificate}`);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Révoquer le certificat", exact: true }).click(),
      ]);
      await page.locator("#field-reason-error").waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("the trainer's objectives form and closing page of a scheduled session", async () => {
    const ids = await certificateIds();
    const page = await loggedIn("formatrice@maillon.localhost");
    try {
      await visit(page, `/formateur/sessions/${ids.scheduled}`);
      await page.getByRole("heading", { name: "Évaluation des acquis et clôture" }).waitFor();
      await expectNoViolations(page);
      await visit(page, `/formateur/sessions/${ids.scheduled}/cloture`);
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("a learner's certificates on /mon-espace", async () => {
    const page = await loggedIn("minh-khai.nguyen@maillon.localhost");
    try {
      await visit(page, "/mon-espace");
      await page.getByRole("heading", { name: "Mes certificats" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  describe("the attendance pages of an open sheet", () => {
    let sessionId = "";
    let slotId = "";
    const sheet = () => `/formateur/sessions/${sessionId}/emargement/${slotId}`;

    beforeAll(async () => {
      const { createDb } = await import("../../app/utils/db.server");
      const { createEnrolment, createModule, createSession } = await import("../factories");
      const db = createDb(`file:${path.join(dir, "maillon.db")}`);
      try {
        const trainer = await db.user.findUniqueOrThrow({ where: { email: "formatrice@maillon.localhost" } });
        const learner = await db.user.findUniqueOrThrow({ where: { email: "stagiaire@maillon.localhost" } });
        const module = await createModule(db, { title: "Accompagner les démarches en ligne" });
        const now = Date.now();
        const session = await createSession(db, { moduleId: module.id, trainerId: trainer.id, slots: [{ startsAt: new Date(now - 30 * 60_000), endsAt: new Date(now + 150 * 60_000) }] });
        await createEnrolment(db, { sessionId: session.id, userId: learner.id, status: "CONFIRMED" });
        sessionId = session.id;
        slotId = session.slots[0]!.id;
      } finally {
        await db.$disconnect();
      }
    });

    it("the trainer's sheet with the room's code, and its screen for the room", async () => {
      const page = await loggedIn("formatrice@maillon.localhost");
      try {
        await visit(page, sheet());
        await page.getByRole("heading", { name: "Code à afficher dans la salle" }).waitFor();
        await expectNoViolations(page);
        await visit(page, `${sheet()}?projection`);
        await expectNoViolations(page);
      } finally {
        await page.context().close();
      }
    });

    it("the learner's sheets, and the sign page showing an error", async () => {
      const page = await loggedIn("stagiaire@maillon.localhost");
      try {
        await visit(page, "/emargement");
        await page.getByRole("heading", { name: /Accompagner les démarches en ligne/ }).waitFor();
        await expectNoViolations(page);
        await visit(page, `/emargement/${slotId}`);
        await page.getByLabel("Mon nom et prénom").fill("Quelqu'un d'autre");
        await Promise.all([page.waitForResponse((r) => r.request().method() === "POST"), page.getByRole("button", { name: "Signer la feuille", exact: true }).click()]);
        await page.getByText("Écrivez votre nom tel qu'il figure sur votre compte").waitFor();
        await expectNoViolations(page);
      } finally {
        await page.context().close();
      }
    });

    it("the staff's correction page", async () => {
      const page = await loggedIn("admin@maillon.localhost");
      try {
        await visit(page, `/admin/sessions/${sessionId}/emargement/${slotId}`);
        await expectNoViolations(page);
      } finally {
        await page.context().close();
      }
    });
  });

  it("a trainer's roster page", async () => {
    const page = await loggedIn("formatrice@maillon.localhost");
    try {
      await followFirst(page, "/formateur", "/formateur/sessions/");
      await page.getByRole("heading", { name: /Participants/ }).waitFor();
      await page.getByRole("link", { name: "Liste des participants à imprimer (PDF)" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("a relay application's staff page (decision forms, thread, history)", async () => {
    const page = await loggedIn("admin@maillon.localhost");
    try {
      await followFirst(page, "/admin/relais", "/admin/relais/");
      await page.getByRole("heading", { name: "Décision" }).waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });

  it("the relay application form showing its errors", async () => {
    const page = await loggedIn("referente@maillon.localhost");
    try {
      await visit(page, "/relais/candidature");
      await Promise.all([page.waitForURL(/\/relais\/candidature\/\w+/), page.getByRole("button", { name: "Commencer une candidature" }).click()]);
      await Promise.all([
        page.waitForResponse((r) => r.request().method() === "POST"),
        page.getByRole("button", { name: "Enregistrer et continuer", exact: true }).click(),
      ]);
      await page.getByText("corrigez les champs signalés").waitFor();
      await expectNoViolations(page);
    } finally {
      await page.context().close();
    }
  });
});
