import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";
import { getDb, type Db } from "~/utils/db.server";

/**
 * The portal's Prometheus metrics (served on /metrics by server/metrics.ts). Request metrics
 * are labelled by route pattern ("/formations/:slug"), never by the raw path: paths carry ids
 * and tokens. The outbox figures are read from the database at each scrape, so every
 * instance reports the same queue.
 *
 * One registry per process, kept on globalThis: the Remix server build bundles its own copy
 * of this module, and both copies must count into the same registry.
 */
type Metrics = {
  registry: Registry;
  requests: Counter<"method" | "route" | "status">;
  requestDuration: Histogram<"method" | "route">;
  jobRuns: Counter<"job" | "outcome">;
  jobDuration: Histogram<"job">;
  lastJobRun: Map<string, { at: Date; outcome: string }>;
};

const GLOBAL_KEY = Symbol.for("maillon.metrics");

function createMetrics(): Metrics {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry, prefix: "maillon_" });
  const metrics: Metrics = {
    registry,
    requests: new Counter({ name: "maillon_http_requests_total", help: "HTTP requests answered, by method, route pattern and status.", labelNames: ["method", "route", "status"], registers: [registry] }),
    requestDuration: new Histogram({
      name: "maillon_http_request_duration_seconds",
      help: "Time to answer an HTTP request, by method and route pattern.",
      labelNames: ["method", "route"],
      buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
      registers: [registry],
    }),
    jobRuns: new Counter({ name: "maillon_job_runs_total", help: "Background job runs in this process, by job and outcome.", labelNames: ["job", "outcome"], registers: [registry] }),
    jobDuration: new Histogram({
      name: "maillon_job_run_duration_seconds",
      help: "Duration of background job runs in this process.",
      labelNames: ["job"],
      buckets: [0.01, 0.05, 0.1, 0.5, 1, 5, 15, 60, 300],
      registers: [registry],
    }),
    lastJobRun: new Map(),
  };
  new Gauge({
    name: "maillon_outbox_queue_length",
    help: "Mails waiting in the outbox (pending, due or scheduled for a retry).",
    registers: [registry],
    async collect() {
      this.set((await mailState()).queueLength);
    },
  });
  new Gauge({
    name: "maillon_outbox_failed_mails",
    help: "Mails the worker gave up on after every retry.",
    registers: [registry],
    async collect() {
      this.set((await mailState()).failed);
    },
  });
  new Gauge({
    name: "maillon_mail_last_sent_timestamp_seconds",
    help: "When the last mail was sent successfully (Unix time; 0: never).",
    registers: [registry],
    async collect() {
      const { lastSentAt } = await mailState();
      this.set(lastSentAt ? lastSentAt.getTime() / 1000 : 0);
    },
  });
  return metrics;
}

export function metrics(): Metrics {
  const store = globalThis as { [GLOBAL_KEY]?: Metrics };
  store[GLOBAL_KEY] ??= createMetrics();
  return store[GLOBAL_KEY];
}

/** One answered request; `route` is a pattern, never a raw path. */
export function observeRequest(input: { method: string; route: string; status: number; seconds: number }) {
  const m = metrics();
  m.requests.inc({ method: input.method, route: input.route, status: String(input.status) });
  m.requestDuration.observe({ method: input.method, route: input.route }, input.seconds);
}

/** One run of a background job (the shape the jobs registry reports: job name, outcome, milliseconds). */
export function observeJobRun(event: { job: string; outcome: string; ms: number }) {
  const m = metrics();
  m.jobRuns.inc({ job: event.job, outcome: event.outcome });
  m.jobDuration.observe({ job: event.job }, event.ms / 1000);
  // A skip (the previous run still going, or another instance holding the job) is not a run:
  // the health page keeps saying how the last real run ended.
  if (event.outcome === "done" || event.outcome === "failed") m.lastJobRun.set(event.job, { at: new Date(), outcome: event.outcome });
}

export const lastJobRun = (job: string) => metrics().lastJobRun.get(job);

export type MailState = { queueLength: number; failed: number; lastSentAt: Date | null; oldestPendingSince: Date | null };

// One scrape reads three gauges: they share one read of the outbox.
let pendingRead: { at: number; state: Promise<MailState> } | undefined;

/** The outbox as counts and dates only (no address, subject or content). */
export function mailState(db?: Db): Promise<MailState> {
  if (!db && pendingRead && Date.now() - pendingRead.at < 500) return pendingRead.state;
  const client = db ?? getDb();
  const state = (async () => {
    const [queueLength, failed, lastSent, oldestPending] = await Promise.all([
      client.outboxMail.count({ where: { status: "PENDING" } }),
      client.outboxMail.count({ where: { status: "FAILED" } }),
      client.outboxMail.aggregate({ where: { status: "SENT" }, _max: { sentAt: true } }),
      client.outboxMail.aggregate({ where: { status: "PENDING" }, _min: { createdAt: true } }),
    ]);
    return { queueLength, failed, lastSentAt: lastSent._max.sentAt, oldestPendingSince: oldestPending._min.createdAt };
  })();
  if (!db) {
    pendingRead = { at: Date.now(), state };
    state.catch(() => (pendingRead = undefined));
  }
  return state;
}
