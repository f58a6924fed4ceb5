import { describe, expect, it } from "vitest";
import { pooledRandomBytes, timeOrderedId } from "./ids.server";

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe("timeOrderedId", () => {
  it("makes UUIDv7 strings carrying the time", () => {
    const at = Date.now() + 10 * 60_000; // later than any id made so far: a fresh millisecond
    const id = timeOrderedId(at);
    expect(id).toMatch(UUID_V7);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });

  it("sorts in the order made, within one millisecond and beyond 4,096 ids in it", () => {
    const at = Date.now() + 60_000;
    const ids = Array.from({ length: 10_000 }, () => timeOrderedId(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(ids.length);
    expect(ids.every((id) => UUID_V7.test(id))).toBe(true);
  });

  it("keeps increasing when the clock goes back", () => {
    const first = timeOrderedId(Date.now() + 120_000);
    const after = timeOrderedId(Date.now());
    expect(after > first).toBe(true);
  });
});

describe("pooledRandomBytes", () => {
  it("hands out bytes never handed out before, across refills of the pool, of any size", () => {
    const seen = new Set<string>();
    for (let i = 0; i < 5_000; i++) seen.add(pooledRandomBytes(12).toString("hex"));
    expect(seen.size).toBe(5_000);
    const large = pooledRandomBytes(10_000);
    expect(large).toHaveLength(10_000);
    expect(new Set(large).size).toBeGreaterThan(200); // not a zero-filled buffer
  });

  it("gives each caller its own copy", () => {
    const a = pooledRandomBytes(16);
    const copy = Buffer.from(a);
    pooledRandomBytes(16).fill(0);
    expect(a.equals(copy)).toBe(true);
  });
});
