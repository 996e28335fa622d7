import { describe, expect, it } from 'vitest';
import type { CrossValidationData, FoldResultData } from '@api/cross-validation';
import {
  crossValidationJob,
  crossValidationMean,
  crossValidationOf,
  foldRows,
  headlineFigureName,
  meanSdText,
  savedCrossValidationRows,
} from './cross-validation-rows';

function result(fold: number, accuracy: number): FoldResultData {
  return {
    fold,
    experiment: `mr-cv-fold-${fold}`,
    items: { train: 80, dev: 0, test: 10 },
    epochs: 3,
    bestEpoch: 2,
    figures: { accuracy, majorityBaseline: 0.5 },
  };
}

function cvOf(results: FoldResultData[], folds = 3): CrossValidationData {
  return {
    name: 'mr-cv',
    task: 'sentiment',
    corpus: 'mr',
    folds,
    experiments: Array.from({ length: folds }, (_, i) => `mr-cv-fold-${i + 1}`),
    summary:
      results.length === 0
        ? null
        : {
            task: 'sentiment',
            corpus: 'mr',
            folds,
            complete: results.length === folds,
            results,
            mean: { accuracy: 0.75, majorityBaseline: 0.5 },
            sd: { accuracy: results.length > 1 ? 0.05 : null, majorityBaseline: 0 },
            confusion: { labels: [], counts: [] },
            time: '2026-12-05T00:00:00.000Z',
          },
  };
}

describe('foldRows', () => {
  it('shows finished folds with their figure and the running one as training', () => {
    const rows = foldRows(cvOf([result(1, 0.7)]), { active: true, fold: 2 });
    expect(rows.map((r) => [r.fold, r.experiment, r.status, r.figure])).toEqual([
      [1, 'mr-cv-fold-1', 'done', 0.7],
      [2, 'mr-cv-fold-2', 'training', null],
      [3, 'mr-cv-fold-3', 'waiting', null],
    ]);
    expect(rows[0]).toMatchObject({
      items: { train: 80, dev: 0, test: 10 },
      epochs: 3,
      bestEpoch: 2,
    });
  });

  it('says a fold no job is running was not run (a stopped cross-validation)', () => {
    expect(foldRows(cvOf([result(1, 0.7)]), null).map((r) => r.status)).toEqual([
      'done',
      'not run',
      'not run',
    ]);
    expect(foldRows(cvOf([]), { active: false, fold: 1 }).map((r) => r.status)).toEqual([
      'not run',
      'not run',
      'not run',
    ]);
  });
});

describe('the mean line', () => {
  it('gives the mean ± the sample sd in points, and no spread for one fold', () => {
    expect(meanSdText(0.765, 0.0123, 10)).toBe('76.5% ± 1.2 points (sample sd over 10 folds)');
    expect(meanSdText(0.7, null, 1)).toBe('70.0% (one fold: no spread yet)');
    expect(crossValidationMean(cvOf([result(1, 0.7), result(2, 0.8)]))).toBe(
      '75.0% ± 5.0 points (sample sd over 2 folds)',
    );
    expect(crossValidationMean(cvOf([]))).toBeNull();
  });

  it('headlines accuracy, else frame accuracy', () => {
    expect(headlineFigureName({ mean: { majorityBaseline: 0.5, accuracy: 0.7 } })).toBe('accuracy');
    expect(headlineFigureName({ mean: { frameAccuracy: 0.6 } })).toBe('frameAccuracy');
    expect(headlineFigureName({ mean: { loss: 1 } })).toBeNull();
    expect(headlineFigureName(null)).toBeNull();
  });
});

describe('the job of a cross-validation', () => {
  it('is found by its kind and subject, and its fold read from its progress', () => {
    const subject = { kind: 'experiment' as const, name: 'mr-cv' };
    expect(crossValidationOf({ kind: 'experiment-cross-validate', subject })).toBe('mr-cv');
    expect(crossValidationOf({ kind: 'experiment-train', subject })).toBeNull();
    expect(
      crossValidationJob({ state: 'running', progress: { fraction: 0.4, metrics: { fold: 2 } } }),
    ).toEqual({ active: true, fold: 2 });
    expect(crossValidationJob({ state: 'succeeded', progress: { fraction: 1 } })).toEqual({
      active: false,
      fold: null,
    });
  });
});

describe('savedCrossValidationRows', () => {
  it('lists each cross-validation on disk with its progress and mean, marking the one shown', () => {
    const stopped = { ...cvOf([result(1, 0.7)]), name: 'mr-cv-stopped' };
    const fresh = { ...cvOf([]), name: 'mr-cv-new' };
    const rows = savedCrossValidationRows(
      [cvOf([result(1, 0.7), result(2, 0.8)], 2), stopped, fresh],
      'mr-cv-stopped',
    );
    expect(rows).toEqual([
      {
        name: 'mr-cv',
        task: 'sentiment',
        corpus: 'mr',
        folds: 2,
        finished: 2,
        complete: true,
        mean: '75.0% ± 5.0 points (sample sd over 2 folds)',
        open: false,
      },
      {
        name: 'mr-cv-stopped',
        task: 'sentiment',
        corpus: 'mr',
        folds: 3,
        finished: 1,
        complete: false,
        mean: '75.0% (one fold: no spread yet)',
        open: true,
      },
      {
        name: 'mr-cv-new',
        task: 'sentiment',
        corpus: 'mr',
        folds: 3,
        finished: 0,
        complete: false,
        mean: null,
        open: false,
      },
    ]);
  });
});
