import { describe, expect, it } from "vitest";
import { parisInstant } from "~/modules/training/sessions.rules";
import {
  attendanceFlags,
  attendedMinutes,
  countersignRefusal,
  correctionRefusal,
  hoursAttended,
  isAlsaceMoselle,
  learnerSignRefusal,
  outsideHoursFlags,
  overCapacityFlags,
  plannedMinutes,
  publicHolidayFlags,
  reusedSignatureFlags,
  sheetState,
  sheetsOpenForSigning,
  signatureImageHash,
  trainerDoubleBookedFlags,
  trainerMarkRefusal,
  typedNameMatches,
  type CheckedSignature,
  type CheckedSlot,
  type SheetLine,
} from "./attendance.rules";

const at = (date: string, time: string) => {
  const instant = parisInstant(date, time);
  if (!instant) throw new Error(`bad test date ${date} ${time}`);
  return instant;
};

// Monday 2 March 2026, 09:00–12:30 Paris.
const slot = { id: "slot-am", sessionId: "session-1", startsAt: at("2026-03-02", "09:00"), endsAt: at("2026-03-02", "12:30"), lockedAt: null as Date | null };
const line = (over: Partial<SheetLine> = {}): SheetLine => ({ enrolmentId: "enr-1", userId: "user-1", sessionId: "session-1", status: "CONFIRMED", ...over });

describe("sheetState", () => {
  it.each([
    ["08:44", "UPCOMING"],
    ["08:45", "OPEN"], // 15 min before the start
    ["10:30", "OPEN"],
    ["13:00", "OPEN"], // 30 min after the end
    ["13:01", "ENDED"],
  ])("at %s the sheet is %s", (time, state) => {
    expect(sheetState(slot, at("2026-03-02", time))).toBe(state);
  });

  it("is LOCKED once countersigned, whatever the time", () => {
    expect(sheetState({ ...slot, lockedAt: at("2026-03-02", "12:25") }, at("2026-03-02", "12:26"))).toBe("LOCKED");
  });

  it("lists the sheets open for signing", () => {
    const pm = { ...slot, id: "slot-pm", startsAt: at("2026-03-02", "14:00"), endsAt: at("2026-03-02", "17:30") };
    const locked = { ...slot, id: "slot-locked", lockedAt: at("2026-03-02", "12:20") };
    expect(sheetsOpenForSigning([slot, pm, locked], at("2026-03-02", "12:40")).map((s) => s.id)).toEqual(["slot-am"]);
    expect(sheetsOpenForSigning([slot, pm, locked], at("2026-03-02", "13:50")).map((s) => s.id)).toEqual(["slot-pm"]);
  });
});

describe("learnerSignRefusal", () => {
  const during = at("2026-03-02", "09:05");
  const sign = (over: Partial<Parameters<typeof learnerSignRefusal>[0]> = {}) =>
    learnerSignRefusal({ slot, line: line(), signerUserId: "user-1", existing: null, now: during, ...over });

  it("lets a confirmed learner sign their own line while the sheet is open", () => {
    expect(sign()).toBeNull();
  });

  it.each([
    ["signing twice", { existing: { status: "PRESENT", method: "DRAWN" } }, "ALREADY_SIGNED", "déjà signé"],
    ["signing after being marked absent", { existing: { status: "ABSENT", method: "TRAINER" } }, "MARKED_ABSENT", "absent·e"],
    ["signing someone else's line", { signerUserId: "user-2" }, "NOT_YOUR_LINE", "votre propre ligne"],
    ["no enrolment", { line: null }, "NOT_ENROLLED", "pas inscrit·e"],
    ["an enrolment in another session", { line: line({ sessionId: "session-2" }) }, "NOT_ENROLLED", "pas inscrit·e"],
    ["a waiting-list enrolment", { line: line({ status: "WAITLISTED" }) }, "NOT_CONFIRMED", "pas confirmée"],
    ["a cancelled enrolment", { line: line({ status: "CANCELLED" }) }, "NOT_CONFIRMED", "annulée"],
    ["a locked sheet", { slot: { ...slot, lockedAt: at("2026-03-02", "09:04") } }, "LOCKED", "verrouillée"],
    ["a future sheet", { now: at("2026-03-01", "18:00") }, "FUTURE", "lundi 2 mars 2026 à 08:45"],
    ["a sheet closed after the slot", { now: at("2026-03-02", "15:00") }, "CLOSED", "clos"],
  ] as const)("refuses %s", (_case, over, code, words) => {
    const refusal = sign(over as Partial<Parameters<typeof learnerSignRefusal>[0]>);
    expect(refusal?.code).toBe(code);
    expect(refusal?.message).toContain(words);
  });

  it("says the sheet is locked before anything else", () => {
    expect(sign({ slot: { ...slot, lockedAt: during }, existing: { status: "PRESENT", method: "DRAWN" }, signerUserId: "user-2" })?.code).toBe("LOCKED");
  });
});

