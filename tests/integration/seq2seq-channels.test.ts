/**
 * The seq2seq:translate channel of the app over a tiny trained encoder-decoder with attention
 * (toy reversal pairs, characters on both sides): it returns the n-best list the domain's
 * translator (the one `unfold translate` uses) gives for the same text and beam, with each
 * hypothesis's attention as a matrix of output steps by source units; without a beam it uses the
 * experiment's own; bad parameters and texts are refused with clear errors.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MAX_SEQ2SEQ_TEXT_LENGTH, type Seq2seqTranslation } from '../../src-main/api/seq2seq';
import { loadSeq2seqTranslator } from '../../src-main/domain/text/seq2seq/translator';
import type { Seq2seqTranslator } from '../../src-main/domain/text/seq2seq/translator';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';
import { trainExperiment } from '../support/builtin-experiments';
import { createReversalCorpus, reversalPairs, reverserConfig } from '../support/toy-pairs';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const EXPERIMENT = 'tiny-reverser';
/** The experiment's own beam (decoding.beam), used when a request names none. */
const OWN_BEAM = 2;

let dataDir: string;
let app: UnfoldApp;
let translator: Seq2seqTranslator;

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-seq2seq-channels-'));
  await createReversalCorpus(dataDir, 'reversal', {
    train: reversalPairs(40, 1),
    dev: reversalPairs(6, 2),
    test: reversalPairs(8, 3),
  });
  await trainExperiment(
    reverserConfig(EXPERIMENT, 'reversal', {
      cell: 'gru',
      units: 8,
      attention: 'additive',
      beam: OWN_BEAM,
      epochs: 2,
      dev: true,
    }),
    { dataDir, outDir: join(dataDir, 'experiments', EXPERIMENT) },
  );
  translator = await loadSeq2seqTranslator(join(dataDir, 'experiments', EXPERIMENT));
  app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });
}, 120_000);

afterAll(async () => {
  translator?.dispose();
  await app?.dispose();
  if (dataDir) await rm(dataDir, { recursive: true, force: true });
});

async function translate(params: Record<string, unknown>): Promise<Seq2seqTranslation> {
  const response = await app.dispatch('seq2seq:translate', params);
  if (!response.ok) throw new Error(`${response.error.code}: ${response.error.message}`);
  return response.result as Seq2seqTranslation;
}

/** A matrix's rows as arrays of numbers. */
function rowsOf(matrix: { data: Float32Array; rows: number; cols: number }): number[][] {
  return Array.from({ length: matrix.rows }, (_, r) =>
    Array.from(matrix.data.subarray(r * matrix.cols, (r + 1) * matrix.cols)),
  );
}

describe('the seq2seq:translate channel', () => {
  it("returns the domain translator's n-best list, each with its attention matrix", async () => {
    const result = await translate({ experiment: EXPERIMENT, text: 'abcd', beam: 3 });
    const expected = translator.translate('abcd', { beam: 3 });
    expect(result.experiment).toBe(EXPERIMENT);
    expect(result.sourceUnits).toEqual(['a', 'b', 'c', 'd']);
    expect(result.beam).toBe(3);
    expect(result.defaultBeam).toBe(OWN_BEAM);
    expect(result.attention).toBe('additive');
    expect(result.nBest.length).toBeGreaterThan(1);
    expect(
      result.nBest.map((h) => ({
        units: h.units,
        text: h.text,
        logProb: h.logProb,
        score: h.score,
        finished: h.finished,
      })),
    ).toEqual(
      expected.nBest.map((o) => ({
        units: o.symbols,
        text: o.text,
        logProb: o.logProb,
        score: o.score,
        finished: o.finished,
      })),
    );
    result.nBest.forEach((hypothesis, i) => {
      const attention = hypothesis.attention;
      expect(attention).not.toBeNull();
      if (!attention) return;
      // One row per output unit, and one for the end symbol when it ended; a column per source unit.
      expect(attention.rows).toBe(hypothesis.units.length + (hypothesis.finished ? 1 : 0));
      expect(attention.cols).toBe(4);
      expect(attention.data).toBeInstanceOf(Float32Array);
      expect(rowsOf(attention)).toEqual(expected.nBest[i]?.alignment);
      for (const row of rowsOf(attention))
        expect(row.reduce((sum, w) => sum + w, 0)).toBeCloseTo(1, 5);
    });
  });

  it("decodes with the experiment's own beam when none is asked for, and greedily with beam 1", async () => {
    const own = await translate({ experiment: EXPERIMENT, text: 'cab' });
    expect(own.beam).toBe(OWN_BEAM);
    expect(own.nBest.map((h) => h.units)).toEqual(
      translator.translate('cab').nBest.map((o) => o.symbols),
    );
    const greedy = await translate({ experiment: EXPERIMENT, text: 'cab', beam: 1 });
    expect(greedy.nBest).toHaveLength(1);
    expect(greedy.nBest[0]?.units).toEqual(
      translator.translate('cab', { beam: 1 }).nBest[0]?.symbols,
    );
  });

  it('names source units training never saw', async () => {
    const result = await translate({ experiment: EXPERIMENT, text: 'abz' });
    expect(result.sourceUnits).toEqual(['a', 'b', 'z']);
    expect(result.unknownUnits).toEqual(['z']);
  });

  it('refuses bad beams, over-long and empty texts, and unknown experiments', async () => {
    const refusal = async (params: Record<string, unknown>): Promise<string> => {
      const response = await app.dispatch('seq2seq:translate', params);
      expect(response.ok).toBe(false);
      return response.ok ? '' : `${response.error.code}: ${response.error.message}`;
    };
    expect(await refusal({ experiment: EXPERIMENT, text: 'abc', beam: 0 })).toMatch(
      /^INVALID_PARAMS: .*beam/s,
    );
    expect(await refusal({ experiment: EXPERIMENT, text: 'abc', beam: 1.5 })).toMatch(
      /^INVALID_PARAMS: .*beam/s,
    );
    expect(await refusal({ experiment: EXPERIMENT, text: 'abc', beam: 65 })).toMatch(
      /^INVALID_PARAMS: .*beam/s,
    );
    expect(
      await refusal({ experiment: EXPERIMENT, text: 'a'.repeat(MAX_SEQ2SEQ_TEXT_LENGTH + 1) }),
    ).toMatch(/^INVALID_PARAMS: .*text/s);
    expect(await refusal({ experiment: EXPERIMENT, text: '   ' })).toMatch(
      /^SEQ2SEQ_EMPTY_SOURCE: The text to translate is empty/,
    );
    expect(await refusal({ experiment: '../elsewhere', text: 'abc' })).toMatch(/^INVALID_PARAMS/);
    expect(await refusal({ experiment: 'no-such-model', text: 'abc' })).toMatch(/no-such-model/);
  });
});
