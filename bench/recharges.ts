/**
 * Recharge benchmark (issue 6): the BUILT app in production mode on a fresh SQLite file.
 *
 *   1. Issuing throughput: 50 concurrent clients, each a distinct certified member of one
 *      active relay (users, certificates and database sessions made directly), POSTing the
 *      issuing form over HTTP ISSUES_PER_CLIENT times each, for distinct beneficiaries, after
 *      an unmeasured warm-up of WARMUP_PER_CLIENT issues each (JIT, statement caches).
 *      Target: ≥ 300 issues/s, p95 reported.
 *   2. Contention: the 50 clients at once against a quota of 10 and a stock of 20 codes.
 * (The CSV import of 100,000 codes is bench/recharges-import.ts: `npm run bench -- recharges` runs both.)
 *
 * Afterwards the database is checked: balances never below zero and equal to the ledger's
 * replay, every issue has a distinct code, the contention round gave exactly 10. Any failed
 * check exits non-zero. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { createMembership, createModule } from "../tests/factories";
import { certify, createRechargeCodes, createRechargeProduct, createRelay, giveQuota } from "../tests/recharge-factories";
import { replayLedger, balanceKey } from "../app/modules/recharges/quota.rules";
import { parisMonthKey } from "../app/utils/dates";
import { createLoggedInLearner, openBenchDb } from "./support/data";
import { machine, percentile } from "./support/load";

const CLIENTS = 50;
const ISSUES_PER_CLIENT = 40;
const WARMUP_PER_CLIENT = 5;
const CONTENTION_QUOTA = 10;
const CONTENTION_STOCK = 20;

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-recharges-"));
const databaseUrl = `file:${path.join(dir, "maillon.db")}`;
let app: AppServer | undefined;
let db: Awaited<ReturnType<typeof openBenchDb>> | undefined;
const clients: { id: string; cookie: string; agent: http.Agent }[] = [];

const cleanUp = async () => {
  for (const c of clients) c.agent.destroy();
  await app?.stop();
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));

type Attempt = { ms: number; ok: boolean; refused: boolean; problem?: string };
let sequence = 0;

/** One issuing POST, as the form sends it, on the client's own keep-alive connection. */
function issue(server: AppServer, client: { cookie: string; agent: http.Agent }, productId: string): Promise<Attempt> {
  const n = ++sequence;
  const body = new URLSearchParams({ productId, reference: `BENCH-${n}`, ageBand: "", commune: "", idempotencyKey: `bench-key-${n}-${Date.now()}` }).toString();
  const start = performance.now();
  return new Promise((resolve) => {
    const headers = { Origin: server.url, Cookie: client.cookie, "Content-Type": "application/x-www-form-urlencoded", "Content-Length": Buffer.byteLength(body) };
    const request = http.request(`${server.url}/espace-relais/recharges`, { method: "POST", agent: client.agent, headers }, (response) => {
      response.resume();
      response.on("end", () => {
        const ms = performance.now() - start;
        const location = response.headers.location ?? "";
        if (response.statusCode === 302 && location.startsWith("/espace-relais/recharges/")) resolve({ ms, ok: true, refused: false });
        else if (response.statusCode === 400) resolve({ ms, ok: false, refused: true });
        else resolve({ ms, ok: false, refused: false, problem: `${response.statusCode} → ${location}` });
      });
    });
    request.on("error", (error) => resolve({ ms: performance.now() - start, ok: false, refused: false, problem: error.message }));
    request.end(body);
  });
}

const problems: string[] = [];
const check = (ok: boolean, message: string) => {
  if (!ok) problems.push(message);
};

function summary(label: string, seconds: number, attempts: Attempt[]) {
  const sorted = attempts.map((a) => a.ms).sort((a, b) => a - b);
  const ms = (p: number) => `${percentile(sorted, p).toFixed(1)} ms`;
  const issued = attempts.filter((a) => a.ok).length;
  return [label, { issued, refused: attempts.filter((a) => a.refused).length, seconds: Number(seconds.toFixed(2)), "issues/s": Math.round(issued / seconds), p50: ms(50), p95: ms(95), p99: ms(99), errors: attempts.filter((a) => !a.ok && !a.refused).length }] as const;
}

