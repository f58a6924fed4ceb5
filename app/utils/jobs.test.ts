/**
 * The jobs registry's guards: one run at a time per process, and on PostgreSQL one run at a
 * time across connections (the advisory lock another instance would hold).
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openTestDatabase } from "../../tests/support/database";
import { testTarget } from "../../tests/support/global-setup";

let database: Awaited<ReturnType<typeof openTestDatabase>>;
let jobs: typeof import("./jobs.server");
let locks: typeof import("./advisory-lock.server");

beforeAll(async () => {
  database = await openTestDatabase("jobs_registry");
  jobs = await import("./jobs.server");
  locks = await import("./advisory-lock.server");
});
afterAll(() => database?.close());

const gate = () => {
  let open!: () => void;
  const opened = new Promise<void>((resolve) => (open = resolve));
  return { open, opened };
};

describe("the jobs registry", () => {
  it("skips a tick while the previous run of the job is still going, and counts both", async () => {
    const release = gate();
    let runs = 0;
    const tick = jobs.guardedRunner({ name: "test-overlap", intervalMs: 1000, run: async () => { runs++; await release.opened; return { done: 1 }; } }, { lock: false });
    const events: string[] = [];
    const stop = jobs.onJobRun((e) => e.job === "test-overlap" && events.push(e.outcome));
    const first = tick();
    expect(await tick()).toBe("skipped_running");
    release.open();
    expect(await first).toBe("done");
    expect(await tick()).toBe("done");
    stop();
    expect(runs).toBe(2);
    expect(events).toEqual(["skipped_running", "done", "done"]);
    expect(jobs.jobRuns.get("test-overlap")).toMatchObject({ done: 2, skipped_running: 1, failed: 0 });
  });

  it("counts a failed run and goes on at the next tick", async () => {
    let calls = 0;
    const tick = jobs.guardedRunner({ name: "test-failure", intervalMs: 1000, run: async () => { if (calls++ === 0) throw new Error("panne"); } }, { lock: false });
    expect(await tick()).toBe("failed");
    expect(await tick()).toBe("done");
    expect(jobs.jobRuns.get("test-failure")).toMatchObject({ done: 1, failed: 1 });
  });

  it.skipIf(testTarget() !== "postgresql")("on PostgreSQL, skips the run while another connection holds the job's lock", async () => {
    let runs = 0;
    const tick = jobs.guardedRunner({ name: "test-locked", intervalMs: 1000, run: async () => void runs++ }, { lock: true });
    // Another instance: a separate client (its own connections) holding the same lock.
    const held = gate();
    const holding = locks.withTryAdvisoryLock(database.testDb, "job:test-locked", () => held.opened);
    await new Promise((r) => setTimeout(r, 200));
    expect(await tick()).toBe("skipped_locked");
    held.open();
    expect(await holding).toEqual({ ran: true, value: undefined });
    expect(await tick()).toBe("done");
    expect(runs).toBe(1);
  });

  it.skipIf(testTarget() !== "postgresql")("on PostgreSQL, many jobs ticking at once never take the whole pool: each run gets the connections its work needs", async () => {
    // Each run holds a pooled connection for its lock; its work needs two more. Twelve at once
    // on a pool of ten, unbounded, held every connection and waited for ever.
    const { getDb } = await import("./db.server");
    const work = async () => {
      await Promise.all([getDb().$executeRawUnsafe("SELECT pg_sleep(0.05)"), getDb().$executeRawUnsafe("SELECT pg_sleep(0.05)")]);
      return { done: 1 };
    };
    const ticks = Array.from({ length: 16 }, (_, i) => jobs.guardedRunner({ name: `test-crowd-${i}`, intervalMs: 1000, run: work }, { lock: true }));
    const deadlocked = new Promise<string>((resolve) => setTimeout(() => resolve("deadlocked"), 20_000).unref());
    const outcomes = await Promise.race([Promise.all(ticks.map((tick) => tick())), deadlocked]);
    expect(outcomes).toEqual(ticks.map(() => "done"));
  }, 30_000);
});
