/**
 * The data migration that normalises beneficiary references (decision 017), on a real database
 * (SQLite or PostgreSQL, per TEST_DATABASE) migrated up to the migration before it: rows of one
 * relay that differ only by case or surrounding spaces become one, keeping every issue and the
 * latest details; other relays' rows and lone rows only get their reference normalised.
 */
import { readFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import { emptyTestDatabaseUrl } from "../support/database";
import { createRechargeCodes, createRechargeProduct, createRelay, createRelayMember } from "../recharge-factories";
import { applyPendingMigrations, readMigrations, SCHEMA_FILE, withSchemaEngine } from "../../server/schema-engine";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { providerOf } from "../../app/utils/db-adapter.server";

const MIGRATION = "20261207063000_beneficiary_reference_normalised";
let testDb: Db | undefined;
afterAll(async () => testDb?.$disconnect());

describe(MIGRATION, () => {
  it("merges one relay's rows that normalise the same, keeping every issue and the latest details", async () => {
    const url = emptyTestDatabaseUrl("beneficiary_migration");
    const provider = providerOf(url);
    const list = readMigrations(provider);
    // Every migration but this one: the data is made with today's client, so later tables and
    // columns (none of which touch beneficiaries) must exist; this one then runs last, as pending.
    await withSchemaEngine(url, readFileSync(SCHEMA_FILE[provider], "utf8"), (engine) =>
      engine.applyMigrations({ migrationsList: { ...list, migrationDirectories: list.migrationDirectories.filter((d) => d.path !== MIGRATION) }, filters: { externalTables: [], externalEnums: [] } }),
    );
    const connect = async () => {
      testDb = createDb(url);
      if (provider === "sqlite") await configureSqlite(testDb);
      return testDb;
    };
    let db = await connect();

    const { relay } = await createRelay(db);
    const { relay: otherRelay } = await createRelay(db);
    const staff = await createRelayMember(db, relay);
    const product = await createRechargeProduct(db);
    await createRechargeCodes(db, product.id, 6);
    const codes = await db.rechargeCode.findMany({ where: { productId: product.id } });
    const at = (day: number) => new Date(Date.UTC(2026, 10, day, 10));
    const person = (relayId: string, reference: string, data: { createdAt: Date; lastIssuedAt: Date; ageBand?: "AGE_18_25" | "AGE_26_44"; commune?: string }) =>
      db.beneficiary.create({ data: { relayId, reference, ...data } });
    const oldest = await person(relay.id, "d-41", { createdAt: at(1), lastIssuedAt: at(2), commune: "Lyon" });
    const latest = await person(relay.id, " D-41 ", { createdAt: at(3), lastIssuedAt: at(9), ageBand: "AGE_18_25" });
    const middle = await person(relay.id, "D-41", { createdAt: at(4), lastIssuedAt: at(5), ageBand: "AGE_26_44", commune: "Bron" });
    const alone = await person(relay.id, "x-9 ", { createdAt: at(1), lastIssuedAt: at(1) });
    const elsewhere = await person(otherRelay.id, "d-41", { createdAt: at(1), lastIssuedAt: at(1) });
    const issuedTo = [oldest, latest, latest, middle, alone, elsewhere];
    for (const [i, beneficiary] of issuedTo.entries()) {
      await db.rechargeIssue.create({
        data: { idempotencyKey: `mig-${relay.id}-${i}`, relayId: beneficiary.relayId, productId: product.id, staffId: staff.id, codeId: codes[i]!.id, beneficiaryId: beneficiary.id, period: "2026-11", valueCents: 400, issuedAt: at(2) },
      });
    }

    // The SQLite file takes one writer: the engine gets it alone, as at the portal's start.
    await db.$disconnect();
    expect(await applyPendingMigrations(url)).toContain(MIGRATION);
    db = await connect();

    const rows = await db.beneficiary.findMany({ where: { relayId: { in: [relay.id, otherRelay.id] } }, orderBy: [{ relayId: "asc" }, { reference: "asc" }] });
    const byId = new Map(rows.map((r) => [r.id, r]));
    expect(rows).toHaveLength(3);
    expect(byId.get(oldest.id)).toMatchObject({ reference: "D-41", ageBand: "AGE_18_25", commune: "Bron", lastIssuedAt: at(9), createdAt: at(1) });
    expect(byId.get(alone.id)).toMatchObject({ reference: "X-9" });
    expect(byId.get(elsewhere.id)).toMatchObject({ reference: "D-41", relayId: otherRelay.id });
    // Every issue is kept, and points to the one row of its person.
    const issues = await db.rechargeIssue.findMany({ where: { productId: product.id }, orderBy: { idempotencyKey: "asc" } });
    expect(issues.map((i) => i.beneficiaryId)).toEqual([oldest.id, oldest.id, oldest.id, oldest.id, alone.id, elsewhere.id]);
  });
});
