import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import { PrismaClient as PostgresClient } from "../generated/postgresql/client";
import { PrismaClient as SqliteClient } from "../generated/sqlite/client";
import { createAdapterFactory, providerOf } from "./db-adapter.server";
import { getEnv } from "./env.server";
import { serialisedSqlite } from "./sqlite-serial-adapter.server";
import { withStatementCache } from "./sqlite-statement-cache.server";

/**
 * One Prisma client per process. Both generated clients have the same API (one schema,
 * two providers); the SQLite one gives the type.
 */
export type Db = SqliteClient;
export type Tx = Parameters<Parameters<Db["$transaction"]>[0]>[0];

// The adapter each client connected, for the few statements run on it directly (sql-transaction.server.ts).
// Kept on the client under a global symbol: the server and the Remix build are two module graphs.
const CONNECTED_ADAPTER = Symbol.for("maillon.connectedDriverAdapter");
type WithAdapter = { [CONNECTED_ADAPTER]?: () => SqlDriverAdapter | undefined };

function remembered(factory: SqlDriverAdapterFactory) {
  let connected: SqlDriverAdapter | undefined;
  const wrapped: SqlDriverAdapterFactory = {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => (connected = await factory.connect()),
  };
  return { factory: wrapped, connected: () => connected };
}

export function createDb(databaseUrl: string): Db {
  const factory = createAdapterFactory(databaseUrl);
  // SQLite has one connection: statements outside a transaction must wait for an open one
  // (see the wrapper), and compiled statements are kept for the next time (see the cache).
  const adapter = remembered(providerOf(databaseUrl) === "postgresql" ? factory : serialisedSqlite(withStatementCache(factory)));
  const client = providerOf(databaseUrl) === "postgresql" ? (new PostgresClient({ adapter: adapter.factory }) as unknown as Db) : new SqliteClient({ adapter: adapter.factory });
  (client as WithAdapter)[CONNECTED_ADAPTER] = adapter.connected;
  return client;
}

/** The driver adapter `client` runs on (connecting it if it has not yet). */
export async function driverAdapterOf(client: Db): Promise<SqlDriverAdapter> {
  const connected = (client as WithAdapter)[CONNECTED_ADAPTER];
  if (!connected?.()) await client.$connect();
  const adapter = connected?.();
  if (!adapter) throw new Error("This Prisma client was not made by createDb: its driver adapter is unknown.");
  return adapter;
}

/** WAL lets readers go on while one writer writes; foreign keys are off by default in SQLite. */
export async function configureSqlite(db: Db) {
  await db.$queryRawUnsafe("PRAGMA journal_mode = WAL");
  await db.$queryRawUnsafe("PRAGMA foreign_keys = ON");
  await db.$queryRawUnsafe("PRAGMA busy_timeout = 5000");
  await db.$queryRawUnsafe("PRAGMA synchronous = NORMAL");
}

// Shared through globalThis: the server and the Remix build are two module graphs in one process.
const globalForDb = globalThis as unknown as { __maillonDb?: Db; __maillonDbReady?: Promise<Db> };

export function getDb(): Db {
  globalForDb.__maillonDb ??= createDb(getEnv().DATABASE_URL);
  return globalForDb.__maillonDb;
}

/** The database this process runs on, for the rare statement written per provider. */
export const dbProvider = () => providerOf(getEnv().DATABASE_URL);

/** Opens the database and sets SQLite's PRAGMAs; awaited once at start, before any query. */
export function connectDb(): Promise<Db> {
  globalForDb.__maillonDbReady ??= (async () => {
    const db = getDb();
    if (providerOf(getEnv().DATABASE_URL) === "sqlite") await configureSqlite(db);
    return db;
  })();
  return globalForDb.__maillonDbReady;
}

export const db = new Proxy({} as Db, {
  get: (_target, prop) => Reflect.get(getDb(), prop, getDb()),
});
