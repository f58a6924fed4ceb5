/**
 * The published results of training (Qualiopi indicator 2), one definition for the module
 * page and the yearly report: both load one outcome per confirmed trainee of a closed
 * session and call `trainingResults`. Pure; tested in results.rules.test.ts.
 */
import { completionRate, SATISFIED_FROM, satisfactionRate, type Rate } from "~/modules/training/catalogue.rules";

/** One confirmed trainee of a closed session. */
export type TraineeOutcome = {
  /** Half-days the session had. */
  slots: number;
  /** Half-days the trainee attended (signed present, or late). */
  attendedSlots: number;
  /** Score (1 to 5) of their answered end-of-session survey, or null. */
  hotSatisfaction: number | null;
  /** The trainer's assessment; null when not recorded. */
  objectivesReached: boolean | null;
};

export type TrainingResults = {
  satisfaction: (Rate & { average: number }) | null;
  completion: Rate | null;
  objectives: Rate | null;
};

/** Completed: present (or late) at every half-day of the session. */
export const completedTraining = (o: Pick<TraineeOutcome, "slots" | "attendedSlots">): boolean => o.slots > 0 && o.attendedSlots >= o.slots;

/** Share of assessed trainees who reached the objectives; null before the first assessment. */
export function objectivesRate(input: { reached: number; assessed: number }): Rate | null {
  if (input.assessed <= 0) return null;
  return { rate: input.reached / input.assessed, count: input.reached, total: input.assessed };
}

export function trainingResults(outcomes: readonly TraineeOutcome[]): TrainingResults {
  const scores = outcomes.flatMap((o) => (o.hotSatisfaction === null ? [] : [o.hotSatisfaction]));
  const satisfied = scores.filter((s) => s >= SATISFIED_FROM).length;
  const satisfaction = satisfactionRate({ satisfied, responses: scores.length });
  const assessed = outcomes.filter((o) => o.objectivesReached !== null);
  return {
    satisfaction: satisfaction && { ...satisfaction, average: scores.reduce((sum, s) => sum + s, 0) / scores.length },
    completion: completionRate({ completed: outcomes.filter(completedTraining).length, confirmed: outcomes.length }),
    objectives: objectivesRate({ reached: assessed.filter((o) => o.objectivesReached).length, assessed: assessed.length }),
  };
}
