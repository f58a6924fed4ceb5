/**
 * Prisma migrations without Prisma's native engine: the CLI cannot download it here, so
 * migrations are created and applied through Prisma's own Wasm schema engine, driven
 * through the same driver adapters as the app. See docs/decisions/003-migrations-wasm.md.
 */
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";
import { bindMigrationAwareSqlAdapterFactory, type SqlDriverAdapter, type SqlMigrationAwareDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import * as bg from "@prisma/schema-engine-wasm/schema_engine_bg";
import { createAdapterFactory, providerOf, type Provider } from "../app/utils/db-adapter.server";

type Engine = Awaited<ReturnType<typeof bg.SchemaEngine.new>>;

export const MIGRATIONS_DIR: Record<Provider, string> = {
  sqlite: "prisma/migrations",
  postgresql: "prisma/postgresql/migrations",
};
export const SCHEMA_FILE: Record<Provider, string> = {
  sqlite: "prisma/schema.prisma",
  postgresql: "prisma/postgresql/schema.prisma",
};
/** The schema as of the newest migration: the starting point of the next one. */
export const SNAPSHOT_FILE = (provider: Provider) => path.join(MIGRATIONS_DIR[provider], "schema_snapshot.prisma");
const NO_FILTER = { externalTables: [], externalEnums: [] };

let wasmReady = false;
function loadWasm() {
  if (wasmReady) return;
  const require = createRequire(import.meta.url);
  const wasmPath = path.join(path.dirname(require.resolve("@prisma/schema-engine-wasm/schema_engine_bg")), "schema_engine_bg.wasm");
  const module = new WebAssembly.Module(readFileSync(wasmPath));
  const instance = new WebAssembly.Instance(module, { "./schema_engine_bg.js": bg as unknown as WebAssembly.ModuleImports });
  bg.__wbg_set_wasm(instance.exports);
  (instance.exports.__wbindgen_start as () => void)();
  wasmReady = true;
}

/**
 * Runs `work` with an engine on `databaseUrl`, then frees the engine and closes every
 * connection it opened (the engine does not: a SQLite file would stay locked).
 */
export async function withSchemaEngine<T>(databaseUrl: string, schemaText: string, work: (engine: Engine) => Promise<T>): Promise<T> {
  loadWasm();
  const base = createAdapterFactory(databaseUrl);
  const opened: SqlDriverAdapter[] = [];
  const tracked: SqlMigrationAwareDriverAdapterFactory = {
    provider: base.provider,
    adapterName: base.adapterName,
    connect: async () => track(await base.connect()),
    connectToShadowDb: async () => track(await base.connectToShadowDb()),
  };
  const track = (a: SqlDriverAdapter) => (opened.push(a), a);
  const engine = (await bg.SchemaEngine.new(
    { datamodels: [["schema.prisma", schemaText]] },
    () => {},
    bindMigrationAwareSqlAdapterFactory(tracked),
  )) as Engine;
  try {
    return await work(engine);
  } finally {
    engine.free();
    await Promise.allSettled(opened.map((a) => a.dispose()));
  }
}

export function readMigrations(provider: Provider) {
  const baseDir = path.resolve(MIGRATIONS_DIR[provider]);
  const dirs = existsSync(baseDir)
    ? readdirSync(baseDir, { withFileTypes: true })
        .filter((d) => d.isDirectory() && existsSync(path.join(baseDir, d.name, "migration.sql")))
        .map((d) => d.name)
        .sort()
    : [];
  const lockPath = path.join(baseDir, "migration_lock.toml");
  return {
    baseDir,
    lockfile: { path: "migration_lock.toml", content: existsSync(lockPath) ? readFileSync(lockPath, "utf8") : null },
    shadowDbInitScript: "",
    migrationDirectories: dirs.map((name) => ({
      path: name,
      migrationFile: {
        path: "migration.sql",
        content: { tag: "ok" as const, value: readFileSync(path.join(baseDir, name, "migration.sql"), "utf8") },
      },
    })),
  };
}

/** Applies the migrations not yet applied; returns their names. */
export async function applyPendingMigrations(databaseUrl: string): Promise<string[]> {
  const provider = providerOf(databaseUrl);
  return withSchemaEngine(databaseUrl, readFileSync(SCHEMA_FILE[provider], "utf8"), async (engine) => {
    const out = await engine.applyMigrations({ migrationsList: readMigrations(provider), filters: NO_FILTER });
    return out.appliedMigrationNames;
  });
}

/**
 * SQL that takes a database from the `from` schema (or nothing) to the `to` schema. No
 * data is read, but the PostgreSQL engine still wants a server to talk to.
 */
export async function diffSchemas(databaseUrl: string, from: string | null, to: string): Promise<string> {
  return withSchemaEngine(databaseUrl, to, async (engine) => {
    const result = await engine.diff({
      from: from === null ? { tag: "empty" } : { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: from }] },
      to: { tag: "schemaDatamodel", files: [{ path: "schema.prisma", content: to }] },
      script: true,
      exitCode: null,
      filters: NO_FILTER,
    });
    return result.stdout ?? "";
  });
}
