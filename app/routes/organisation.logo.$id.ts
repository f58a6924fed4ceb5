import type { LoaderFunctionArgs } from "@remix-run/node";
import { readLogo } from "~/modules/organisation/identity.server";

/**
 * GET /organisation/logo/:id: a version's logo. Public (it is on public pages) and immutable
 * (a new logo is a new version, so a new address). An SVG is sandboxed: even a script that
 * slipped past the upload check would not run.
 */
export async function loader({ params }: LoaderFunctionArgs) {
  const logo = await readLogo(params.id ?? "");
  if (!logo) throw new Response("Logo introuvable.", { status: 404, headers: { "Content-Type": "text/plain; charset=utf-8" } });
  return new Response(new Uint8Array(logo.bytes), {
    headers: {
      "Content-Type": logo.type,
      "Cache-Control": "public, max-age=31536000, immutable",
      "Content-Security-Policy": "default-src 'none'; style-src 'unsafe-inline'; sandbox",
      "X-Content-Type-Options": "nosniff",
    },
  });
}
