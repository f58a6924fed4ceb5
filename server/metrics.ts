/**
 * Request metrics and the /metrics endpoint (Prometheus text format, app/modules/health/metrics.server.ts).
 * /metrics exists only when METRICS_TOKEN is set, and answers only to `Authorization: Bearer <token>`.
 */
import { createHash, timingSafeEqual } from "node:crypto";
import { matchRoutes, type AgnosticRouteObject } from "@remix-run/router";
import type { ServerBuild } from "@remix-run/node";
import type { RequestHandler } from "express";
import { metrics, observeRequest } from "../app/modules/health/metrics.server";

/**
 * The route pattern a path is served by ("/formations/:slug"), as Remix matches it, for
 * labels that never carry ids or tokens. Single-fetch data requests ("/x.data") count as
 * their page; static files as "static"; anything else as "unmatched".
 */
export function routePatternMatcher(routes: ServerBuild["routes"]): (pathname: string) => string {
  const byParent = new Map<string | undefined, ServerBuild["routes"][string][]>();
  for (const route of Object.values(routes)) byParent.set(route.parentId, [...(byParent.get(route.parentId) ?? []), route]);
  const tree = (parentId: string | undefined): AgnosticRouteObject[] =>
    (byParent.get(parentId) ?? []).map((r) =>
      r.index ? { id: r.id, index: true, path: r.path } : { id: r.id, path: r.path, children: tree(r.id) },
    );
  const routeTree = tree(undefined);
  return (pathname) => {
    if (pathname.startsWith("/assets/")) return "static";
    const page = pathname === "/_root.data" ? "/" : pathname.replace(/\.data$/, "");
    const matches = matchRoutes(routeTree, page);
    if (!matches?.length) return "unmatched";
    const last = matches.at(-1)!;
    if (last.route.path === undefined && !last.route.index && matches.length === 1) return "unmatched";
    const segments = matches.map((m) => m.route.path).filter((p): p is string => !!p);
    return `/${segments.join("/")}`.replace(/\/+/g, "/");
  };
}

/** Counts every answered request under its route pattern. */
export function requestMetrics(patternOf: (pathname: string) => string): RequestHandler {
  return (req, res, next) => {
    const start = process.hrtime.bigint();
    res.on("finish", () => {
      const route = req.path === "/metrics" ? "/metrics" : patternOf(req.path);
      observeRequest({ method: req.method, route, status: res.statusCode, seconds: Number(process.hrtime.bigint() - start) / 1e9 });
    });
    next();
  };
}

const digest = (text: string) => createHash("sha256").update(text, "utf8").digest();

/** GET /metrics: 404 without METRICS_TOKEN, 401 without the right bearer token, never cached. */
export function metricsEndpoint(token: string | undefined): RequestHandler {
  return async (req, res, next) => {
    if (req.path !== "/metrics") return next();
    res.setHeader("Cache-Control", "no-store");
    if (!token) return void res.status(404).type("text/plain; charset=utf-8").send("Page introuvable.");
    const given = /^Bearer (.+)$/i.exec(req.get("authorization") ?? "")?.[1] ?? "";
    if (!timingSafeEqual(digest(given), digest(token))) {
      res.setHeader("WWW-Authenticate", 'Bearer realm="metrics"');
      return void res.status(401).type("text/plain; charset=utf-8").send("Jeton d'accès aux métriques manquant ou invalide.");
    }
    if (req.method !== "GET" && req.method !== "HEAD") return void res.status(405).setHeader("Allow", "GET, HEAD").end();
    try {
      const registry = metrics().registry;
      res.status(200).type(registry.contentType).send(await registry.metrics());
    } catch (error) {
      next(error);
    }
  };
}
