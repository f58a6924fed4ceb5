/**
 * Prisma's better-sqlite3 adapter keeps ONE connection. It serialises transactions with a
 * mutex, but a query made outside a transaction runs on that same connection at once, even
 * while another request's interactive transaction is open: it then silently becomes part of
 * that transaction (sees its uncommitted rows, and is undone if it rolls back).
 *
 * This wrapper puts every top-level query and every whole transaction behind one lock, so
 * a statement outside a transaction waits for the open transaction to end. Queries made
 * through a transaction object go straight to it (they already hold the lock).
 * Consequence: code inside `db.$transaction(async (tx) => …)` must use `tx`, never `db`
 * (it would wait for its own transaction); the transaction timeout then reports it.
 */
import type { SqlDriverAdapter, SqlDriverAdapterFactory, SqlQuery, Transaction } from "@prisma/driver-adapter-utils";

/** A FIFO lock: `acquire()` resolves with the function that releases it. */
export function createLock() {
  let tail: Promise<void> = Promise.resolve();
  return {
    acquire(): Promise<() => void> {
      let release!: () => void;
      const held = new Promise<void>((resolve) => (release = resolve));
      const ready = tail.then(() => {
        let released = false;
        return () => {
          if (released) return;
          released = true;
          release();
        };
      });
      tail = tail.then(() => held);
      return ready;
    },
  };
}

/** `target` with some methods replaced; the others stay bound to `target` (private fields work). */
function override<T extends object>(target: T, overrides: Partial<T>): T {
  return new Proxy(target, {
    get(t, prop) {
      if (Object.prototype.hasOwnProperty.call(overrides, prop)) return overrides[prop as keyof T];
      const value = Reflect.get(t, prop, t) as unknown;
      return typeof value === "function" ? (value as (...a: unknown[]) => unknown).bind(t) : value;
    },
  });
}

function serialise(adapter: SqlDriverAdapter): SqlDriverAdapter {
  const lock = createLock();
  const locked =
    <A extends unknown[], R>(run: (...args: A) => Promise<R>) =>
    async (...args: A): Promise<R> => {
      const release = await lock.acquire();
      try {
        return await run(...args);
      } finally {
        release();
      }
    };

  async function startTransaction(...args: Parameters<SqlDriverAdapter["startTransaction"]>): Promise<Transaction> {
    const release = await lock.acquire();
    try {
      const tx = await adapter.startTransaction(...args);
      return override<Transaction>(tx, {
        commit: () => tx.commit().finally(release),
        rollback: () => tx.rollback().finally(release),
      });
    } catch (error) {
      release();
      throw error;
    }
  }

  return override<SqlDriverAdapter>(adapter, {
    queryRaw: locked((query: SqlQuery) => adapter.queryRaw(query)),
    executeRaw: locked((query: SqlQuery) => adapter.executeRaw(query)),
    executeScript: locked((script: string) => adapter.executeScript(script)),
    startTransaction,
  });
}

/** Wraps a SQLite adapter factory so its connections serialise statements against transactions. */
export function serialisedSqlite<F extends SqlDriverAdapterFactory>(factory: F): SqlDriverAdapterFactory {
  return {
    provider: factory.provider,
    adapterName: factory.adapterName,
    connect: async () => serialise(await factory.connect()),
  };
}
