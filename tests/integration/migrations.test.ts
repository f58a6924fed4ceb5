import { mkdtempSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { derivePostgresSchema, SQLITE_SCHEMA } from "../../scripts/prisma-generate";
import { applyPendingMigrations, readMigrations, SNAPSHOT_FILE, withSchemaEngine } from "../../server/schema-engine";

const NO_FILTER = { externalTables: [], externalEnums: [] };
const schema = readFileSync(SQLITE_SCHEMA, "utf8");

describe("migrations", () => {
  it("cover every schema change (the snapshot is the current schema)", () => {
    expect(readFileSync(SNAPSHOT_FILE("sqlite"), "utf8")).toBe(schema);
    expect(readFileSync(SNAPSHOT_FILE("postgresql"), "utf8")).toBe(derivePostgresSchema(schema));
  });

  it("exist for both databases, with the same names", () => {
    const names = (p: "sqlite" | "postgresql") => readMigrations(p).migrationDirectories.map((d) => d.path);
    expect(names("sqlite").length).toBeGreaterThan(0);
    expect(names("postgresql")).toEqual(names("sqlite"));
  });

  it("build, from nothing, a SQLite database identical to the schema, and apply once", async () => {
    const url = `file:${path.join(mkdtempSync(path.join(os.tmpdir(), "maillon-mig-")), "db.sqlite")}`;
    expect(await applyPendingMigrations(url)).toEqual(readMigrations("sqlite").migrationDirectories.map((d) => d.path));
    expect(await applyPendingMigrations(url)).toEqual([]);
    const drift = await withSchemaEngine(url, schema, (engine) =>
      engine.diff({
        from: { tag: "schemaDatasource", files: [{ path: "schema.prisma", content: schema }], configDir: process.cwd() },
        to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: schema }] },
        script: true,
        exitCode: null,
        filters: NO_FILTER,
      }),
    );
    expect(drift.stdout?.trim()).toMatch(/^(-- This is an empty migration\.)?$/);
  });
});
