/**
 * Every answer of the app is `Cache-Control: private, no-store` unless it says otherwise
 * (decision 018). Pages and files behind a login carry personal or secret data (a recharge
 * code, a roster, an export): no shared cache may keep them, and the browser must not show
 * them again from its cache on Back, Forward or after logout. Answers that may be kept say so
 * themselves: static assets, the anonymous catalogue (server/page-cache.ts), open data.
 *
 * Set when the headers are written, not before: the Remix adapter appends the route's own
 * headers, so a default set earlier would be merged with them.
 */
import type { RequestHandler } from "express";

export const PRIVATE_NO_STORE = "private, no-store";

export const privateUnlessStated = (): RequestHandler => (_req, res, next) => {
  const writeHead = res.writeHead;
  res.writeHead = function (this: typeof res, ...args: Parameters<typeof writeHead>) {
    if (!this.hasHeader("Cache-Control")) this.setHeader("Cache-Control", PRIVATE_NO_STORE);
    return writeHead.apply(this, args);
  } as typeof writeHead;
  next();
};
