import { describe, expect, it } from 'vitest';
import { MAX_FOLDS } from '@api/experiment-config';
import { ExperimentCrossValidateParamsSchema } from '@api/jobs';
import {
  crossValidationNote,
  DEFAULT_FOLDS,
  foldsProblem,
  MIN_FOLDS,
  offersCrossValidation,
} from './cross-validation-option';

describe('the Cross-validate option', () => {
  it("accepts exactly the folds the job's schema accepts", () => {
    const accepted = (folds: number): boolean =>
      ExperimentCrossValidateParamsSchema.safeParse({
        config: { name: 'cv', corpus: 'mr' },
        folds,
      }).success;
    for (const folds of [
      MIN_FOLDS - 1,
      MIN_FOLDS,
      DEFAULT_FOLDS,
      MAX_FOLDS,
      MAX_FOLDS + 1,
      2.5,
      NaN,
    ])
      expect(foldsProblem(folds) === null, String(folds)).toBe(accepted(folds));
    expect(foldsProblem(1)).toBe(`Folds must be a whole number from 2 to ${MAX_FOLDS}.`);
  });

  it('is offered for the text tasks only', () => {
    expect(offersCrossValidation('sentiment')).toBe(true);
    expect(offersCrossValidation('pos')).toBe(true);
    expect(offersCrossValidation('words')).toBe(false);
  });

  it('says what it will make', () => {
    expect(crossValidationNote('mr-cv', 10, 'train')).toMatch(
      /^The items of train are cut into 10 folds by a hash of each item; each fold is an experiment of its own \(mr-cv-fold-…\)/,
    );
  });
});
