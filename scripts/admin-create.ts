/**
 * npm run admin:create -- --email admin@exemple.fr --name "Camille Martin" [--send-mail]
 *
 * Creates the first administrator on an empty production database (migrating it first),
 * or gives the admin role to an existing account. Prints a one-time link (APP_URL) to
 * choose the password, valid 7 days; with --send-mail, puts the usual invitation mail in
 * the outbox instead (the running portal sends it).
 */
import { parseArgs } from "node:util";
import { z } from "zod";
import { personNameField } from "../app/utils/person-name";
import { emailFieldWith } from "../app/modules/auth/auth.schema";
import { ConfigError, getEnv, type Env } from "../app/utils/env.server";
import { providerOf } from "../app/utils/db-adapter.server";
import { applyPendingMigrations, readMigrations } from "../server/schema-engine";

const USAGE = 'Usage : npm run admin:create -- --email adresse@exemple.fr --name "Prénom Nom" [--send-mail]';

const ArgsSchema = z.object({
  email: emailFieldWith("--email manquant : l'adresse e-mail de la personne."),
  name: personNameField("--name manquant : le nom et le prénom."),
});

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

let args;
try {
  args = parseArgs({ options: { email: { type: "string" }, name: { type: "string" }, "send-mail": { type: "boolean", default: false } }, strict: true }).values;
} catch (e) {
  fail(`${(e as Error).message}\n${USAGE}`);
}
const parsed = ArgsSchema.safeParse(args);
if (!parsed.success) fail(`${parsed.error.issues.map((i) => i.message).join("\n")}\n${USAGE}`);

let env: Env;
try {
  env = getEnv();
} catch (e) {
  if (e instanceof ConfigError) fail(e.message);
  throw e;
}

const { connectDb, createDb } = await import("../app/utils/db.server");
const { createFirstAdmin } = await import("../app/modules/people/people.server");

// Migrate an empty database (the command may come before the portal's first start); one the
// running portal already migrated is left alone (migrating takes a lock a live SQLite portal may hold).
async function appliedMigrations(): Promise<Set<string>> {
  const probe = createDb(env.DATABASE_URL);
  try {
    const rows = await probe.$queryRawUnsafe<{ migration_name: string }[]>(
      'SELECT migration_name FROM "_prisma_migrations" WHERE finished_at IS NOT NULL AND rolled_back_at IS NULL',
    );
    return new Set(rows.map((r) => r.migration_name));
  } catch {
    return new Set();
  } finally {
    await probe.$disconnect();
  }
}
const done = await appliedMigrations();
if (readMigrations(providerOf(env.DATABASE_URL)).migrationDirectories.some((m) => !done.has(m.path))) {
  const applied = await applyPendingMigrations(env.DATABASE_URL);
  if (applied.length) console.log(`Migrations appliquées : ${applied.join(", ")}`);
}
const db = await connectDb();
const result = await createFirstAdmin({ ...parsed.data, sendMail: args["send-mail"] });
await db.$disconnect();

console.log(
  result.created
    ? `Compte administrateur créé pour ${parsed.data.email}.`
    : result.alreadyAdmin
      ? `${parsed.data.email} est déjà administrateur${result.reactivated ? " (compte réactivé)" : ""}.`
      : `${parsed.data.email} avait déjà un compte : il a maintenant le rôle administrateur${result.reactivated ? " et il est réactivé" : ""}.`,
);
if (result.otherAdmins > 0) console.log(`(${result.otherAdmins} autre${result.otherAdmins > 1 ? "s" : ""} compte${result.otherAdmins > 1 ? "s" : ""} administrateur existai${result.otherAdmins > 1 ? "ent" : "t"} déjà.)`);
if (result.setupUrl) {
  console.log("Pour choisir le mot de passe, ouvrez ce lien (valable 7 jours, il ne sert qu'une fois) :");
  console.log(result.setupUrl);
} else {
  console.log("Un e-mail avec le lien pour choisir le mot de passe partira dès que le portail tourne (SMTP_URL).");
}
