import { describe, expect, it } from 'vitest';
import type { LabelledText } from '../corpus/formats/tsv';
import { newManifest } from '../corpus/manifest';
import type { Corpus, TextSplit, Utterance } from '../corpus/model';
import type { CommonExperimentConfig, HeldOut } from './config/common-config';
import { DEFAULT_HELD_OUT, HELD_OUT_SPLITS } from './config/common-config';
import {
  checkConfigSplits,
  dataViewOf,
  smallPartWarnings,
  withHeldOutDefault,
} from './config-splits';
import { foldOf } from './held-out-parts';

const items = (count: number, from = 0): LabelledText[] =>
  Array.from({ length: count }, (_, i) => ({
    label: i % 3 === 0 ? 'neg' : 'pos',
    text: `sentence number ${from + i}`,
  }));

function textCorpus(splits: Record<string, LabelledText[]>): Corpus {
  return {
    dir: '/corpora/toy',
    manifest: newManifest({
      name: 'toy',
      kind: 'text',
      textFormat: 'tsv',
      tasks: ['sentence-classification'],
      labels: ['neg', 'pos'],
      phoneSet: null,
      splits: Object.keys(splits),
    }),
    data: {
      kind: 'text',
      splits: new Map<string, TextSplit>(
        Object.entries(splits).map(([name, list]) => [name, { format: 'tsv', items: list }]),
      ),
    },
  };
}

function config(data: Partial<CommonExperimentConfig['data']> = {}): CommonExperimentConfig {
  return {
    format: 'unfold-experiment',
    version: 1,
    name: 'x',
    task: 'sentiment',
    corpus: 'toy',
    data: {
      train: { splits: ['train'] },
      dev: { splits: ['train'] },
      test: { splits: ['train'] },
      heldOut: DEFAULT_HELD_OUT,
      ...data,
    },
    training: {} as CommonExperimentConfig['training'],
    seed: 1,
  };
}

/** Which part (train, dev, test) each item's text falls in. */
function partsOf(corpus: Corpus, c: CommonExperimentConfig): Map<string, string> {
  const view = dataViewOf(corpus, c);
  const out = new Map<string, string>();
  if (view.corpus.data.kind !== 'text') return out;
  for (const [role, split] of Object.entries(HELD_OUT_SPLITS)) {
    const part = view.corpus.data.splits.get(split);
    if (part?.format === 'tsv') for (const item of part.items) out.set(item.text, role);
  }
  return out;
}

