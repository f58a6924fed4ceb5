/**
 * Enrolment benchmark (issue 3): the BUILT app in production mode on a fresh SQLite file,
 * 50 concurrent clients, each a distinct logged-in learner (users and database sessions
 * made directly: the login form is throttled and slow on purpose), POSTing the session
 * page's enrolment form over HTTP with the Origin a browser sends.
 *
 *   1. Throughput: each client enrols in every one of SESSIONS sessions (capacity 60, so
 *      every enrolment takes a seat), in its own random order.
 *   2. Contention: the 50 clients at once for the last LAST_SEATS seats of one session.
 *
 * Each enrolment is one write transaction (seat, enrolment, convocation mail with its
 * calendar in the outbox, audit row); the mail worker runs at its default pace (every 2 s,
 * mail captured to files). Afterwards the database is checked: no session holds more
 * seats than its capacity, its seat counter matches its seat-holding enrolments, nobody
 * holds two seats in one session, the race gave exactly LAST_SEATS seats and distinct
 * waiting-list ranks, and every enrolment has its audit row and its mail. Any failed check
 * or failed request exits non-zero. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { createModule, createSession } from "../tests/factories";
import { createLoggedInLearner, openBenchDb } from "./support/data";
import { machine, percentile } from "./support/load";

const CLIENTS = 50;
const SESSIONS = 8;
const CAPACITY = 60;
const LAST_SEATS = 5;
const SEAT_HOLDING = ["CONFIRMED", "PENDING_PAYMENT", "OFFERED"] as const;

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-enrolment-"));
const databaseUrl = `file:${path.join(dir, "maillon.db")}`;
let app: AppServer | undefined;
let db: Awaited<ReturnType<typeof openBenchDb>> | undefined;
const learners: { id: string; cookie: string; agent: http.Agent }[] = [];

const cleanUp = async () => {
  for (const learner of learners) learner.agent.destroy();
  await app?.stop();
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
process.once("SIGTERM", () => void cleanUp().then(() => process.exit(143)));

type Attempt = { ms: number; ok: boolean; problem?: string };
type Round = { label: string; seconds: number; attempts: Attempt[] };

/**
 * One enrolment POST, as the session page's form sends it, on the client's own keep-alive
 * connection (a browser per learner). node:http rather than fetch: undici's shared pool
 * served some clients seconds late while others went on, which measured the client.
 */
function enrol(server: AppServer, client: { cookie: string; agent: http.Agent }, sessionId: string): Promise<Attempt> {
  const start = performance.now();
  const body = new URLSearchParams({ funding: "OPCO" }).toString();
  return new Promise((resolve) => {
    const headers = { Origin: server.url, Cookie: client.cookie, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) };
    const request = http.request(`${server.url}/sessions/${sessionId}/inscription`, { method: "POST", agent: client.agent, headers }, (response) => {
      response.resume();
      response.on("end", () => {
        const ms = performance.now() - start;
        // Success (a seat or the waiting list) goes to the learner space; a refusal back to the session.
        const location = response.headers.location;
        if (response.statusCode === 302 && location === "/mon-espace") resolve({ ms, ok: true });
        else resolve({ ms, ok: false, problem: `${response.statusCode} → ${location ?? "no Location"}` });
      });
    });
    request.on("error", (error) => resolve({ ms: performance.now() - start, ok: false, problem: error.message }));
    request.end(body);
  });
}

function shuffled<T>(items: readonly T[]): T[] {
  const copy = [...items];
  for (let i = copy.length - 1; i > 0; i--) {
    const j = Math.floor(Math.random() * (i + 1));
    [copy[i], copy[j]] = [copy[j]!, copy[i]!];
  }
  return copy;
}

function report(rounds: Round[]) {
  console.table(
    Object.fromEntries(
      rounds.map(({ label, seconds, attempts }) => {
        const sorted = attempts.map((a) => a.ms).sort((a, b) => a - b);
        const ms = (p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
        return [
          label,
          {
            enrolments: attempts.filter((a) => a.ok).length,
            seconds: Number(seconds.toFixed(2)),
            "enrolments/s": Math.round(attempts.filter((a) => a.ok).length / seconds),
            p50: ms(50),
            p95: ms(95),
            p99: ms(99),
            max: `${(sorted.at(-1) ?? Number.NaN).toFixed(1)} ms`,
            errors: attempts.filter((a) => !a.ok).length,
          },
        ];
      }),
    ),
  );
}

const problems: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok) problems.push(message);
};

