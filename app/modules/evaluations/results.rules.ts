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
  /** The surveys sent to the trainee, answered or not. */
  surveys?: readonly SurveyState[];
};

export type SurveyState = { kind: "HOT" | "COLD"; answered: boolean; reminded: boolean };

export type TrainingResults = {
  satisfaction: (Rate & { average: number }) | null;
  completion: Rate | null;
  objectives: Rate | null;
  /** Surveys answered among those sent, à chaud and à froid. */
  hotResponse: Rate | null;
  coldResponse: Rate | null;
};

/** Share of the surveys of this kind that were answered, with how many got their reminder; null before the first is sent. */
export function responseRate(surveys: readonly SurveyState[], kind: SurveyState["kind"]): (Rate & { reminded: number }) | null {
  const sent = surveys.filter((s) => s.kind === kind);
  if (sent.length === 0) return null;
  const answered = sent.filter((s) => s.answered).length;
  return { rate: answered / sent.length, count: answered, total: sent.length, reminded: sent.filter((s) => s.reminded).length };
}

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
  const surveys = outcomes.flatMap((o) => o.surveys ?? []);
  return {
    hotResponse: responseRate(surveys, "HOT"),
    coldResponse: responseRate(surveys, "COLD"),
    satisfaction: satisfaction && { ...satisfaction, average: scores.reduce((sum, s) => sum + s, 0) / scores.length },
    completion: completionRate({ completed: outcomes.filter(completedTraining).length, confirmed: outcomes.length }),
    objectives: objectivesRate({ reached: assessed.filter((o) => o.objectivesReached).length, assessed: assessed.length }),
  };
}