try {
  console.log(`Machine: ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  app = await startAppServer({ databaseUrl, env: { LOG_LEVEL: "warn", SEED_DEMO_DATA: "never" } });
  const server = app;
  db = await openBenchDb(databaseUrl);
  const store = db;
  const period = parisMonthKey(new Date());

  const module = await createModule(store);
  const { relay } = await createRelay(store, { requiredModuleId: module.id, beneficiaryMonthlyCeilingCents: 100_000 });
  for (let i = 0; i < CLIENTS; i++) {
    const member = await createLoggedInLearner(store);
    await createMembership(store, { userId: member.id, structureId: relay.structureId });
    await certify(store, member.id, module.id);
    clients.push({ ...member, agent: new http.Agent({ keepAlive: true, maxSockets: 1 }) });
  }
  const total = CLIENTS * ISSUES_PER_CLIENT;
  const warmup = CLIENTS * WARMUP_PER_CLIENT;
  const main = await createRechargeProduct(store, { name: "Essentielle (bench)" });
  await createRechargeCodes(store, main.id, warmup + total + 100);
  await giveQuota(store, { relayId: relay.id, productId: main.id, period, units: warmup + total });
  const scarce = await createRechargeProduct(store, { name: "Internet (bench)" });
  await createRechargeCodes(store, scarce.id, CONTENTION_STOCK);
  await giveQuota(store, { relayId: relay.id, productId: scarce.id, period, units: CONTENTION_QUOTA });
  console.log(`${CLIENTS} certified members of one relay; ${total} recharges of quota; then ${CLIENTS} at once for a quota of ${CONTENTION_QUOTA} and ${CONTENTION_STOCK} codes.`);

  const round = async (perClient: number) =>
    (await Promise.all(clients.map(async (c) => {
      const attempts: Attempt[] = [];
      for (let i = 0; i < perClient; i++) attempts.push(await issue(server, c, main.id));
      return attempts;
    }))).flat();
  const warmed = await round(WARMUP_PER_CLIENT);
  check(warmed.every((a) => a.ok), `warm-up: ${warmed.filter((a) => !a.ok).length} issues failed`);
  let start = performance.now();
  const throughput = await round(ISSUES_PER_CLIENT);
  const rows = [summary(`throughput: ${CLIENTS} clients × ${ISSUES_PER_CLIENT}`, (performance.now() - start) / 1000, throughput)];
  // Fresh connections: the server closes keep-alive sockets left idle while slower clients finished.
  for (const c of clients) {
    c.agent.destroy();
    c.agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
  }
  start = performance.now();
  const race = await Promise.all(clients.map((c) => issue(server, c, scarce.id)));
  rows.push(summary(`contention: ${CLIENTS} clients, quota ${CONTENTION_QUOTA}`, (performance.now() - start) / 1000, race));
  console.log(`\n${CLIENTS} concurrent clients over HTTP, loopback (latency: from sending the POST to its redirect)`);
  console.table(Object.fromEntries(rows));
  for (const a of [...throughput, ...race].filter((x) => !x.ok && !x.refused).slice(0, 5)) console.error(`  failed request: ${a.problem}`);

  // ── What the database holds afterwards ──
  const failedRequests = [...throughput, ...race].filter((a) => !a.ok && !a.refused).length;
  check(failedRequests === 0, `${failedRequests} requests failed`);
  check(throughput.filter((a) => a.ok).length === total, `throughput round: ${throughput.filter((a) => a.ok).length} issued, ${total} expected`);
  check(race.filter((a) => a.ok).length === CONTENTION_QUOTA, `contention round: ${race.filter((a) => a.ok).length} issued, exactly ${CONTENTION_QUOTA} expected`);
  const issues = await store.rechargeIssue.findMany({ select: { codeId: true } });
  check(new Set(issues.map((i) => i.codeId)).size === issues.length, "a code was given twice");
  const balances = await store.quotaBalance.findMany();
  check(balances.every((b) => b.balance === 0), `balances left: ${balances.map((b) => b.balance).join(", ")} (0 expected)`);
  const replayed = replayLedger(await store.quotaLedgerEntry.findMany({ orderBy: { id: "asc" } }));
  check(balances.every((b) => replayed.get(balanceKey(b)) === b.balance), "a balance differs from the ledger's replay");
  check(await store.rechargeCode.count({ where: { issuedAt: { not: null } } }) === issues.length, "codes marked issued differ from issues");

  const rate = rows[0]![1]["issues/s"];
  console.log(`Issuing: ${rate} issues/s (target ≥ 300/s), p95 ${rows[0]![1].p95}.`);
  if (problems.length > 0) {
    console.error(`\nFAIL:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    process.exitCode = 1;
  } else {
    console.log(`\nPASS: zero overshoot (balances 0 and equal to the ledger), distinct codes, exactly ${CONTENTION_QUOTA} in the race.`);
  }
} finally {
  await cleanUp();
}
