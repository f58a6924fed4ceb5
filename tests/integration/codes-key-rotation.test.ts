/**
 * `npm run codes:rotate-key` on a real database (SQLite, or PostgreSQL with TEST_DATABASE):
 * after it, the stock opens with the new key only, duplicates are still found by the new
 * hash, an interrupted run resumes, and a wrong old key changes nothing.
 */
import { spawn } from "node:child_process";
import { afterAll, beforeEach, describe, expect, it } from "vitest";
import { codeCipher, DEVELOPMENT_SECRET } from "../../app/modules/recharges/code-crypto.server";
import { rotateCodesKey } from "../../app/modules/recharges/key-rotation.server";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";
import { applyPendingMigrations } from "../../server/schema-engine";
import { createRechargeProduct } from "../recharge-factories";
import { REPO_ROOT } from "../support/app-server";
import { testDatabaseUrl } from "../support/database";

const OLD_KEY = "b2xkLWtleS1mb3ItdGhlLXJvdGF0aW9uLXRlc3QtMzJi";
const NEW_KEY = "bmV3LWtleS1mb3ItdGhlLXJvdGF0aW9uLXRlc3QtMzJi";

// Each test has its own database: the command rotates a whole table.
let url: string;
let db: Db;
const opened: Db[] = [];

beforeEach(async () => {
  url = testDatabaseUrl("codes_key_rotation");
  await applyPendingMigrations(url);
  db = createDb(url);
  if (providerOf(url) === "sqlite") await configureSqlite(db);
  opened.push(db);
});

afterAll(async () => {
  await Promise.all(opened.map((d) => d.$disconnect()));
});

/** A fresh product with `count` codes encrypted and hashed under `secret`; returns the PINs by code id. */
async function stock(secret: string, count: number): Promise<{ productId: string; pins: Map<string, string> }> {
  const cipher = codeCipher(secret);
  const product = await createRechargeProduct(db);
  const pins = Array.from({ length: count }, (_, i) => `${Date.now()}${String(i).padStart(5, "0")}`.slice(-14).padStart(14, "7"));
  await db.rechargeCode.createMany({
    data: pins.map((pin) => ({ productId: product.id, codeEncrypted: cipher.encrypt(pin), codeHash: cipher.hash(pin), last4: pin.slice(-4), expiresAt: new Date(Date.now() + 90 * 86_400_000) })),
  });
  const rows = await db.rechargeCode.findMany({ where: { productId: product.id }, select: { id: true, last4: true } });
  const byLast4 = new Map(pins.map((p) => [p.slice(-4), p]));
  return { productId: product.id, pins: new Map(rows.map((r) => [r.id, byLast4.get(r.last4)!])) };
}

const opens = (secret: string, blob: string) => {
  try {
    return codeCipher(secret).decrypt(blob);
  } catch {
    return undefined;
  }
};

async function codesOf(productId: string) {
  return db.rechargeCode.findMany({ where: { productId }, select: { id: true, codeEncrypted: true, codeHash: true } });
}

function runCommand(env: Record<string, string>, args: string[] = []): Promise<{ code: number | null; output: string }> {
  const childEnv: NodeJS.ProcessEnv = { ...process.env, DATABASE_URL: url, LOG_LEVEL: "warn" };
  delete childEnv.CODES_ENCRYPTION_KEY;
  delete childEnv.OLD_CODES_ENCRYPTION_KEY;
  Object.assign(childEnv, env);
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--import", "tsx", "scripts/rotate-codes-key.ts", ...args], { cwd: REPO_ROOT, env: childEnv, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.once("exit", (code) => resolve({ code, output }));
  });
}

