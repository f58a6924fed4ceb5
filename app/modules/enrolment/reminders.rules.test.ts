import { describe, expect, it } from "vitest";
import { dueReminder, reminderAlreadySent, type ReminderInput, type ReminderKind } from "./reminders.rules";

const start = new Date("2026-03-16T08:00:00Z");
const before = (days: number, hours = 0) => new Date(start.getTime() - (days * 24 + hours) * 3600_000);

const base: Omit<ReminderInput, "now"> = {
  sessionStatus: "SCHEDULED",
  enrolmentStatus: "CONFIRMED",
  firstSlotStartsAt: start,
  confirmedAt: before(30),
  reminder7SentAt: null,
  reminder1SentAt: null,
};

// [case, now, overrides, expected]
const table: [string, Date, Partial<ReminderInput>, ReminderKind | null][] = [
  ["8 days before: nothing yet", before(8), {}, null],
  ["7 days and 1 minute before: nothing yet", new Date(before(7).getTime() - 60_000), {}, null],
  ["exactly 7 days before: the 7-day reminder", before(7), {}, 7],
  ["5 days before, job was down: the 7-day reminder, late", before(5), {}, 7],
  ["5 days before, 7-day already sent", before(5), { reminder7SentAt: before(7) }, null],
  ["exactly 1 day before, 7-day sent: the 1-day reminder", before(1), { reminder7SentAt: before(7) }, 1],
  ["12 hours before, 7-day never sent: only the 1-day reminder", before(0, 12), {}, 1],
  ["12 hours before, both sent", before(0, 12), { reminder7SentAt: before(7), reminder1SentAt: before(1) }, null],
  ["enrolled 3 days before, now 3 days before: no 7-day reminder", before(3), { confirmedAt: before(3) }, null],
  ["enrolled 3 days before, now 1 day before: the 1-day reminder", before(1), { confirmedAt: before(3) }, 1],
  ["enrolled 8 days before, now 7 days before: the 7-day reminder", before(7), { confirmedAt: before(8) }, 7],
  ["enrolled 10 hours before: no reminder at all (the convocation just went)", before(0, 9), { confirmedAt: before(0, 10) }, null],
  ["no confirmedAt (old row): taken as confirmed long ago", before(6), { confirmedAt: null }, 7],
  ["the session has started", new Date(start.getTime() + 60_000), {}, null],
  ["the session starts now", start, {}, null],
  ["a cancelled session", before(1), { sessionStatus: "CANCELLED" }, null],
  ["a closed session", before(1), { sessionStatus: "CLOSED" }, null],
  ["a cancelled enrolment", before(1), { enrolmentStatus: "CANCELLED" }, null],
  ["a waiting-list enrolment", before(1), { enrolmentStatus: "WAITLISTED" }, null],
  ["an offered seat not yet confirmed", before(1), { enrolmentStatus: "OFFERED" }, null],
  ["a card payment in progress", before(1), { enrolmentStatus: "PENDING_PAYMENT" }, null],
  ["a session without slots", before(1), { firstSlotStartsAt: null }, null],
  ["moved two weeks later: the old 7-day stamp no longer counts", before(7), { reminder7SentAt: before(21) }, 7],
];

describe("dueReminder", () => {
  it.each(table)("%s", (_case, now, over, expected) => {
    expect(dueReminder({ ...base, ...over, now })).toBe(expected);
  });

  it("never gives both at once: walking hour by hour and applying each reminder sends each exactly once", () => {
    const sent: { kind: ReminderKind; at: Date }[] = [];
    const state = { ...base, confirmedAt: before(20) };
    for (let h = 10 * 24; h > -5; h--) {
      const now = new Date(start.getTime() - h * 3600_000);
      const kind = dueReminder({ ...state, now });
      if (kind === 7) state.reminder7SentAt = now;
      if (kind === 1) state.reminder1SentAt = now;
      if (kind) sent.push({ kind, at: now });
    }
    expect(sent.map((s) => s.kind)).toEqual([7, 1]);
    expect(sent.map((s) => s.at)).toEqual([before(7), before(1)]);
  });
});

describe("reminderAlreadySent", () => {
  it.each<[string, Date | null, boolean]>([
    ["never sent", null, false],
    ["sent inside the window", before(6), true],
    ["sent before the window (older dates)", before(9), false],
  ])("%s", (_case, sentAt, expected) => {
    expect(reminderAlreadySent(7, sentAt, start)).toBe(expected);
  });
});
