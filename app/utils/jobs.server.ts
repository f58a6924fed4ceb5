import { randomBytes } from "node:crypto";
import { withTryAdvisoryLock } from "./advisory-lock.server";
import { dbProvider, getDb } from "./db.server";
import { logger } from "./logger.server";

/**
 * The background jobs' one home. A domain exports the job's function; `server/jobs.ts` lists
 * the jobs and their schedules; this runs them:
 * - one run at a time per process (a tick that finds the previous run going is skipped);
 * - at most RUN_SLOTS runs of any jobs at once per process: on PostgreSQL each run holds a
 *   pooled connection for its lock while its work needs others, so jobs ticking together
 *   must never take the whole pool (twelve did, and waited on each other for ever);
 * - on PostgreSQL, one run at a time across every process on the database: each run first
 *   takes the job's advisory lock (pg_try_advisory_xact_lock) and is skipped if another
 *   instance holds it. On SQLite the portal is one process (decision 024).
 * Each item a job touches is still claimed by a conditional update (mail, offers, reminders):
 * the lock keeps instances from doing the same sweep at once, the claims keep any item from
 * being handled twice even if two runs met.
 */
export type Job = {
  name: string;
  intervalMs: number;
  /** Delay before the first run (default: one interval). */
  firstRunMs?: number;
  /** What the run did, for the log ({ sent: 3 }); a run with only zeros logs at debug level. */
  run: (now: Date) => Promise<Record<string, number> | void>;
};

export type JobOutcome = "done" | "failed" | "skipped_running" | "skipped_locked";
export type JobRunEvent = { job: string; instance: string; outcome: JobOutcome; startedAt: Date; ms: number; result?: Record<string, number> };
export type JobStats = Record<JobOutcome, number> & { lastRunAt?: Date; lastSuccessAt?: Date };

/** This process, as the logs name it (two instances of the portal are told apart). */
export const instanceId = `${process.pid}-${randomBytes(3).toString("hex")}`;

/** Counts per job since start, for health and metrics pages. */
export const jobRuns = new Map<string, JobStats>();

const listeners = new Set<(event: JobRunEvent) => void>();
/** Called after every tick of every job (done, failed or skipped); returns an unsubscribe function. */
export function onJobRun(listener: (event: JobRunEvent) => void): () => void {
  listeners.add(listener);
  return () => listeners.delete(listener);
}

function record(event: JobRunEvent) {
  const stats = jobRuns.get(event.job) ?? { done: 0, failed: 0, skipped_running: 0, skipped_locked: 0 };
  stats[event.outcome]++;
  if (event.outcome === "done" || event.outcome === "failed") stats.lastRunAt = event.startedAt;
  if (event.outcome === "done") stats.lastSuccessAt = event.startedAt;
  jobRuns.set(event.job, stats);
  const worked = event.result && Object.values(event.result).some((n) => n > 0);
  const fields = { job: event.job, instance: event.instance, outcome: event.outcome, startedAt: event.startedAt.toISOString(), ms: event.ms, ...event.result };
  if (event.outcome === "failed") logger.error("job.run", fields);
  else if (worked) logger.info("job.run", fields);
  else logger.debug("job.run", fields);
  for (const listener of listeners) listener(event);
}

// A failed run's message may quote an address (an SMTP reply): the log keeps it masked.
const describe = (error: unknown) =>
  (error instanceof Error ? error.message : String(error)).replace(/[^\s<>()[\]"',;:]+@[^\s<>()[\]"',;:]+/g, "[adresse masquée]").slice(0, 300);

/** Runs of jobs at once in this process; the others wait their turn (the pool holds 10 connections by default). */
export const RUN_SLOTS = 2;
let freeSlots = RUN_SLOTS;
const waitingForSlot: (() => void)[] = [];
async function takeSlot() {
  if (freeSlots > 0) {
    freeSlots--;
    return;
  }
  await new Promise<void>((resolve) => waitingForSlot.push(resolve));
}
function releaseSlot() {
  const next = waitingForSlot.shift();
  if (next) next();
  else freeSlots++;
}

/** One guarded tick of `job`: the overlap guard, then the lock on PostgreSQL. Exported for tests. */
export function guardedRunner(job: Job, options: { lock: boolean }) {
  let running = false;
  return async function tick(): Promise<JobOutcome> {
    // For a run: when its work began (the lock held) and how long it took; for a skip: the tick.
    let startedAt = new Date();
    const done = (outcome: JobOutcome, result?: Record<string, number>) => {
      record({ job: job.name, instance: instanceId, outcome, startedAt, ms: Date.now() - startedAt.getTime(), ...(result ? { result } : {}) });
      return outcome;
    };
    if (running) return done("skipped_running");
    running = true;
    await takeSlot();
    let finishedAt: number | undefined;
    const work = async () => {
      startedAt = new Date();
      try {
        return (await job.run(startedAt)) ?? undefined;
      } finally {
        finishedAt = Date.now();
      }
    };
    try {
      const outcome = options.lock ? await withTryAdvisoryLock(getDb(), `job:${job.name}`, work) : { ran: true as const, value: await work() };
      if (!outcome.ran) return done("skipped_locked");
      const ms = (finishedAt ?? Date.now()) - startedAt.getTime();
      record({ job: job.name, instance: instanceId, outcome: "done", startedAt, ms, ...(outcome.value ? { result: outcome.value } : {}) });
      return "done";
    } catch (error) {
      logger.error("job.failed", { job: job.name, error: describe(error) });
      return done("failed");
    } finally {
      releaseSlot();
      running = false;
    }
  };
}

/** Starts every job on its timer (timers do not keep the process alive); returns the stop function. */
export function startJobs(jobs: Job[]): () => void {
  const lock = dbProvider() === "postgresql";
  const timers = jobs.flatMap((job) => {
    const tick = guardedRunner(job, { lock });
    const first = setTimeout(() => void tick(), job.firstRunMs ?? job.intervalMs);
    const every = setInterval(() => void tick(), job.intervalMs);
    first.unref();
    every.unref();
    return [first, every];
  });
  return () => timers.forEach((t) => clearTimeout(t));
}
