import type { ComplexityTier } from '@bascule/spec';

/** An application's grade of one answer: thumbs up/down, or a score in [0, 1]. */
export type Grade = 'good' | 'bad' | number;

/** What a judge said of two answers to one prompt: which tier's answer is better. */
export type Verdict = 'weak' | 'strong' | 'tie';

/** A labelled example's label: 1 = the strong model was needed, 0 = the weak one sufficed. */
export type StrongNeeded = 0 | 1;

export type GradeLabel = { label: StrongNeeded; why: string } | { label: undefined; why: string };

/** Grades below this count as bad (numbers are quality in [0, 1]; 'bad' is 0, 'good' 1). */
export const GOOD_GRADE = 0.5;

/**
 * The label an application's grade gives, by the tier that answered:
 * - a simple-tier (weak) answer graded bad: the strong model was needed (1);
 * - a simple-tier answer graded good: it was not (0);
 * - a complex-tier (strong) answer: no label. A good strong answer does not say the weak model
 *   would have failed, and a bad one does not say it would have done better; learning from
 *   either would only push every score the same way.
 */
export function labelFromGrade(tier: ComplexityTier | undefined, grade: Grade): GradeLabel {
  const g = grade === 'good' ? 1 : grade === 'bad' ? 0 : grade;
  if (tier !== 'simple')
    return {
      label: undefined,
      why:
        tier === 'complex'
          ? 'the strong tier answered: a grade of its answer does not say whether the weak tier would have done'
          : 'an untiered target answered: the grade says nothing about which tier was needed',
    };
  return g < GOOD_GRADE
    ? {
        label: 1,
        why: 'the weak tier answered and the answer was graded bad: the strong model was needed',
      }
    : {
        label: 0,
        why: 'the weak tier answered and the answer was graded good: the weak model sufficed',
      };
}

/**
 * The label a judge's verdict gives: the strong answer better means the strong model was needed
 * (1); the weak answer better or as good means it was not (0) — a tie is a vote for the cheaper
 * model, as RouteLLM's win-or-tie labels count it.
 */
export function labelFromVerdict(verdict: Verdict): StrongNeeded {
  return verdict === 'strong' ? 1 : 0;
}
