import { describe, expect, it } from "vitest";
import { moveInWaitlist, type QueuedEnrolment, type WaitlistMove } from "./waitlist.rules";

// Ranks as they are in the database: growing, with gaps left by people who left or were offered a seat.
const queue: QueuedEnrolment[] = [
  { id: "a", rank: 2 },
  { id: "b", rank: 5 },
  { id: "c", rank: 6 },
  { id: "d", rank: 9 },
];

describe("moveInWaitlist", () => {
  it.each<[string, string, WaitlistMove, string[], number, number]>([
    ["up one", "c", { kind: "up" }, ["a", "c", "b", "d"], 3, 2],
    ["down one", "a", { kind: "down" }, ["b", "a", "c", "d"], 1, 2],
    ["to the head", "d", { kind: "position", position: 1 }, ["d", "a", "b", "c"], 4, 1],
    ["to the end", "a", { kind: "position", position: 4 }, ["b", "c", "d", "a"], 1, 4],
    ["to the middle", "b", { kind: "position", position: 3 }, ["a", "c", "b", "d"], 2, 3],
  ])("%s", (_case, id, move, order, from, to) => {
    const result = moveInWaitlist(queue, id, move);
    if (!result.ok) throw new Error(result.message);
    expect(result.order).toEqual(order);
    expect([result.from, result.to]).toEqual([from, to]);
    // Every stored rank after the update is 1..n in the new order.
    const ranks = new Map(queue.map((e) => [e.id, e.rank]));
    for (const u of result.rankUpdates) ranks.set(u.id, u.rank);
    expect(result.order.map((x) => ranks.get(x))).toEqual([1, 2, 3, 4]);
    // Only rows whose rank really changes are written.
    for (const u of result.rankUpdates) expect(queue.find((e) => e.id === u.id)?.rank).not.toBe(u.rank);
  });

  it("lists every person whose place changes, with old and new positions", () => {
    const result = moveInWaitlist(queue, "d", { kind: "position", position: 2 });
    expect(result.ok && result.positionChanges).toEqual([
      { id: "d", from: 4, to: 2 },
      { id: "b", from: 2, to: 3 },
      { id: "c", from: 3, to: 4 },
    ]);
  });

  it("writes nothing more than the moved pair when ranks are already 1..n", () => {
    const tidy = [
      { id: "a", rank: 1 },
      { id: "b", rank: 2 },
      { id: "c", rank: 3 },
    ];
    const result = moveInWaitlist(tidy, "c", { kind: "up" });
    expect(result.ok && result.rankUpdates).toEqual([
      { id: "c", rank: 2 },
      { id: "b", rank: 3 },
    ]);
  });

  it.each<[string, string, WaitlistMove, string, RegExp]>([
    ["someone not waiting", "z", { kind: "up" }, "enrolmentId", /plus sur la liste d'attente/],
    ["the head moving up", "a", { kind: "up" }, "move", /déjà en tête/],
    ["the last moving down", "d", { kind: "down" }, "move", /dernière position/],
    ["rank 0", "b", { kind: "position", position: 0 }, "position", /entre 1 et 4/],
    ["rank beyond the list", "b", { kind: "position", position: 5 }, "position", /entre 1 et 4/],
    ["a fractional rank", "b", { kind: "position", position: 1.5 }, "position", /entre 1 et 4/],
    ["the same rank", "b", { kind: "position", position: 2 }, "position", /déjà au rang 2/],
  ])("refuses %s", (_case, id, move, field, message) => {
    const result = moveInWaitlist(queue, id, move);
    expect(result.ok).toBe(false);
    if (result.ok) return;
    expect(result.field).toBe(field);
    expect(result.message).toMatch(message);
  });
});
