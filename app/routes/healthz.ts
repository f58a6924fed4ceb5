import { healthReport } from "~/modules/health/health.server";

/**
 * For the load balancer and uptime checks: 200 while the database answers, 503 otherwise;
 * the body adds the outbox and mail worker state (counts and dates, nothing personal). Never cached.
 */
export async function loader() {
  const report = await healthReport();
  return Response.json(report, { status: report.status === "ok" ? 200 : 503, headers: { "Cache-Control": "no-store" } });
}
