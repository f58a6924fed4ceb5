/**
 * The portal's public origin is APP_URL, whatever Host the reverse proxy in front sends.
 *
 * Remix's express adapter builds the request URL from Host (or X-Forwarded-Host) and the
 * protocol, and refuses an action whose Origin header names another host ("host header does
 * not match `origin` header", a 500). A proxy that sends its own host (nginx's default
 * `Host $proxy_host`) thus broke every form. Our own Origin check (server/index.ts) has already
 * compared Origin with APP_URL, so past it the request is rewritten to the public origin: the
 * app sees the URL the visitor typed, and Remix's check compares like with like.
 */
import type { RequestHandler } from "express";

export function servedAtPublicOrigin(appUrl: string): RequestHandler {
  const publicUrl = new URL(appUrl);
  const protocol = publicUrl.protocol.replace(/:$/, "");
  return (req, _res, next) => {
    req.headers.host = publicUrl.host;
    delete req.headers["x-forwarded-host"];
    // Own properties shadow Express's getters, which would read X-Forwarded-* only from a trusted proxy.
    Object.defineProperty(req, "protocol", { value: protocol, configurable: true, enumerable: true });
    Object.defineProperty(req, "hostname", { value: publicUrl.hostname, configurable: true, enumerable: true });
    next();
  };
}

/** Browsers keep to https for a year once they have seen the portal over it (HSTS). */
export function strictTransportSecurity(appUrl: string): string | undefined {
  return new URL(appUrl).protocol === "https:" ? "max-age=31536000" : undefined;
}

/**
 * Express's `trust proxy` from TRUST_PROXY: which proxies' X-Forwarded-For gives the
 * visitor's address (login throttling counts per address). "loopback" by default: a proxy on
 * the same machine; a number trusts that many hops, a list names addresses or subnets.
 */
export function trustProxySetting(value: string): boolean | number | string {
  if (value === "true") return true;
  if (value === "false") return false;
  if (/^\d+$/.test(value)) return Number(value);
  return value;
}
