/**
 * Prisma's better-sqlite3 adapter (7.10) calls `client.prepare(sql)` for every query, so SQLite
 * parses and plans the same few dozen statements again and again: measured at 0.8 ms of the
 * 10 ms one recharge issue cost, and as much on every page. better-sqlite3 statements are
 * reusable but `bind()` fixes their parameters for good, which is why the adapter cannot
 * keep them.
 *
 * This keeps the compiled statements in a bounded LRU keyed by SQL text, and gives the adapter
 * a light view of each one whose `bind(args)` only remembers the arguments for the next run.
 * After a schema change SQLite recompiles a statement by itself, but better-sqlite3 would still
 * report its old columns (a `SELECT *` then gets rows wider than its column list): the cache is
 * emptied whenever `PRAGMA schema_version` moves, which costs a few microseconds per query.
 * (A change made by another connection, such as a migration, is seen by this one only once it
 * next runs a statement, cache or not: the portal migrates before its first query.)
 * The view covers exactly what the adapter uses: `reader`, `bind`, `run`, `columns`,
 * `raw().all()`; `sqlite-statement-cache.test.ts` fails if an upgrade changes that.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory } from "@prisma/driver-adapter-utils";
import type BetterSqlite3 from "better-sqlite3";

type Params = unknown[];

/** What the adapter does with a prepared statement, on a shared compiled one. */
function reusable(statement: BetterSqlite3.Statement, params: Params = []) {
  return {
    reader: statement.reader,
    bind: (...args: Params) => reusable(statement, args),
    run: () => statement.run(...params),
    columns: () => statement.columns(),
    raw: () => ({ all: () => statement.raw(true).all(...params) }),
  };
}

export function cacheStatements(client: BetterSqlite3.Database, capacity = 500) {
  const prepare = client.prepare.bind(client);
  const cache = new Map<string, BetterSqlite3.Statement>();
  const schemaVersion = prepare("PRAGMA schema_version").pluck();
  let version: unknown = schemaVersion.get();
  const cached = (sql: string) => {
    const current = schemaVersion.get();
    if (current !== version) {
      cache.clear();
      version = current;
    }
    let statement = cache.get(sql);
    if (statement) {
      cache.delete(sql);
    } else {
      statement = prepare(sql);
      if (cache.size >= capacity) cache.delete(cache.keys().next().value!);
    }
    cache.set(sql, statement); // most recently used last
    return reusable(statement);
  };
  client.prepare = cached as unknown as typeof client.prepare;
  return { size: () => cache.size };
}

/** The adapter's better-sqlite3 connection (a public field of its class, not of its type). */
export function sqliteClientOf(adapter: SqlDriverAdapter): BetterSqlite3.Database {
  const client = (adapter as unknown as { client?: BetterSqlite3.Database }).client;
  if (!client || typeof client.prepare !== "function") throw new Error("The SQLite adapter no longer exposes its better-sqlite3 client: see sqlite-statement-cache.server.ts");
  return client;
}

/** Wraps a SQLite adapter factory so its connections reuse compiled statements. */
export function withStatementCache(factory: SqlDriverAdapterFactory): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => {
      const adapter = await factory.connect();
      cacheStatements(sqliteClientOf(adapter));
      return adapter;
    },
  };
}