describe("trainerMarkRefusal", () => {
  const mark = (over: Partial<Parameters<typeof trainerMarkRefusal>[0]> = {}) =>
    trainerMarkRefusal({ slot, isSessionTrainer: true, line: line(), existing: null, status: "ABSENT", now: at("2026-03-02", "09:30"), ...over });

  it("lets the trainer mark an absence or a late arrival, even after the slot until countersigning", () => {
    expect(mark()).toBeNull();
    expect(mark({ status: "LATE", existing: { status: "PRESENT", method: "DRAWN" } })).toBeNull();
    expect(mark({ now: at("2026-03-02", "18:00") })).toBeNull();
  });

  it.each([
    ["someone other than the trainer", { isSessionTrainer: false }, "NOT_TRAINER"],
    ["a locked sheet", { slot: { ...slot, lockedAt: at("2026-03-02", "12:20") } }, "LOCKED"],
    ["a future slot", { now: at("2026-03-02", "08:00") }, "FUTURE"],
    ["a person not enrolled", { line: null }, "NOT_ENROLLED"],
    ["an unconfirmed enrolment", { line: line({ status: "OFFERED" }) }, "NOT_CONFIRMED"],
    ["an absence over the learner's own signature", { existing: { status: "PRESENT", method: "QR" } }, "SIGNED_BY_LEARNER"],
  ] as const)("refuses %s", (_case, over, code) => {
    expect(mark(over as Partial<Parameters<typeof trainerMarkRefusal>[0]>)?.code).toBe(code);
  });
});