describe("recharge code key rotation", () => {
  it("the command re-encrypts every code: readable with the new key, no longer with the old one", async () => {
    const { productId, pins } = await stock(OLD_KEY, 1200);
    const before = await codesOf(productId);

    const { code, output } = await runCommand({ OLD_CODES_ENCRYPTION_KEY: OLD_KEY, CODES_ENCRYPTION_KEY: NEW_KEY });
    expect(output).toContain("Codes rechiffrés");
    expect(code).toBe(0);

    const after = await codesOf(productId);
    expect(after).toHaveLength(1200);
    for (const row of after) {
      const pin = pins.get(row.id)!;
      expect(opens(NEW_KEY, row.codeEncrypted)).toBe(pin);
      expect(opens(OLD_KEY, row.codeEncrypted)).toBeUndefined();
      expect(row.codeHash).toBe(codeCipher(NEW_KEY).hash(pin));
    }
    expect(after.map((r) => r.codeEncrypted)).not.toEqual(expect.arrayContaining([before[0]!.codeEncrypted]));
    // A second run finds nothing left to do.
    const again = await runCommand({ OLD_CODES_ENCRYPTION_KEY: OLD_KEY, CODES_ENCRYPTION_KEY: NEW_KEY });
    expect(again.code).toBe(0);
    expect(again.output).toMatch(/Codes rechiffrés avec la nouvelle clé : 0 /);
  });

  it("moves the demo's stock off the public development key", async () => {
    const { productId, pins } = await stock(DEVELOPMENT_SECRET, 20);
    const { code, output } = await runCommand({ CODES_ENCRYPTION_KEY: NEW_KEY }, ["--from-development-key"]);
    expect(code, output).toBe(0);
    for (const row of await codesOf(productId)) {
      expect(opens(NEW_KEY, row.codeEncrypted)).toBe(pins.get(row.id));
      expect(opens(DEVELOPMENT_SECRET, row.codeEncrypted)).toBeUndefined();
    }
  });

  it("a wrong old key changes nothing", async () => {
    const { productId } = await stock(OLD_KEY, 30);
    const before = await codesOf(productId);
    const { code, output } = await runCommand({ OLD_CODES_ENCRYPTION_KEY: "une-mauvaise-cle-de-trente-deux-caracteres", CODES_ENCRYPTION_KEY: NEW_KEY });
    expect(code).toBe(1);
    expect(output).toContain("rien n'a été modifié");
    expect(await codesOf(productId)).toEqual(before);
  });

  it("refuses a missing old key or a weak new one", async () => {
    expect((await runCommand({ CODES_ENCRYPTION_KEY: NEW_KEY })).output).toContain("OLD_CODES_ENCRYPTION_KEY");
    const weak = await runCommand({ OLD_CODES_ENCRYPTION_KEY: OLD_KEY, CODES_ENCRYPTION_KEY: DEVELOPMENT_SECRET });
    expect(weak.code).toBe(2);
    expect(weak.output).toContain("CODES_ENCRYPTION_KEY");
  });

  it("an interrupted run leaves every code readable by one key, and the next run finishes", async () => {
    const oldKey = OLD_KEY;
    const newKey = NEW_KEY;
    const { productId, pins } = await stock(oldKey, 250);
    await expect(
      rotateCodesKey({
        db,
        oldSecret: oldKey,
        newSecret: newKey,
        batchSize: 100,
        onProgress: (done) => {
          if (done >= 100) throw new Error("power cut");
        },
      }),
    ).rejects.toThrow("power cut");
    const halfway = await codesOf(productId);
    const moved = halfway.filter((r) => opens(newKey, r.codeEncrypted) !== undefined).length;
    expect(moved).toBe(100);
    for (const row of halfway) expect(opens(newKey, row.codeEncrypted) ?? opens(oldKey, row.codeEncrypted)).toBe(pins.get(row.id));

    const result = await rotateCodesKey({ db, oldSecret: oldKey, newSecret: newKey, batchSize: 100 });
    expect(result).toEqual({ total: 250, rotated: 150, alreadyRotated: 100 });
    for (const row of await codesOf(productId)) expect(opens(newKey, row.codeEncrypted)).toBe(pins.get(row.id));
  });
});