describe('held-out parts', () => {
  it('never move an item when items are added before, between or after it', () => {
    const original = items(600);
    const before = partsOf(textCorpus({ train: original }), config());
    const grown = [...items(50, 10_000), ...original.slice(0, 300), ...items(80, 20_000)];
    grown.push(...original.slice(300), ...items(40, 30_000));
    const after = partsOf(textCorpus({ train: grown }), config());
    for (const item of original) expect(after.get(item.text)).toBe(before.get(item.text));
    expect(after.size).toBe(grown.length);
  });

  it('are the same for the same seed and differ for another', () => {
    const corpus = textCorpus({ train: items(400) });
    const first = partsOf(corpus, config());
    expect(partsOf(corpus, config())).toEqual(first);
    const reseeded = partsOf(
      corpus,
      config({ heldOut: { ...DEFAULT_HELD_OUT, seed: 7 } satisfies HeldOut }),
    );
    const moved = [...first].filter(([text, role]) => reseeded.get(text) !== role).length;
    expect(moved).toBeGreaterThan(0);
  });

  it('respect the fractions: 10% test, 10% of the rest dev (binomial bounds, 4 standard deviations)', () => {
    const n = 5000;
    const { sizes } = dataViewOf(textCorpus({ train: items(n) }), config());
    expect(sizes).not.toBeNull();
    const { train, dev, test } = sizes as NonNullable<typeof sizes>;
    expect(train + dev + test).toBe(n);
    const bound = (count: number, p: number): number => 4 * Math.sqrt(count * p * (1 - p));
    expect(Math.abs(test - n * 0.1)).toBeLessThan(bound(n, 0.1));
    expect(Math.abs(dev - (n - test) * 0.1)).toBeLessThan(bound(n - test, 0.1));
  });

  it('cut the items into folds that partition them: every item is tested in exactly one fold', () => {
    const corpus = textCorpus({ train: items(300) });
    const tested = new Map<string, number>();
    for (let fold = 1; fold <= 5; fold++) {
      const parts = partsOf(
        corpus,
        config({ heldOut: { folds: 5, testFold: fold, devShare: 0.1, seed: 3 } }),
      );
      expect(parts.size).toBe(300);
      for (const [text, role] of parts) {
        if (role !== 'test') continue;
        expect(tested.has(text)).toBe(false);
        tested.set(text, fold);
        expect(foldOf(text, 5, 3)).toBe(fold);
      }
    }
    expect(tested.size).toBe(300);
  });

  it('put identical sentences in the same part', () => {
    const twice = [...items(200), ...items(200)];
    const view = dataViewOf(textCorpus({ train: twice }), config());
    const texts = (role: keyof typeof HELD_OUT_SPLITS): Set<string> => {
      const part =
        view.corpus.data.kind === 'text'
          ? view.corpus.data.splits.get(HELD_OUT_SPLITS[role])
          : undefined;
      return new Set(part?.format === 'tsv' ? part.items.map((i) => i.text) : []);
    };
    const test = texts('test');
    for (const text of texts('train')) expect(test.has(text)).toBe(false);
    expect(view.sizes?.test).toBe(2 * test.size);
  });

  it('without a dev role, train on every item outside the test fold', () => {
    const { sizes, config: seen } = dataViewOf(
      textCorpus({ train: items(500) }),
      config({ dev: null }),
    );
    expect(sizes?.dev).toBe(0);
    expect((sizes?.train ?? 0) + (sizes?.test ?? 0)).toBe(500);
    expect(seen.data).toEqual({
      train: { splits: [HELD_OUT_SPLITS.train] },
      dev: null,
      test: { splits: [HELD_OUT_SPLITS.test] },
      heldOut: null,
    });
  });

  it('keep utterance ids and speakers of a speech corpus, and refuse an empty part', () => {
    const utterances: Utterance[] = Array.from({ length: 200 }, (_, i) => ({
      id: `s${i % 4}-u${i}`,
      recordingId: `r${i}`,
      speaker: `s${i % 4}`,
      split: i < 150 ? 'train' : 'test',
      text: 'yes',
    }));
    const speech: Corpus = {
      dir: '/corpora/speech',
      manifest: newManifest({
        name: 'speech',
        kind: 'speech',
        tasks: ['word-classification'],
        labels: ['yes'],
        phoneSet: null,
        splits: ['train', 'test'],
      }),
      data: { kind: 'speech', recordings: [], utterances, alignments: new Map() },
    };
    const view = dataViewOf(speech, config({ dev: null }));
    const kept = view.corpus.data.kind === 'speech' ? view.corpus.data.utterances : [];
    // Only the train split is divided: its 150 utterances, each once, with its own id.
    expect(kept.map((u) => u.id).sort()).toEqual(
      utterances
        .filter((u) => u.split === 'train')
        .map((u) => u.id)
        .sort(),
    );
    expect(new Set(kept.map((u) => u.split))).toEqual(
      new Set([HELD_OUT_SPLITS.train, HELD_OUT_SPLITS.test]),
    );
    expect(() =>
      dataViewOf(
        textCorpus({ train: items(3) }),
        config({ dev: null, heldOut: { folds: 100, testFold: 1, devShare: 0.1, seed: 1 } }),
      ),
    ).toThrow(/held-out test part of toy \(splits train, fold 1 of 100\) has no item/);
  });

  it('warn about small parts', () => {
    expect(smallPartWarnings({ train: 20, dev: 12, test: 25 }, true)).toEqual([
      'the held-out train part has 20 items: too few examples for a model to learn much from',
      'the held-out dev part has 12 items: one error moves its accuracy by 8.3 points, and the best epoch is chosen by that accuracy',
      'the held-out test part has 25 items: one error moves its accuracy by 4.0 points',
    ]);
    expect(smallPartWarnings({ train: 500, dev: 0, test: 30 }, false)).toEqual([]);
    expect(smallPartWarnings(null, true)).toEqual([]);
  });
});

describe('the held-out default', () => {
  const asked = config({
    dev: { splits: ['dev'] },
    test: { splits: ['test'] },
    heldOut: null,
  });

  it('divides a text corpus that has only the training split, dev carved from the rest', () => {
    const resolved = withHeldOutDefault(asked, textCorpus({ train: items(10) }));
    expect(resolved.data).toEqual({
      train: { splits: ['train'] },
      dev: { splits: ['train'] },
      test: { splits: ['train'] },
      heldOut: DEFAULT_HELD_OUT,
    });
    expect(DEFAULT_HELD_OUT).toMatchObject({ folds: 10, testFold: 1, devShare: 0.1 });
    const noDev = withHeldOutDefault(
      { ...asked, data: { ...asked.data, dev: null } },
      textCorpus({ train: items(10) }),
    );
    expect(noDev.data.dev).toBeNull();
  });

  it('leaves a corpus with its own test split, and a config with a division, as they are', () => {
    const corpus = textCorpus({ train: items(10), test: items(5, 100) });
    expect(withHeldOutDefault(asked, corpus)).toBe(asked);
    const divided = config();
    expect(withHeldOutDefault(divided, textCorpus({ train: items(10) }))).toBe(divided);
  });

  it('refuses a division whose roles name other splits than training', () => {
    const corpus = textCorpus({ train: items(10), test: items(5, 100) });
    expect(() => checkConfigSplits(corpus, config({ test: { splits: ['test'] } }))).toThrow(
      /data\.dev and data\.test must name the same splits/,
    );
  });
});
