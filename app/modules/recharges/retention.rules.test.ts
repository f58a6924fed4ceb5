import { describe, expect, it } from "vitest";
import { isBeyondRetention, monthsBefore } from "./retention.rules";

describe("beneficiary retention", () => {
  it.each([
    ["2026-11-30T10:00:00.000Z", 12, "2025-11-30T10:00:00.000Z"],
    ["2026-03-31T10:00:00.000Z", 1, "2026-02-28T10:00:00.000Z"],
    ["2024-02-29T10:00:00.000Z", 12, "2023-02-28T10:00:00.000Z"],
  ])("%s minus %i months is %s", (now, months, expected) => {
    expect(monthsBefore(new Date(now), months).toISOString()).toBe(expected);
  });

  const cutoff = new Date("2025-11-30T00:00:00Z");
  it.each([
    [{ lastIssuedAt: new Date("2025-11-29"), createdAt: new Date("2025-01-01") }, true],
    [{ lastIssuedAt: new Date("2025-12-01"), createdAt: new Date("2025-01-01") }, false],
    [{ lastIssuedAt: null, createdAt: new Date("2025-01-01") }, true],
    [{ lastIssuedAt: null, createdAt: new Date("2026-01-01") }, false],
  ])("%o is beyond retention: %s", (record, expected) => {
    expect(isBeyondRetention(record, cutoff)).toBe(expected);
  });
});
