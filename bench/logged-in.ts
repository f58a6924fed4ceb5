/**
 * Logged-in pages benchmark (issue 16): the BUILT app in production mode, on a fresh SQLite
 * file with the demo data plus the catalogue volume of bench/catalogue.ts, each page asked by
 * its demo role over 20 distinct database sessions (each request carries the next session's
 * cookie), next to a bare Node `http` server answering the same bytes.
 *
 *   a learner's /mon-espace and /formations, the trainer's /formateur, staff's
 *   /admin/sessions, a certified relay worker's /espace-relais.
 *
 * 20 connections, BENCH_DURATION_SECONDS (default 8) after a 2 s warm-up, loopback,
 * autocannon in this process. Responses are compressed as a browser asks (br). Nothing is
 * cached: each response is rendered for its request. LOG_LEVEL=warn.
 * Target on a 2-core machine with SQLite: ≥ 300 req/s and p95 ≤ 100 ms for each page.
 * Exits non-zero when a target is missed or a response is not a 2xx. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { addCatalogueVolume, openBenchDb, sessionCookieOf } from "./support/data";
import { machine, measure, printResults, startStaticServer, type LoadResult } from "./support/load";

const TARGET = { requestsPerSecond: 300, p95: 100 };
const CONNECTIONS = 20;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 8);
const BROWSER = { Accept: "text/html,application/xhtml+xml", "Accept-Encoding": "gzip, deflate, br" };

// Demo accounts of prisma/seed.ts, and what each one's page must show to be the real page.
const PAGES = [
  { email: "stagiaire@maillon.localhost", path: "/mon-espace", shows: "Mes inscriptions" },
  { email: "stagiaire@maillon.localhost", path: "/formations", shows: "Se déconnecter" },
  { email: "formatrice@maillon.localhost", path: "/formateur", shows: "Se déconnecter" },
  { email: "admin@maillon.localhost", path: "/admin/sessions", shows: "Se déconnecter" },
  { email: "minh-khai.nguyen@maillon.localhost", path: "/espace-relais", shows: "Se déconnecter" },
];

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-logged-in-"));
const databaseUrl = `file:${path.join(dir, "maillon.db")}`;
let app: AppServer | undefined;
let reference: Awaited<ReturnType<typeof startStaticServer>> | undefined;
let db: Awaited<ReturnType<typeof openBenchDb>> | undefined;

const cleanUp = async () => {
  await reference?.stop();
  await app?.stop();
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
process.once("SIGTERM", () => void cleanUp().then(() => process.exit(143)));

try {
  console.log(`Machine: ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  app = await startAppServer({ databaseUrl, env: { SEED_DEMO_DATA: "auto", LOG_LEVEL: "warn", MAIL_WORKER_INTERVAL_MS: "60000" } });
  db = await openBenchDb(databaseUrl);
  await addCatalogueVolume(db, 60);

  const options = { connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, warmupSeconds: 2, headers: BROWSER };
  const runs: { label: string; url: string; cookies: string[] }[] = [];
  let sampleHtml = "";
  for (const page of PAGES) {
    const user = await db.user.findUniqueOrThrow({ where: { email: page.email }, select: { id: true } });
    const cookies = await Promise.all(Array.from({ length: CONNECTIONS }, () => sessionCookieOf(db!, user.id)));
    const url = `${app.url}${page.path}`;
    const response = await fetch(url, { headers: { Cookie: cookies[0]! }, redirect: "manual" });
    const html = await response.text();
    if (response.status !== 200 || !html.includes(page.shows)) {
      throw new Error(`${page.email} on ${page.path} answered ${response.status} without "${page.shows}": the measurement would not be of that page.`);
    }
    if (page.path === "/formations") sampleHtml = html;
    runs.push({ label: `GET ${page.path} (${page.email.split("@")[0]})`, url, cookies });
  }

  reference = await startStaticServer(sampleHtml);
  const results: LoadResult[] = [await measure("bare Node http (the /formations bytes)", reference.url, { ...options, headers: {} })];
  for (const run of runs) results.push(await measure(run.label, run.url, { ...options, cookies: run.cookies }));
  printResults(`${CONNECTIONS} connections over ${CONNECTIONS} sessions, ${DURATION_SECONDS} s each after a 2 s warm-up, loopback; portal compressed (br)`, results);

  console.log(`Targets (each logged-in page, 2 cores, SQLite): ≥ ${TARGET.requestsPerSecond} req/s, p95 ≤ ${TARGET.p95} ms`);
  let met = true;
  for (const result of results.slice(1)) {
    const ok = result.requestsPerSecond >= TARGET.requestsPerSecond && result.p95 <= TARGET.p95 && result.errors === 0 && result.non2xx === 0;
    met &&= ok;
    console.log(
      `  ${ok ? "PASS" : "FAIL"}  ${result.label}: ${Math.round(result.requestsPerSecond)} req/s, p95 ${result.p95.toFixed(1)} ms, ${result.errors + result.non2xx} errors`,
    );
  }
  if (!met) process.exitCode = 1;
} finally {
  await cleanUp();
}
