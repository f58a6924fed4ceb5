/**
 * A transaction run straight on the driver adapter Prisma itself runs on, for the one write
 * path where the cost of each statement is the product: recharge issuing (issue 6, decision
 * 015). Prisma's client spends about 0.15 ms of JavaScript per statement (query plan,
 * template rendering, result mapping) and 0.2 ms per interactive transaction; here a
 * statement costs what SQLite or PostgreSQL take, plus a few microseconds.
 *
 * Same connection, same rules: on SQLite the transaction takes the process-wide lock of
 * decision 008 (the serialised adapter wraps `startTransaction`), and compiled statements
 * are shared with Prisma's. Statements are `Prisma.sql` templates (parameters always bound,
 * never interpolated). Dates are bound as the adapter binds Prisma's own, so they compare
 * with the stored ones. Use this only where the measure says so: everywhere else, Prisma.
 */
import { ColumnTypeEnum, type ColumnType, type SqlQuery, type Transaction } from "@prisma/driver-adapter-utils";
import type { Prisma } from "~/generated/sqlite/client";
import { dbProvider, driverAdapterOf, getDb } from "./db.server";

type Sql = Prisma.Sql;

export type SqlRow = Record<string, unknown>;
export type SqlTx = {
  /** Rows as objects; integers come back as numbers. */
  query<T extends SqlRow = SqlRow>(statement: Sql): Promise<T[]>;
  /** The number of rows changed. */
  execute(statement: Sql): Promise<number>;
};

function argType(value: unknown): SqlQuery["argTypes"][number] {
  const scalar = (): SqlQuery["argTypes"][number]["scalarType"] => {
    if (typeof value === "string") return "string";
    if (typeof value === "number") return Number.isInteger(value) ? "int" : "float";
    if (typeof value === "bigint") return "bigint";
    if (typeof value === "boolean") return "boolean";
    if (value instanceof Date) return "datetime";
    return "unknown";
  };
  return { scalarType: scalar(), arity: "scalar" };
}

function toQuery(statement: Sql, postgres: boolean): SqlQuery {
  const args = statement.values;
  return { sql: postgres ? statement.text : statement.sql, args, argTypes: args.map(argType) };
}

// Integers arrive as bigint (better-sqlite3) or as strings (node-postgres, for int8 such as COUNT and SUM).
const INTEGER_COLUMNS: readonly ColumnType[] = [ColumnTypeEnum.Int32, ColumnTypeEnum.Int64];
const plain = (value: unknown, type: ColumnType | undefined) =>
  typeof value === "bigint" || (typeof value === "string" && type !== undefined && INTEGER_COLUMNS.includes(type)) ? Number(value) : value;

function runner(tx: Transaction, postgres: boolean): SqlTx {
  return {
    async query<T extends SqlRow>(statement: Sql) {
      const result = await tx.queryRaw(toQuery(statement, postgres));
      return result.rows.map((row) => Object.fromEntries(result.columnNames.map((name, i) => [name, plain(row[i], result.columnTypes[i])])) as T);
    },
    execute: (statement: Sql) => tx.executeRaw(toQuery(statement, postgres)),
  };
}

const control = (sql: "COMMIT" | "ROLLBACK"): SqlQuery => ({ sql, args: [], argTypes: [] });

/**
 * Runs `work` in one transaction: committed when it returns, rolled back when it throws
 * (its error is rethrown as is). The adapter's errors are DriverAdapterError: see
 * `isUniqueViolation` and `isRetryableSqlError`.
 */
export async function sqlTransaction<T>(work: (tx: SqlTx) => Promise<T>): Promise<T> {
  const adapter = await driverAdapterOf(getDb());
  const tx = await adapter.startTransaction();
  let result: T;
  try {
    result = await work(runner(tx, dbProvider() === "postgresql"));
    await tx.executeRaw(control("COMMIT"));
  } catch (error) {
    // After a failed statement or a failed COMMIT (SQLite keeps the transaction open on a busy
    // COMMIT), roll back; if the database already did, its complaint must not hide the cause.
    await tx.executeRaw(control("ROLLBACK")).catch(() => undefined);
    await tx.rollback();
    throw error;
  }
  await tx.commit();
  return result;
}

type AdapterErrorCause = { kind?: string; code?: string };
const causeOf = (error: unknown): AdapterErrorCause | undefined =>
  error instanceof Error && error.name === "DriverAdapterError" ? (error.cause as AdapterErrorCause) : undefined;

/** A unique constraint refused the write (from this module or from Prisma's client). */
export function isUniqueViolation(error: unknown): boolean {
  return causeOf(error)?.kind === "UniqueConstraintViolation" || (error as { code?: unknown } | null)?.code === "P2002";
}

/** A conflict with a concurrent transaction that a new attempt may not meet (serialisation, deadlock, busy). */
export function isRetryableSqlError(error: unknown): boolean {
  const cause = causeOf(error);
  if (!cause) return false;
  // PostgreSQL's 40001 (serialisation) and 40P01 (deadlock); SQLite's busy database, which the
  // better-sqlite3 adapter reports as a socket timeout. Either way the transaction was rolled back.
  if (cause.kind === "TransactionWriteConflict" || cause.kind === "SocketTimeout") return true;
  if (cause.kind === "postgres") return cause.code === "40001" || cause.code === "40P01";
  return false;
}
