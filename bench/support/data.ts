/**
 * Data for the benchmarks, written straight into the app's database next to the running
 * server (SQLite in WAL mode takes a second process): a realistic catalogue volume, and
 * logged-in learners whose session cookies are made the way the app makes them, without
 * going through the (throttled, deliberately slow) login form.
 */
import { createCookie } from "@remix-run/node";
import { hashToken, newToken } from "../../app/modules/auth/tokens.server";
import { configureSqlite, createDb, type Db } from "../../app/utils/db.server";
import { addDays, createSession, createUser, parisDay, VENUES } from "../../tests/factories";

export async function openBenchDb(databaseUrl: string): Promise<Db> {
  const db = createDb(databaseUrl);
  await configureSqlite(db);
  return db;
}

// The app's session cookie (app/modules/auth/session.server.ts): unsigned, holds a random token.
const sessionCookie = createCookie("maillon_session", { httpOnly: true, sameSite: "lax", path: "/" });

/** A live database session of `userId`, as the Cookie header that carries it. */
export async function sessionCookieOf(db: Db, userId: string): Promise<string> {
  const token = newToken();
  const now = new Date();
  await db.authSession.create({
    data: { userId, tokenHash: hashToken(token), lastSeenAt: now, expiresAt: new Date(now.getTime() + 12 * 3600_000) },
  });
  const setCookie = await sessionCookie.serialize(token);
  return setCookie.split(";")[0]!;
}

/** A learner with a live database session, and the Cookie header that carries it. */
export async function createLoggedInLearner(db: Db, name?: string): Promise<{ id: string; email: string; cookie: string }> {
  const user = await createUser(db, { name, password: null });
  return { id: user.id, email: user.email, cookie: await sessionCookieOf(db, user.id) };
}

/**
 * Upcoming inter sessions spread over the published modules, the next months and the four
 * venues plus remote ones, some of them nearly or completely full, until `total` are upcoming.
 */
export async function addCatalogueVolume(db: Db, total: number): Promise<number> {
  const now = new Date();
  const modules = await db.module.findMany({ where: { published: true }, orderBy: { number: "asc" }, select: { id: true, priceCents: true } });
  if (modules.length === 0) throw new Error("No published module: was the demo data loaded?");
  const upcoming = () =>
    db.session.count({ where: { status: "SCHEDULED", kind: "INTER", slots: { some: {}, none: { startsAt: { lte: now } } } } });
  const venues = Object.values(VENUES);
  const today = parisDay(now);
  for (let i = (await upcoming()); i < total; i++) {
    const module = modules[i % modules.length]!;
    const remote = i % 5 === 4;
    const capacity = 8 + (i % 3) * 4;
    const session = await createSession(db, {
      moduleId: module.id,
      priceCents: module.priceCents,
      format: remote ? "REMOTE" : "IN_PERSON",
      venue: venues[i % venues.length],
      capacity,
      isFree: i % 7 === 0,
      startsOn: addDays(today, 10 + i * 3),
      days: 1 + (i % 2),
    });
    // Display only (this database is thrown away): some sessions nearly full, some full.
    await db.session.update({ where: { id: session.id }, data: { seatsTaken: (i * 5) % (capacity + 1) } });
  }
  return upcoming();
}