try {
  console.log(`Machine: ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  app = await startAppServer({ databaseUrl, env: { LOG_LEVEL: "warn", MAIL_WORKER_INTERVAL_MS: "2000" } });
  const server = app;
  db = await openBenchDb(databaseUrl);
  const store = db;

  const module = await createModule(store, { priceCents: 25_000 });
  const sessions: { id: string }[] = [];
  for (let i = 0; i < SESSIONS; i++) sessions.push(await createSession(store, { moduleId: module.id, capacity: CAPACITY, priceCents: 25_000 }));
  const raced = await createSession(store, { moduleId: module.id, capacity: CAPACITY, priceCents: 25_000 });
  // Only the last seats left: the others are held (counted as the app counts them).
  await store.session.update({ where: { id: raced.id }, data: { capacity: LAST_SEATS } });
  for (let i = 0; i < CLIENTS; i++) learners.push({ ...(await createLoggedInLearner(store)), agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
  console.log(`${CLIENTS} logged-in learners; ${SESSIONS} sessions of ${CAPACITY} seats; 1 session with ${LAST_SEATS} seats left. Mail worker every 2 s.`);

  const rounds: Round[] = [];
  let start = performance.now();
  const throughput = await Promise.all(
    learners.map(async (learner) => {
      const attempts: Attempt[] = [];
      for (const session of shuffled(sessions)) attempts.push(await enrol(server, learner, session.id));
      return attempts;
    }),
  );
  rounds.push({ label: `throughput: ${CLIENTS} clients × ${SESSIONS} sessions`, seconds: (performance.now() - start) / 1000, attempts: throughput.flat() });

  start = performance.now();
  const race = await Promise.all(learners.map((learner) => enrol(server, learner, raced.id)));
  rounds.push({ label: `contention: ${CLIENTS} clients, ${LAST_SEATS} seats`, seconds: (performance.now() - start) / 1000, attempts: race });

  console.log(`\n${CLIENTS} concurrent clients over HTTP, loopback (latency: from sending the POST to its redirect)`);
  report(rounds);
  for (const attempt of rounds.flatMap((r) => r.attempts).filter((a) => !a.ok).slice(0, 5)) console.error(`  failed request: ${attempt.problem}`);

  // ── What the database holds afterwards ──
  const all = [...sessions, raced];
  for (const s of await store.session.findMany({ where: { id: { in: all.map((x) => x.id) } }, select: { id: true, capacity: true, seatsTaken: true } })) {
    const held = await store.enrolment.count({ where: { sessionId: s.id, status: { in: [...SEAT_HOLDING] } } });
    check(s.seatsTaken <= s.capacity, `session ${s.id}: ${s.seatsTaken} seats taken for a capacity of ${s.capacity}`);
    check(held <= s.capacity, `session ${s.id}: ${held} seat-holding enrolments for a capacity of ${s.capacity}`);
    check(held === s.seatsTaken, `session ${s.id}: seat counter ${s.seatsTaken} but ${held} seat-holding enrolments`);
  }
  const doubles = await store.enrolment.groupBy({ by: ["sessionId", "userId"], where: { sessionId: { in: all.map((x) => x.id) } }, _count: { _all: true } });
  check(
    doubles.every((d) => d._count._all === 1),
    `someone holds two enrolments in one session (${doubles.filter((d) => d._count._all > 1).length} pairs)`,
  );
  const confirmed = await store.enrolment.count({ where: { sessionId: { in: sessions.map((s) => s.id) }, status: "CONFIRMED" } });
  check(confirmed === CLIENTS * SESSIONS, `throughput round: ${confirmed} confirmed enrolments, ${CLIENTS * SESSIONS} expected`);
  const raceRows = await store.enrolment.findMany({ where: { sessionId: raced.id }, select: { status: true, waitlistRank: true } });
  const seated = raceRows.filter((e) => (SEAT_HOLDING as readonly string[]).includes(e.status)).length;
  const ranks = raceRows.filter((e) => e.status === "WAITLISTED").map((e) => e.waitlistRank);
  check(seated === LAST_SEATS, `contention round: ${seated} seats given, exactly ${LAST_SEATS} expected`);
  check(ranks.length === CLIENTS - LAST_SEATS, `contention round: ${ranks.length} on the waiting list, ${CLIENTS - LAST_SEATS} expected`);
  check(new Set(ranks).size === ranks.length && ranks.every((r) => r !== null), "contention round: waiting-list ranks are not distinct");
  const enrolmentIds = (await store.enrolment.findMany({ where: { sessionId: { in: all.map((x) => x.id) } }, select: { id: true } })).map((e) => e.id);
  const audited = await store.auditLog.count({ where: { entityType: "Enrolment", entityId: { in: enrolmentIds } } });
  check(audited === enrolmentIds.length, `${audited} audit rows for ${enrolmentIds.length} enrolments`);
  const mails = await store.outboxMail.count();
  check(mails === enrolmentIds.length, `${mails} mails in the outbox for ${enrolmentIds.length} enrolments`);
  const failedRequests = rounds.flatMap((r) => r.attempts).filter((a) => !a.ok).length;
  check(failedRequests === 0, `${failedRequests} requests failed`);

  if (problems.length > 0) {
    console.error(`\nFAIL: the database or the answers are wrong:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(
      `\nPASS: seats never exceed capacity, counters match, nobody holds two seats, ${LAST_SEATS} seats for ${CLIENTS} racers with distinct waiting-list ranks, every enrolment audited and mailed.`,
    );
  }
} finally {
  await cleanUp();
}