describe("countersignRefusal", () => {
  const countersign = (over: Partial<Parameters<typeof countersignRefusal>[0]> = {}) =>
    countersignRefusal({ slot, isSessionTrainer: true, confirmedEnrolmentIds: ["a", "b"], markedEnrolmentIds: ["a", "b"], now: at("2026-03-02", "12:05"), ...over });

  it("accepts a complete sheet at the end of the slot", () => {
    expect(countersign()).toBeNull();
  });

  it("refuses too early, when locked, by someone else, or with learners unmarked", () => {
    expect(countersign({ now: at("2026-03-02", "11:59") })?.message).toContain("à partir du lundi 2 mars 2026 à 12:00");
    expect(countersign({ slot: { ...slot, lockedAt: at("2026-03-02", "12:01") } })?.code).toBe("LOCKED");
    expect(countersign({ isSessionTrainer: false })?.code).toBe("NOT_TRAINER");
    expect(countersign({ markedEnrolmentIds: ["a"] })?.message).toMatch(/^1 stagiaire n'a ni signature/);
    expect(countersign({ confirmedEnrolmentIds: ["a", "b", "c"], markedEnrolmentIds: [] })?.message).toMatch(/^3 stagiaires n'ont/);
  });
});

describe("correctionRefusal", () => {
  it("is for staff only, with a reason of some length", () => {
    expect(correctionRefusal({ isStaff: false, reason: "Erreur de saisie du formateur" })?.code).toBe("NOT_STAFF");
    expect(correctionRefusal({ isStaff: true, reason: "   erreur   " })?.code).toBe("REASON_REQUIRED");
    expect(correctionRefusal({ isStaff: true, reason: "Présence attestée par le formateur par courriel" })).toBeNull();
  });
});

describe("attendedMinutes and hoursAttended", () => {
  const am = { id: "am", startsAt: at("2026-03-02", "09:00"), endsAt: at("2026-03-02", "12:30") }; // 210 min
  const pm = { id: "pm", startsAt: at("2026-03-02", "14:00"), endsAt: at("2026-03-02", "17:00") }; // 180 min
  const next = { id: "next", startsAt: at("2026-03-03", "09:00"), endsAt: at("2026-03-03", "12:00") }; // 180 min
  const slots = [am, pm, next];

  it("counts PRESENT and LATE half-days, not ABSENT nor unmarked ones", () => {
    expect(plannedMinutes(slots)).toBe(570);
    expect(attendedMinutes(slots, [])).toBe(0);
    expect(attendedMinutes(slots, [{ slotId: "am", status: "PRESENT" }, { slotId: "pm", status: "ABSENT" }, { slotId: "next", status: "LATE" }])).toBe(390);
    expect(hoursAttended(slots, [{ slotId: "am", status: "PRESENT" }, { slotId: "pm", status: "PRESENT" }, { slotId: "next", status: "PRESENT" }])).toBe(9.5);
  });

  it("takes a recorded delay off a late arrival, never more than the slot", () => {
    expect(attendedMinutes(slots, [{ slotId: "pm", status: "LATE", minutesLate: 45 }])).toBe(135);
    expect(attendedMinutes(slots, [{ slotId: "pm", status: "LATE", minutesLate: 500 }])).toBe(0);
    expect(attendedMinutes(slots, [{ slotId: "pm", status: "LATE", minutesLate: -10 }])).toBe(180);
    expect(attendedMinutes(slots, [{ slotId: "pm", status: "PRESENT", minutesLate: 45 }])).toBe(180);
  });

  it("ignores marks on slots not listed (another session's)", () => {
    expect(attendedMinutes([am], [{ slotId: "pm", status: "PRESENT" }])).toBe(0);
  });
});

describe("signatureImageHash", () => {
  const png = "data:image/png;base64,iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg==";

  it("hashes the image bytes, so the same image under another media type gives the same hash", () => {
    const hash = signatureImageHash(png);
    expect(hash).toMatch(/^[0-9a-f]{64}$/);
    expect(signatureImageHash(png.replace("image/png", "image/PNG"))).toBe(hash);
    expect(signatureImageHash(png.replace("iVBOR", "iVBOS"))).not.toBe(hash);
  });

  it.each(["", "hello", "data:text/plain;base64,aGVsbG8=", "data:image/png;base64,", "data:image/png,rawtext"])("gives null for %j", (value) => {
    expect(signatureImageHash(value)).toBeNull();
  });
});

describe("consistency flags", () => {
  const checkedSlot = (over: Partial<CheckedSlot> = {}): CheckedSlot => ({
    id: "slot-am",
    sessionId: "session-1",
    startsAt: at("2026-03-02", "09:00"),
    endsAt: at("2026-03-02", "12:30"),
    capacity: 12,
    trainerId: "trainer-1",
    trainerSignedAt: at("2026-03-02", "12:20"),
    place: "Maillon Lyon, 8 rue Saint-Jérôme, 69007 Lyon",
    ...over,
  });
  const signature = (over: Partial<CheckedSignature> = {}): CheckedSignature => ({
    slotId: "slot-am",
    enrolmentId: "enr-1",
    status: "PRESENT",
    method: "DRAWN",
    imageHash: null,
    signedAt: at("2026-03-02", "09:02"),
    ...over,
  });

  describe("signature outside the slot's hours", () => {
    it("flags a signature or a countersignature beyond the tolerance, not within it", () => {
      const slots = [checkedSlot({ trainerSignedAt: at("2026-03-02", "19:00") })];
      const flags = outsideHoursFlags(slots, [
        signature({ enrolmentId: "early-ok", signedAt: at("2026-03-02", "08:45") }),
        signature({ enrolmentId: "late-ok", signedAt: at("2026-03-02", "13:00") }),
        signature({ enrolmentId: "too-early", signedAt: at("2026-03-02", "08:44") }),
        signature({ enrolmentId: "evening", signedAt: at("2026-03-02", "20:10") }),
        signature({ enrolmentId: "absent", status: "ABSENT", method: "TRAINER", signedAt: at("2026-03-03", "10:00") }),
      ]);
      expect(flags.map((f) => (f.kind === "OUTSIDE_HOURS" ? f.enrolmentId : null))).toEqual(["too-early", "evening", null]);
      expect(flags[1]!.label).toBe("Signature le lundi 2 mars 2026 à 20:10, hors du créneau du lundi 2 mars 2026 (09:00–12:30).");
      expect(flags[2]!.label).toContain("Contresignature du formateur le lundi 2 mars 2026 à 19:00");
    });
  });

  describe("public holiday", () => {
    it("groups the signatures of one slot made on a public holiday, named by the Paris day", () => {
      const ascension = checkedSlot({ id: "asc", startsAt: at("2026-05-14", "09:00"), endsAt: at("2026-05-14", "12:00"), trainerSignedAt: at("2026-05-14", "11:55") });
      const flags = publicHolidayFlags(
        [ascension, checkedSlot()],
        [
          signature({ slotId: "asc", enrolmentId: "a", signedAt: at("2026-05-14", "09:01") }),
          signature({ slotId: "asc", enrolmentId: "b", signedAt: at("2026-05-14", "09:03") }),
          signature({ slotId: "asc", enrolmentId: "c", status: "ABSENT", method: "TRAINER", signedAt: at("2026-05-14", "09:10") }),
          signature(),
        ],
      );
      expect(flags).toEqual([
        {
          kind: "PUBLIC_HOLIDAY",
          slotId: "asc",
          day: "2026-05-14",
          holiday: "Ascension",
          enrolmentIds: ["a", "b"],
          trainer: true,
          label: "Émargement un jour férié (Ascension, jeudi 14 mai 2026) : 2 signatures et la contresignature du formateur.",
        },
      ]);
    });

    it("reads the day in Paris: 23:30 UTC on 13 July is the national holiday", () => {
      const flags = publicHolidayFlags([checkedSlot({ trainerSignedAt: null })], [signature({ signedAt: new Date("2026-07-13T22:30:00Z") })]);
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({ day: "2026-07-14", holiday: "Fête nationale" });
    });

    it("knows Alsace-Moselle's extra days only for slots held there", () => {
      const goodFriday = { startsAt: at("2026-04-03", "09:00"), endsAt: at("2026-04-03", "12:00"), trainerSignedAt: null };
      const signatures = [signature({ signedAt: at("2026-04-03", "09:01") })];
      expect(publicHolidayFlags([checkedSlot(goodFriday)], signatures)).toEqual([]);
      expect(publicHolidayFlags([checkedSlot({ ...goodFriday, alsaceMoselle: true })], signatures)[0]).toMatchObject({ holiday: "Vendredi saint" });
    });
  });

  describe("signature image reused", () => {
    it("flags one image on two people's lines, or on one person's two half-days; not distinct images", () => {
      const flags = reusedSignatureFlags([
        signature({ enrolmentId: "a", imageHash: "h1" }),
        signature({ enrolmentId: "b", imageHash: "h1" }),
        signature({ slotId: "slot-pm", enrolmentId: "c", imageHash: "h2" }),
        signature({ slotId: "slot-next", enrolmentId: "c", imageHash: "h2" }),
        signature({ enrolmentId: "d", imageHash: "h3" }),
        signature({ enrolmentId: "e", imageHash: null, method: "TYPED" }),
        signature({ enrolmentId: "f", imageHash: null, method: "TYPED" }),
      ]);
      expect(flags.map((f) => f.kind === "SIGNATURE_REUSED" && [f.imageHash, f.uses.length])).toEqual([
        ["h1", 2],
        ["h2", 2],
      ]);
      expect(flags[0]!.label).toBe("Même image de signature utilisée 2 fois (2 personnes, 1 demi-journée).");
      expect(flags[1]!.label).toBe("Même image de signature utilisée 2 fois (1 personne, 2 demi-journées).");
    });
  });

  describe("trainer in two places at once", () => {
    const lyon = checkedSlot();
    const remote = checkedSlot({ id: "remote", sessionId: "session-2", startsAt: at("2026-03-02", "10:00"), endsAt: at("2026-03-02", "12:00"), place: "À distance (classe virtuelle)" });

    it("flags two overlapping countersigned slots of different sessions in different places", () => {
      const flags = trainerDoubleBookedFlags([remote, lyon]);
      expect(flags).toHaveLength(1);
      expect(flags[0]).toMatchObject({ kind: "TRAINER_DOUBLE_BOOKED", trainerId: "trainer-1", slotIds: ["slot-am", "remote"] });
      expect(flags[0]!.label).toContain("« Maillon Lyon, 8 rue Saint-Jérôme, 69007 Lyon » (09:00–12:30) et « À distance (classe virtuelle) » (10:00–12:00)");
    });

    it("does not flag the same place written differently, back-to-back slots, another trainer, or an uncountersigned slot", () => {
      expect(trainerDoubleBookedFlags([lyon, { ...remote, place: "  maillon lyon,  8 Rue Saint-Jérôme, 69007 LYON " }])).toEqual([]);
      expect(trainerDoubleBookedFlags([lyon, { ...remote, startsAt: at("2026-03-02", "12:30"), endsAt: at("2026-03-02", "13:00") }])).toEqual([]);
      expect(trainerDoubleBookedFlags([lyon, { ...remote, trainerId: "trainer-2" }])).toEqual([]);
      expect(trainerDoubleBookedFlags([lyon, { ...remote, trainerSignedAt: null }])).toEqual([]);
    });

    it("does not clear a trainer when a place is unknown", () => {
      expect(trainerDoubleBookedFlags([lyon, { ...remote, place: null }])[0]!.label).toContain("« lieu non renseigné »");
    });
  });

  describe("more signatures than seats", () => {
    it("counts present and late learners against the capacity", () => {
      const slots = [checkedSlot({ capacity: 2 })];
      const two = [signature({ enrolmentId: "a" }), signature({ enrolmentId: "b", status: "LATE" }), signature({ enrolmentId: "c", status: "ABSENT" })];
      expect(overCapacityFlags(slots, two)).toEqual([]);
      const flags = overCapacityFlags(slots, [...two, signature({ enrolmentId: "d", method: "QR" })]);
      expect(flags).toEqual([
        { kind: "OVER_CAPACITY", slotId: "slot-am", signed: 3, capacity: 2, label: "3 signatures pour 2 places le lundi 2 mars 2026 (09:00–12:30)." },
      ]);
    });
  });

  it("attendanceFlags runs every check and a clean sheet raises nothing", () => {
    const clean = [signature({ enrolmentId: "a", imageHash: "x" }), signature({ enrolmentId: "b", imageHash: "y" })];
    expect(attendanceFlags([checkedSlot()], clean)).toEqual([]);
    const kinds = attendanceFlags(
      [checkedSlot({ capacity: 1 }), checkedSlot({ id: "other", sessionId: "session-2", place: "Salle B" })],
      [...clean.map((s) => ({ ...s, imageHash: "same" })), signature({ enrolmentId: "z", signedAt: at("2026-07-14", "10:00") })],
    ).map((f) => f.kind);
    expect(kinds.sort()).toEqual(["OUTSIDE_HOURS", "OVER_CAPACITY", "PUBLIC_HOLIDAY", "SIGNATURE_REUSED", "TRAINER_DOUBLE_BOOKED"]);
  });
});

describe("isAlsaceMoselle", () => {
  it.each([
    ["67000", true],
    ["68100", true],
    ["57000", true],
    ["75011", false],
    ["6700", false],
    [null, false],
  ])("%s → %s", (postcode, expected) => {
    expect(isAlsaceMoselle(postcode)).toBe(expected);
  });
});

describe("typedNameMatches", () => {
  it.each([
    ["Zoe O Brien-Dupont", "Zoë O'Brien-Dupont", true],
    ["  nguyen thi minh khai ", "Nguyễn Thị Minh Khai", true],
    ["Ольга Петрова", "Ольга Петрова", true],
    ["Olga Petrova", "Ольга Петрова", false],
    ["Zoë", "Zoë O'Brien-Dupont", false],
    ["", "Zoë O'Brien-Dupont", false],
    ["!!!", "!!!", false],
  ])("%j for %j: %s", (typed, name, expected) => {
    expect(typedNameMatches(typed, name)).toBe(expected);
  });
});
