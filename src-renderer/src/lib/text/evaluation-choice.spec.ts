import { describe, expect, it } from 'vitest';
import { defaultEvaluation, PREFERRED_SPLITS } from './evaluation-choice';

const own = (split: string) => ({ corpus: null, split });

describe('defaultEvaluation with held-out parts', () => {
  it("shows a classifier's held-out test part first, not the whole training split", () => {
    const refs = [own('train'), own('held-out-test')];
    expect(defaultEvaluation(refs, PREFERRED_SPLITS.classification)).toEqual(own('held-out-test'));
  });

  it("shows a tagger's held-out dev part, then the dev split, before any test", () => {
    expect(
      defaultEvaluation([own('held-out-test'), own('held-out-dev')], PREFERRED_SPLITS.tagging),
    ).toEqual(own('held-out-dev'));
    expect(defaultEvaluation([own('test'), own('dev')], PREFERRED_SPLITS.tagging)).toEqual(
      own('dev'),
    );
    expect(defaultEvaluation([own('train'), own('held-out-test')])).toEqual(own('held-out-test'));
  });
});
