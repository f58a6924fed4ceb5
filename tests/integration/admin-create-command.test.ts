/**
 * `npm run admin:create` on a real empty database (SQLite or PostgreSQL per TEST_DATABASE):
 * the command migrates it and prints a one-time link on APP_URL; the portal then started on
 * that database lets the new admin choose a password through the link, log in over HTTP and
 * open the staff pages. Run again for an existing account, it makes that account admin.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { postForm, REPO_ROOT, startAppServer, type AppServer } from "../support/app-server";
import { emptyTestDatabaseUrl } from "../support/database";

const PUBLIC_URL = "https://portail.association.example";
const PASSWORD = "une péniche bleue sur la Saône";
const databaseUrl = emptyTestDatabaseUrl("admin_create");
let app: AppServer | undefined;

function runAdminCreate(args: string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: databaseUrl, APP_URL: PUBLIC_URL, NODE_ENV: "production", LOG_LEVEL: "warn" };
  delete env.VITEST;
  const child = spawn(process.execPath, ["--import", "tsx", "scripts/admin-create.ts", ...args], { cwd: REPO_ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (c: Buffer) => (stdout += c.toString("utf8")));
  child.stderr.on("data", (c: Buffer) => (stderr += c.toString("utf8")));
  return new Promise((resolve) => child.once("exit", (code) => resolve({ code, stdout, stderr })));
}

const linkIn = (output: string) => output.match(/https?:\/\/\S+\/activer-mon-compte\?token=[A-Za-z0-9_%-]+/)?.[0] ?? "";
/** The printed link points at the public address; the test reaches the same path on the local server. */
const onServer = (link: string) => `${app!.url}${new URL(link).pathname}${new URL(link).search}`;
const cookieFrom = (res: Response) => res.headers.getSetCookie().find((c) => c.startsWith("maillon_session="))?.split(";")[0] ?? "";

let firstRun: Awaited<ReturnType<typeof runAdminCreate>>;

beforeAll(async () => {
  // The empty database, before any portal ever started on it: the command migrates it itself.
  firstRun = await runAdminCreate(["--email", "Camille.Durand@Association.example", "--name", "Camille Durand-Œuvray"]);
  app = await startAppServer({ databaseUrl });
}, 120_000);
afterAll(async () => {
  await app?.stop();
});

describe("npm run admin:create", () => {
  it("creates the first admin and prints a one-time link on APP_URL that sets the password", async () => {
    expect(firstRun.code, firstRun.stderr).toBe(0);
    expect(firstRun.stdout).toContain("Compte administrateur créé pour camille.durand@association.example.");
    const link = linkIn(firstRun.stdout);
    expect(link.startsWith(`${PUBLIC_URL}/activer-mon-compte?token=`)).toBe(true);

    // Without a password yet, nobody logs in.
    expect((await postForm(app!, "/connexion", { email: "camille.durand@association.example", password: PASSWORD })).status).toBe(400);

    const page = await fetch(onServer(link));
    expect(page.status).toBe(200);
    expect(await page.text()).toContain("Activer votre compte");
    const token = new URL(link).searchParams.get("token")!;
    const set = await postForm(app!, "/activer-mon-compte", { token, password: PASSWORD });
    expect(set.status).toBe(302);
    expect(set.headers.get("location")).toBe("/connexion");

    const login = await postForm(app!, "/connexion", { email: "camille.durand@association.example", password: PASSWORD });
    expect(login.status).toBe(302);
    const cookie = cookieFrom(login);
    const people = await fetch(`${app!.url}/admin/personnes`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(people.status).toBe(200);
    expect(people.headers.get("cache-control")).toContain("no-store");
    const html = (await people.text()).replace(/<!-- -->/g, "");
    expect(html).toContain("Camille Durand-Œuvray");
    expect(html).toContain("Administrateur·rice");

    // The link served once.
    expect((await fetch(onServer(link))).status).toBe(400);
    expect((await postForm(app!, "/activer-mon-compte", { token, password: PASSWORD })).status).toBe(400);
  });

  it("makes an existing account admin, and refuses bad arguments with a French message", async () => {
    const signUp = await postForm(app!, "/inscription", { name: "Yanis Benali", email: "yanis.benali@association.example", password: PASSWORD });
    expect(signUp.status).toBe(302);
    const second = await runAdminCreate(["--email", "yanis.benali@association.example", "--name", "Yanis Benali"]);
    expect(second.code, second.stderr).toBe(0);
    expect(second.stdout).toContain("avait déjà un compte : il a maintenant le rôle administrateur");
    expect(second.stdout).toContain("1 autre compte administrateur existait déjà");
    const token = new URL(linkIn(second.stdout)).searchParams.get("token")!;
    expect((await postForm(app!, "/activer-mon-compte", { token, password: "un autre mot de passe très long" })).status).toBe(302);
    const login = await postForm(app!, "/connexion", { email: "yanis.benali@association.example", password: "un autre mot de passe très long" });
    expect(login.status).toBe(302);
    expect((await fetch(`${app!.url}/admin`, { headers: { Cookie: cookieFrom(login) }, redirect: "manual" })).status).toBe(200);

    const bad = await runAdminCreate(["--email", "pas-une-adresse"]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain("L'adresse e-mail n'est pas valide");
    expect(bad.stderr).toContain("--name manquant");
  });
});
