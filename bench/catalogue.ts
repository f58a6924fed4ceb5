/**
 * Catalogue page benchmark: GET /formations on the BUILT app (production mode, a fresh
 * SQLite database with the demo data), against a bare Node `http` server returning the
 * same page as static bytes, measured in the same run on the same machine.
 *
 * Settings: 20 connections, 10 s measured after a 2 s warm-up, loopback only, no
 * compression asked (autocannon sends no Accept-Encoding). LOG_LEVEL=warn: at the default
 * "info" level the server writes one JSON line per request, which is part of the cost in
 * production; the figures here leave it out.
 * Target (issue 3, 2-core machine, SQLite): ≥ 500 req/s, p95 ≤ 50 ms, p99 ≤ 100 ms.
 * Needs `npm run build` first.
 */
import { mkdtempSync, rmSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { startAppServer, type AppServer } from "../tests/support/app-server";
import { machine, measure, printResults, startStaticServer } from "./support/load";

const TARGET = { requestsPerSecond: 500, p95: 50, p99: 100 };
const CONNECTIONS = 20;
const DURATION_SECONDS = Number(process.env.BENCH_DURATION_SECONDS ?? 10);

const dir = mkdtempSync(path.join(os.tmpdir(), "maillon-bench-catalogue-"));
let app: AppServer | undefined;
let reference: Awaited<ReturnType<typeof startStaticServer>> | undefined;

// Never leave a server behind, even on Ctrl-C.
const cleanUp = async () => {
  await reference?.stop();
  await app?.stop();
  rmSync(dir, { recursive: true, force: true });
};
process.once("SIGINT", () => void cleanUp().then(() => process.exit(130)));
process.once("SIGTERM", () => void cleanUp().then(() => process.exit(143)));

try {
  console.log(`Machine: ${machine()}`);
  app = await startAppServer({
    databaseUrl: `file:${path.join(dir, "maillon.db")}`,
    env: { SEED_DEMO_DATA: "auto", LOG_LEVEL: "warn", MAIL_WORKER_INTERVAL_MS: "60000", MAIL_CAPTURE_DIR: path.join(dir, "mails") },
  });
  const pageUrl = `${app.url}/formations`;
  const first = await fetch(pageUrl);
  const html = await first.text();
  if (!first.ok || !html.includes("Nos formations")) throw new Error(`GET /formations answered ${first.status}: is the catalogue built?`);
  const sessionLinks = html.match(/href="\/sessions\//g)?.length ?? 0;
  console.log(`GET /formations: ${Buffer.byteLength(html)} bytes, ${sessionLinks} session(s) listed (demo data). Server log level: warn.`);

  reference = await startStaticServer(html);

  const options = { connections: CONNECTIONS, durationSeconds: DURATION_SECONDS, warmupSeconds: 2 };
  const results = [await measure("bare Node http (same HTML)", reference.url, options), await measure("Maillon GET /formations", pageUrl, options)];
  printResults(`${CONNECTIONS} connections, ${DURATION_SECONDS} s each, loopback`, results);

  const portal = results[1]!;
  const verdict = (ok: boolean) => (ok ? "met" : "NOT met");
  console.log(
    [
      `Target on SQLite: ≥ ${TARGET.requestsPerSecond} req/s, p95 ≤ ${TARGET.p95} ms, p99 ≤ ${TARGET.p99} ms.`,
      `  req/s ${Math.round(portal.requestsPerSecond)}: ${verdict(portal.requestsPerSecond >= TARGET.requestsPerSecond)}`,
      `  p95 ${portal.p95.toFixed(1)} ms: ${verdict(portal.p95 <= TARGET.p95)}`,
      `  p99 ${portal.p99.toFixed(1)} ms: ${verdict(portal.p99 <= TARGET.p99)}`,
      `  portal / bare Node throughput: ${((portal.requestsPerSecond / results[0]!.requestsPerSecond) * 100).toFixed(1)} %`,
    ].join("\n"),
  );
  if (portal.errors > 0 || portal.non2xx > 0) {
    console.error(`The portal answered ${portal.non2xx} non-2xx responses and ${portal.errors} errors: the figures are not valid.`);
    process.exitCode = 1;
  }
} finally {
  await cleanUp();
}
