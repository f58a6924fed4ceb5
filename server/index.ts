/**
 * The portal's HTTP server: checks the configuration, migrates (and seeds a fresh
 * embedded database), then serves the Remix app with one log line per request, an
 * Origin check on every state-changing request, and the mail worker in the background.
 */
import { randomBytes, randomUUID } from "node:crypto";
import path from "node:path";
import { createRequestHandler } from "@remix-run/express";
import type { ServerBuild } from "@remix-run/node";
import compression from "compression";
import express from "express";
import { isAllowedOrigin } from "../app/utils/origin.server";
import { ConfigError, getEnv } from "../app/utils/env.server";
import { assertSafeForProduction } from "../app/utils/production.server";
import { loggablePath, logger } from "../app/utils/logger.server";
import { prepareDatabase } from "./prepare-database";
import { metricsEndpoint, requestMetrics, routePatternMatcher } from "./metrics";
import { servedAtPublicOrigin, strictTransportSecurity, trustProxySetting } from "./public-origin";
import { publicPageCache } from "./page-cache";
import { privateUnlessStated } from "./cache-control";
import { onJobRun, startJobs } from "../app/utils/jobs.server";
import { observeJobRun } from "../app/modules/health/metrics.server";
import { portalJobs } from "./jobs";
import { checkoutFormOrigin } from "../app/modules/payments/payment.rules";
import { codeImportUpload } from "../app/modules/recharges/code-import.rules";
import { organisationUpload } from "../app/modules/organisation/identity.rules";
import { bodyLimit } from "./body-limit";

const dev = process.argv.includes("--dev");
if (!dev) process.env.NODE_ENV ??= "production";

let env;
try {
  env = getEnv();
  assertSafeForProduction(env);
} catch (e) {
  if (e instanceof ConfigError) {
    console.error(e.message);
    process.exit(1);
  }
  throw e;
}

await prepareDatabase(env);

const viteDevServer = dev
  ? await import("vite").then((vite) => vite.createServer({ server: { middlewareMode: true } }))
  : undefined;

// A form may be redirected to Stripe's payment page (card enrolment without JavaScript).
const formAction = ["'self'", checkoutFormOrigin(env)].filter(Boolean).join(" ");

const app = express();
app.disable("x-powered-by");
app.set("trust proxy", trustProxySetting(env.TRUST_PROXY));
const hsts = dev ? undefined : strictTransportSecurity(env.APP_URL);
app.use(compression());

app.use((req, res, next) => {
  const requestId = (req.get("x-request-id") ?? "").slice(0, 64) || randomUUID();
  const start = process.hrtime.bigint();
  res.locals.requestId = requestId;
  res.locals.nonce = randomBytes(16).toString("base64");
  res.setHeader("X-Request-Id", requestId);
  res.setHeader("X-Content-Type-Options", "nosniff");
  res.setHeader("Referrer-Policy", "same-origin");
  res.setHeader("X-Frame-Options", "DENY");
  if (hsts) res.setHeader("Strict-Transport-Security", hsts);
  if (!dev) {
    res.setHeader(
      "Content-Security-Policy",
      `default-src 'self'; script-src 'self' 'nonce-${res.locals.nonce}'; style-src 'self'; img-src 'self' data:; form-action ${formAction}; frame-ancestors 'none'; base-uri 'self'`,
    );
  }
  res.on("finish", () => {
    // The path only: query strings can carry tokens (password reset links); survey links
    // carry theirs in the path, masked.
    logger.info("request", {
      requestId,
      method: req.method,
      path: loggablePath(req.path),
      status: res.statusCode,
      ms: Number((process.hrtime.bigint() - start) / 100_000n) / 10,
    });
  });
  next();
});

// Forms are small, uploads have the limit their page announces; a huge body is refused before anything reads it.
app.use(bodyLimit({ maxBytes: 1024 * 1024, uploads: [codeImportUpload, organisationUpload] }));

// Request counts and durations by route pattern (known once the build is loaded); /metrics.
// Matching a path to its pattern costs a route-tree walk per request: done only when
// someone can read the figures (METRICS_TOKEN set).
let routePattern = (_pathname: string) => "unmatched";
if (env.METRICS_TOKEN) app.use(requestMetrics((pathname) => routePattern(pathname)));
app.use(metricsEndpoint(env.METRICS_TOKEN));

// Every state-changing request must come from our own pages (CSRF). Stripe's webhook is
// authenticated by its signature instead.
app.use((req, res, next) => {
  if (["GET", "HEAD", "OPTIONS"].includes(req.method) || req.path === "/webhooks/stripe") return next();
  if (isAllowedOrigin({ origin: req.get("origin"), referer: req.get("referer") }, env.APP_URL)) return next();
  res.status(403).type("text/plain; charset=utf-8").send("Requête refusée : elle ne provient pas de ce site (contrôle d'origine).");
});

if (viteDevServer) {
  app.use(viteDevServer.middlewares);
} else {
  const client = path.resolve("build/client");
  app.use("/assets", express.static(path.join(client, "assets"), { immutable: true, maxAge: "1y" }));
  app.use(express.static(client, { maxAge: "1h" }));
}

const build = viteDevServer
  ? () => viteDevServer.ssrLoadModule("virtual:remix/server-build") as Promise<ServerBuild>
  : ((await import(path.resolve("build/server/index.js"))) as ServerBuild);

if (typeof build !== "function") routePattern = routePatternMatcher(build.routes);

const loadContext = (req: express.Request, res: express.Response) => ({
  requestId: res.locals.requestId as string,
  nonce: res.locals.nonce as string,
  ip: req.ip ?? "unknown",
});

// Past the Origin check, the app sees the public origin whatever Host the proxy sent (server/public-origin.ts).
app.use(servedAtPublicOrigin(env.APP_URL));

// What the app answers is private and not stored unless it says otherwise (server/cache-control.ts).
app.use(privateUnlessStated());

// Anonymous visits of the catalogue, served from a one-second cache (server/page-cache.ts).
if (typeof build !== "function") app.use(publicPageCache({ build, ttlMs: 1000, nonceOf: (res) => res.locals.nonce as string, loadContext }));

app.all("*", createRequestHandler({ build, getLoadContext: loadContext }));

const server = app.listen(env.PORT, () => {
  console.log(`Maillon est prêt sur ${env.APP_URL} (port ${env.PORT}).`);
});
// Idle keep-alive connections stay open longer than a reverse proxy's (nginx keeps its own
// 60 s): with Node's 5 s, a client or proxy reusing a connection the server is closing at
// that instant gets "socket hang up" instead of an answer, most often on a busy machine.
server.keepAliveTimeout = 65_000;
server.headersTimeout = 66_000;
onJobRun(observeJobRun);
const stopJobs = startJobs(portalJobs(env));

for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.on(signal, () => {
    stopJobs();
    server.close(() => process.exit(0));
    setTimeout(() => process.exit(0), 3000).unref();
  });
}
