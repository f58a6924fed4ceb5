import { checkDatabase } from "~/modules/health/health.server";

/** For the load balancer and uptime checks: up or down, no details, never cached. */
export async function loader() {
  const ok = await checkDatabase();
  return Response.json(ok ? { status: "ok" } : { status: "error" }, {
    status: ok ? 200 : 503,
    headers: { "Cache-Control": "no-store" },
  });
}
