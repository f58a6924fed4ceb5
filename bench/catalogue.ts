/**
 * Catalogue pages benchmark (issue 3): the BUILT app in production mode, on a fresh SQLite
 * file with the demo data plus a realistic catalogue volume (3 modules, ~60 upcoming
 * sessions), measured in the same run as a bare Node `http` server answering the same
 * bytes (the reference: what this machine can do at best).
 *
 * Measured, 20 connections each, BENCH_DURATION_SECONDS (default 8) after a 2 s warm-up,
 * loopback, autocannon in this process (it takes a share of the CPU, as it would on the
 * reference run too):
 *   1. bare Node http, the /formations HTML as static bytes;
 *   2. GET /formations and 3. GET /formations/:slug as an anonymous visitor: the target;
 *   4. GET /formations as a logged-in learner, for information (never cached, no target).
 * The portal is asked as a browser asks (Accept-Encoding: gzip, deflate, br): it compresses
 * every response (brotli), which costs more than serving the page; the reference sends raw bytes.
 * LOG_LEVEL=warn: at "info" the server writes one JSON line per request, left out here.
 * Target on a 2-core machine with SQLite: ≥ 500 req/s, p95 ≤ 50 ms, p99 ≤ 100 ms.
 * Exits non-zero when a target is missed or a response is not a 2xx. Needs `npm run build`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { addCatalogueVolume, createLoggedInLearner, openBenchDb } from "./support/data";
import { machine, measure, printResults, startStaticServer, type LoadResult } from "./support/load";

const TARGET = { requestsPerSecond: 500, p95: 50, p99: 100 };
const CONNECTIONS = 20;
const UPCOMING_SESSIONS = 60;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 8);
const BROWSER = { Accept: "text/html,application/xhtml+xml", "Accept-Encoding": "gzip, deflate, br" };

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-catalogue-"));
const databaseUrl = `file:${path.join(dir, "maillon.db")}`;
let app: AppServer | undefined;
let reference: Awaited<ReturnType<typeof startStaticServer>> | undefined;
let db: Awaited<ReturnType<typeof openBenchDb>> | undefined;

// Never leave a server behind, even on Ctrl-C.
const cleanUp = async () => {
  await reference?.stop();
  await app?.stop();
  await db?.$disconnect();
  rmSync(dir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
process.once("SIGTERM", () => void cleanUp().then(() => process.exit(143)));

async function page(url: string, init: RequestInit = {}) {
  const response = await fetch(url, init);
  const html = await response.text();
  if (response.status !== 200) throw new Error(`GET ${url} answered ${response.status}: is the app built?`);
  return html;
}

function verdicts(result: LoadResult): boolean {
  const line = (ok: boolean, text: string) => {
    console.log(`  ${ok ? "PASS" : "FAIL"}  ${text}`);
    return ok;
  };
  console.log(`${result.label}:`);
  return [
    line(result.requestsPerSecond >= TARGET.requestsPerSecond, `${Math.round(result.requestsPerSecond)} req/s (target ≥ ${TARGET.requestsPerSecond})`),
    line(result.p95 <= TARGET.p95, `p95 ${result.p95.toFixed(1)} ms (target ≤ ${TARGET.p95} ms)`),
    line(result.p99 <= TARGET.p99, `p99 ${result.p99.toFixed(1)} ms (target ≤ ${TARGET.p99} ms)`),
    line(result.errors === 0 && result.non2xx === 0, `${result.errors} errors, ${result.non2xx} non-2xx responses`),
  ].every(Boolean);
}

try {
  console.log(`Machine: ${machine()}, load average ${os.loadavg().map((l) => l.toFixed(2)).join(" ")}`);
  app = await startAppServer({
    databaseUrl,
    env: { SEED_DEMO_DATA: "auto", LOG_LEVEL: "warn", MAIL_WORKER_INTERVAL_MS: "60000" },
  });
  db = await openBenchDb(databaseUrl);
  const upcoming = await addCatalogueVolume(db, UPCOMING_SESSIONS);
  const learner = await createLoggedInLearner(db, "Maëlys Le Goff");

  const catalogueUrl = `${app.url}/formations`;
  const html = await page(catalogueUrl);
  const slug = /href="\/formations\/([^"?#]+)"/.exec(html)?.[1];
  if (!slug) throw new Error("No module link on /formations.");
  const moduleUrl = `${app.url}/formations/${slug}`;
  await page(moduleUrl);
  if (!(await page(catalogueUrl, { headers: { Cookie: learner.cookie } })).includes("Se déconnecter")) {
    throw new Error("The learner's cookie does not log in: the logged-in measurement would not be one.");
  }
  const listed = html.match(/href="\/sessions\//g)?.length ?? 0;
  console.log(
    `Data: demo + catalogue volume, ${upcoming} upcoming inter sessions; /formations lists ${listed} (${Buffer.byteLength(html)} bytes). Server log level: warn.`,
  );

  reference = await startStaticServer(html);
  const options = { connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, warmupSeconds: 2 };
  const results = [
    await measure("bare Node http (same bytes)", reference.url, options),
    await measure("GET /formations", catalogueUrl, { ...options, headers: BROWSER }),
    await measure(`GET /formations/${slug}`, moduleUrl, { ...options, headers: BROWSER }),
    await measure("GET /formations, logged in (info)", catalogueUrl, { ...options, headers: { ...BROWSER, Cookie: learner.cookie } }),
  ];
  printResults(`${CONNECTIONS} connections, ${DURATION_SECONDS} s each after a 2 s warm-up, loopback; portal compressed (br)`, results);

  const [bare, catalogue, modulePage, loggedIn] = results as [LoadResult, LoadResult, LoadResult, LoadResult];
  console.log(`Targets (anonymous visitors, 2 cores, SQLite): ≥ ${TARGET.requestsPerSecond} req/s, p95 ≤ ${TARGET.p95} ms, p99 ≤ ${TARGET.p99} ms`);
  const met = [verdicts(catalogue), verdicts(modulePage)].every(Boolean);
  console.log(
    [
      `For information: /formations reaches ${((catalogue.requestsPerSecond / bare.requestsPerSecond) * 100).toFixed(1)} % of bare Node's throughput;`,
      `logged in (rendered for each request) ${Math.round(loggedIn.requestsPerSecond)} req/s, p95 ${loggedIn.p95.toFixed(1)} ms, ${loggedIn.errors + loggedIn.non2xx} errors.`,
    ].join(" "),
  );
  if (!met) process.exitCode = 1;
} finally {
  await cleanUp();
}
