/**
 * A short-lived shared cache of the rendered HTML of the public catalogue pages, for
 * anonymous visitors only (docs/decisions/006-catalogue-page-cache.md).
 *
 * - Only GET requests for `/`, `/formations` and `/formations/:slug` that carry no Cookie
 *   and no Authorization header. Anyone with a cookie (a session, a flash message, anything)
 *   goes to Remix as before: a logged-in page is never stored nor served from here.
 * - Only 200 HTML responses without Set-Cookie are stored, keyed by path and query, for
 *   `ttlMs` (seats left are at most that stale), at most `maxEntries` of them.
 * - The page is rendered for a neutral anonymous request (no header of the visitor's), so
 *   what is stored does not depend on who triggered the render.
 * - CSP nonce: the page is rendered with one fresh random nonce, and every response replaces
 *   it with that response's own nonce (the one in its CSP header): no nonce is ever served twice.
 * - Concurrent misses for one URL wait for a single render (single flight).
 */
import { createRequestHandler, type AppLoadContext, type ServerBuild } from "@remix-run/node";
import type { NextFunction, Request, RequestHandler, Response } from "express";

// Not Remix's data requests (`/formations/x.data`, single fetch): they are not pages.
export const PUBLIC_PAGE = /^\/(?:formations(?:\/(?![^/]*\.data$)[^/]+)?)?$/;
const MAX_CACHED_URL_LENGTH = 256;
// Headers of the rendered response that belong to one transfer, not to the page.
const TRANSFER_HEADERS = new Set(["content-length", "content-encoding", "transfer-encoding", "connection", "keep-alive", "date"]);

type Entry = { parts: string[]; headers: [string, string][]; expiresAt: number };
type Render = { entry: Entry | null; response: globalThis.Response; body: Buffer };

export type PageCacheOptions = {
  build: ServerBuild;
  ttlMs?: number;
  maxEntries?: number;
  /** The nonce of this response (set earlier in the chain, in its CSP header). */
  nonceOf: (res: Response) => string;
  loadContext: (req: Request, res: Response) => AppLoadContext;
};

export function isCacheableRequest(req: Pick<Request, "method" | "path" | "originalUrl" | "headers" | "query">): boolean {
  return (
    req.method === "GET" &&
    PUBLIC_PAGE.test(req.path) &&
    !req.headers.cookie &&
    !req.headers.authorization &&
    req.query._data === undefined &&
    req.originalUrl.length <= MAX_CACHED_URL_LENGTH
  );
}

export function publicPageCache({ build, ttlMs = 1000, maxEntries = 100, nonceOf, loadContext }: PageCacheOptions): RequestHandler {
  const handle = createRequestHandler(build, "production");
  const entries = new Map<string, Entry>();
  const inFlight = new Map<string, Promise<Render>>();

  function store(key: string, entry: Entry) {
    entries.delete(key);
    if (entries.size >= maxEntries) {
      const now = Date.now();
      for (const [k, e] of entries) if (e.expiresAt <= now) entries.delete(k);
      // Still full: drop the oldest (a Map iterates in insertion order).
      while (entries.size >= maxEntries) entries.delete(entries.keys().next().value!);
    }
    entries.set(key, entry);
  }

  async function render(req: Request, res: Response, key: string, nonce: string): Promise<Render> {
    const url = `${req.protocol}://${req.get("host") ?? "localhost"}${req.originalUrl}`;
    const response = await handle(new globalThis.Request(url, { headers: { accept: "text/html" } }), { ...loadContext(req, res), nonce });
    const body = Buffer.from(await response.arrayBuffer());
    const cacheable =
      response.status === 200 && !response.headers.has("set-cookie") && (response.headers.get("content-type") ?? "").startsWith("text/html");
    if (!cacheable) return { entry: null, response, body };
    const entry: Entry = {
      parts: body.toString("utf8").split(nonce),
      headers: [...response.headers.entries()].filter(([name]) => !TRANSFER_HEADERS.has(name)),
      expiresAt: Date.now() + ttlMs,
    };
    store(key, entry);
    return { entry, response, body };
  }

  function send(res: Response, entry: Entry, nonce: string, state: "hit" | "miss") {
    for (const [name, value] of entry.headers) res.append(name, value);
    res.setHeader("X-Page-Cache", state);
    res.status(200).send(entry.parts.join(nonce));
  }

  function sendUncached(res: Response, { response, body }: Render) {
    for (const [name, value] of response.headers.entries()) if (!TRANSFER_HEADERS.has(name) && name !== "set-cookie") res.append(name, value);
    for (const cookie of response.headers.getSetCookie()) res.append("Set-Cookie", cookie);
    res.setHeader("X-Page-Cache", "bypass");
    res.status(response.status).send(body);
  }

  return async (req: Request, res: Response, next: NextFunction) => {
    if (!PUBLIC_PAGE.test(req.path)) return next();
    // The same URL answers differently with a session cookie, and each answer carries its
    // own nonce: no shared cache (proxy, CDN) may keep it. A signed-in page shows who is
    // signed in: it gets the app's default, private and not stored (server/cache-control.ts).
    res.vary("Cookie");
    if (!isCacheableRequest(req)) {
      res.setHeader("X-Page-Cache", "bypass");
      return next();
    }
    res.setHeader("Cache-Control", "private, no-cache");
    const key = req.originalUrl;
    const nonce = nonceOf(res);
    const cached = entries.get(key);
    if (cached && cached.expiresAt > Date.now()) return send(res, cached, nonce, "hit");

    const pending = inFlight.get(key);
    if (pending) {
      // Another request is rendering this page: use its result, with this response's nonce.
      const result = await pending.catch(() => null);
      if (result?.entry) return send(res, result.entry, nonce, "hit");
      res.setHeader("X-Page-Cache", "bypass");
      return next();
    }
    const rendering = render(req, res, key, nonce).finally(() => inFlight.delete(key));
    inFlight.set(key, rendering);
    try {
      const result = await rendering;
      if (result.entry) send(res, result.entry, nonce, "miss");
      else sendUncached(res, result);
    } catch (error) {
      next(error);
    }
  };
}
