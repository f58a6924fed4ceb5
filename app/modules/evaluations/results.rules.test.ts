import { describe, expect, it } from "vitest";
import { completedTraining, objectivesRate, trainingResults, type TraineeOutcome } from "./results.rules";

const outcome = (o: Partial<TraineeOutcome> = {}): TraineeOutcome => ({ slots: 4, attendedSlots: 4, hotSatisfaction: null, objectivesReached: null, ...o });

describe("completedTraining", () => {
  it.each([
    [{ slots: 4, attendedSlots: 4 }, true],
    [{ slots: 4, attendedSlots: 3 }, false],
    [{ slots: 2, attendedSlots: 0 }, false],
    [{ slots: 0, attendedSlots: 0 }, false], // a session without half-days completes nothing
  ])("%j → %s", (input, expected) => {
    expect(completedTraining(input)).toBe(expected);
  });
});

describe("objectivesRate", () => {
  it.each([
    [{ reached: 0, assessed: 0 }, null],
    [{ reached: 3, assessed: 4 }, { rate: 0.75, count: 3, total: 4 }],
  ])("%j → %j", (input, expected) => {
    expect(objectivesRate(input)).toEqual(expected);
  });
});

describe("trainingResults", () => {
  it("publishes nothing before there is data", () => {
    expect(trainingResults([])).toEqual({ satisfaction: null, completion: null, objectives: null, hotResponse: null, coldResponse: null });
  });

  it("counts satisfaction over answers only, completion over every confirmed trainee, objectives over assessed trainees", () => {
    const results = trainingResults([
      outcome({ hotSatisfaction: 5, objectivesReached: true }),
      outcome({ hotSatisfaction: 4, objectivesReached: true }),
      outcome({ hotSatisfaction: 2, attendedSlots: 3, objectivesReached: false }),
      outcome({ attendedSlots: 1 }), // no answer, not assessed
      outcome({ attendedSlots: 0 }), // absent throughout: confirmed, did not complete
    ]);
    expect(results.satisfaction).toEqual({ rate: 2 / 3, count: 2, total: 3, average: 11 / 3 });
    expect(results.completion).toEqual({ rate: 2 / 5, count: 2, total: 5 });
    expect(results.objectives).toEqual({ rate: 2 / 3, count: 2, total: 3 });
  });

  it("a score of 3 is not satisfied, 4 is", () => {
    expect(trainingResults([outcome({ hotSatisfaction: 3 }), outcome({ hotSatisfaction: 4 })]).satisfaction).toMatchObject({ count: 1, total: 2 });
  });

  it("counts response rates over the surveys sent, per kind, with the reminders", () => {
    const hot = (answered: boolean, reminded = false) => ({ kind: "HOT" as const, answered, reminded });
    const cold = (answered: boolean, reminded = false) => ({ kind: "COLD" as const, answered, reminded });
    const results = trainingResults([
      outcome({ surveys: [hot(true), cold(false, true)] }),
      outcome({ surveys: [hot(true, true), cold(true, true)] }),
      outcome({ surveys: [hot(false, true)] }), // the cold one not sent yet: not counted
      outcome({}), // absent: no survey at all
    ]);
    expect(results.hotResponse).toEqual({ rate: 2 / 3, count: 2, total: 3, reminded: 2 });
    expect(results.coldResponse).toEqual({ rate: 1 / 2, count: 1, total: 2, reminded: 2 });
  });
});
