/**
 * The language-model channels of the app over a tiny trained model: lm:read scores a typed text
 * and ranks the next units as the domain does; lm:generate streams every unit as an lm:unit
 * event (the same units the domain generates for the seed) and ends with lm:generated;
 * lm:stop ends a long generation early; bad settings and ids are refused with clear errors.
 * The model ties its input and output embeddings (the lm config's tiedEmbeddings).
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventChannel, EventPayload } from '../../src-main/api/contract';
import type { LmGeneratedPayload, LmReading, LmUnitPayload } from '../../src-main/api/lm';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { experimentModelFile } from '../../src-main/domain/experiments/experiment-folder';
import { loadLanguageModel } from '../../src-main/domain/text/lm/language-model';
import type { LanguageModel } from '../../src-main/domain/text/lm/language-model';
import { createUnfoldApp, type UnfoldApp } from '../../src-main/server/unfold-app';
import { trainExperiment } from '../support/builtin-experiments';

const root = join(import.meta.dirname, '..', '..');
const worker = { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] };
const EXPERIMENT = 'counting-lm';
const LINE = 'one two three four five six';

let dataDir: string;
let app: UnfoldApp;
let lm: LanguageModel;
const events: { event: EventChannel; payload: EventPayload<EventChannel> }[] = [];

beforeAll(async () => {
  dataDir = await mkdtemp(join(tmpdir(), 'unfold-lm-channels-'));
  const lines = (n: number): string[] => Array.from({ length: n }, () => LINE);
  const data = new Map<string, TextSplit>(
    Object.entries({ train: lines(20), dev: lines(2), test: lines(2) }).map(([split, l]) => [
      split,
      { format: 'plain', lines: l },
    ]),
  );
  await createTextCorpus(join(dataDir, 'corpora', 'counting'), data, {
    name: 'counting',
    format: 'plain',
    sourcePath: 'generated',
  });
  await trainExperiment(
    {
      name: EXPERIMENT,
      task: 'lm',
      corpus: 'counting',
      data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
      words: { embeddingSize: 8, minCount: 1 },
      model: { layers: [{ cell: 'lstm', units: 8 }] },
      training: {
        epochs: 3,
        batchSize: 2,
        optimizer: { kind: 'adam', learningRate: 0.03 },
        bptt: { kind: 'truncated', window: 8 },
      },
      baseline: null,
      // The task's tied option, end to end: the model below has no output kernel of its own.
      tiedEmbeddings: true,
      seed: 2,
    },
    { dataDir, outDir: join(dataDir, 'experiments', EXPERIMENT) },
  );
  lm = await loadLanguageModel(join(dataDir, 'experiments', EXPERIMENT));
  app = createUnfoldApp({ dataDir, worker, version: '0.0.0-test' });
  app.events.subscribe((event, payload) => events.push({ event, payload }));
}, 170_000);

afterAll(async () => {
  lm?.dispose();
  await app?.dispose();
  await rm(dataDir, { recursive: true, force: true });
});

/** The lm:generated event of a generation, once it comes. */
async function ended(id: string): Promise<LmGeneratedPayload> {
  for (;;) {
    const end = events.find(
      (e) => e.event === 'lm:generated' && (e.payload as LmGeneratedPayload).id === id,
    );
    if (end) return end.payload as LmGeneratedPayload;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

const unitsOf = (id: string): LmUnitPayload[] =>
  events
    .filter((e) => e.event === 'lm:unit' && (e.payload as LmUnitPayload).id === id)
    .map((e) => e.payload as LmUnitPayload);

describe('the language-model channels', () => {
  it('serve a model trained with tied embeddings (no output kernel saved)', async () => {
    const saved = JSON.parse(
      await readFile(experimentModelFile(join(dataDir, 'experiments', EXPERIMENT)), 'utf8'),
    ) as {
      modelTopology: { output: { tiedEmbeddings?: boolean } };
      weightsManifest: { weights: { name: string }[] }[];
    };
    expect(saved.modelTopology.output.tiedEmbeddings).toBe(true);
    const names = saved.weightsManifest.flatMap((group) => group.weights.map((w) => w.name));
    expect(names).toContain('embedding/embeddings');
    expect(names).toContain('output/bias');
    expect(names).not.toContain('output/kernel');
  });

  it("reads a text: each unit's probability and surprisal, and the next units ranked", async () => {
    const response = await app.dispatch('lm:read', {
      experiment: EXPERIMENT,
      text: 'one two zebra',
      top: 3,
    });
    expect(response.ok).toBe(true);
    if (!response.ok) return;
    const reading = response.result as LmReading;
    const expected = lm.readPrefix('one two zebra', 3);
    expect(reading.level).toBe('word');
    expect(reading.vocabularySize).toBe(lm.vocabularySize - 1);
    expect(reading.units.map((u) => [u.text, u.unknown])).toEqual([
      ['one', false],
      ['two', false],
      ['zebra', true],
    ]);
    reading.units.forEach((unit, i) => {
      const logProb = expected.units[i]!.logProb;
      expect(unit.probability).toBeCloseTo(Math.exp(logProb), 10);
      expect(unit.surprisal).toBeCloseTo(-logProb / Math.LN2, 10);
    });
    expect(reading.next).toEqual(
      expected.next.map((u) => ({ text: u.text, probability: u.probability })),
    );
  });

  it('streams a generation unit by unit as lm:unit events, then lm:generated', async () => {
    const settings = { prompt: 'one', units: 12, temperature: 1, seed: 4 };
    const started = await app.dispatch('lm:generate', {
      id: 'g-stream',
      experiment: EXPERIMENT,
      ...settings,
    });
    expect(started).toMatchObject({
      ok: true,
      result: { id: 'g-stream', level: 'word', promptUnits: ['one'], unknownPromptUnits: [] },
    });
    const end = await ended('g-stream');
    expect(end).toEqual({ id: 'g-stream', end: 'finished', units: 12, error: null });
    const streamed = unitsOf('g-stream');
    const expected = lm.generate(settings).units;
    expect(streamed.map((u) => u.index)).toEqual(expected.map((_, i) => i));
    expect(streamed.map((u) => [u.text, u.probability])).toEqual(
      expected.map((u) => [u.text, u.probability]),
    );
  });

  it('stops a generation between two units', async () => {
    const started = await app.dispatch('lm:generate', {
      id: 'g-stop',
      experiment: EXPERIMENT,
      units: 1000,
    });
    expect(started.ok).toBe(true);
    expect(await app.dispatch('lm:stop', { id: 'g-stop' })).toEqual({
      ok: true,
      result: { id: 'g-stop', stopped: true },
    });
    const end = await ended('g-stop');
    expect(end.end).toBe('stopped');
    expect(end.units).toBeLessThan(1000);
    expect(unitsOf('g-stop')).toHaveLength(end.units);
    // Ended: there is nothing left to stop.
    expect(await app.dispatch('lm:stop', { id: 'g-stop' })).toEqual({
      ok: true,
      result: { id: 'g-stop', stopped: false },
    });
  });

  it('stops a generation whose start has not been answered yet', async () => {
    // The stop is sent while the start still awaits the experiment folder and the model.
    const starting = app.dispatch('lm:generate', {
      id: 'g-early-stop',
      experiment: EXPERIMENT,
      units: 1000,
    });
    expect(await app.dispatch('lm:stop', { id: 'g-early-stop' })).toEqual({
      ok: true,
      result: { id: 'g-early-stop', stopped: true },
    });
    expect((await starting).ok).toBe(true);
    const end = await ended('g-early-stop');
    expect(end).toMatchObject({ end: 'stopped', units: 0 });
    expect(unitsOf('g-early-stop')).toEqual([]);
  });

  it('refuses bad settings with what is wrong, and starts nothing', async () => {
    const before = events.length;
    const negative = await app.dispatch('lm:generate', {
      id: 'g-bad',
      experiment: EXPERIMENT,
      units: 5,
      temperature: -0.5,
    });
    expect(negative).toMatchObject({ ok: false, error: { code: 'LM_BAD_TEMPERATURE' } });
    const badId = await app.dispatch('lm:generate', {
      id: 'a b',
      experiment: EXPERIMENT,
      units: 5,
    });
    expect(badId).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    const tooLong = await app.dispatch('lm:read', {
      experiment: EXPERIMENT,
      text: 'x'.repeat(2_001),
    });
    expect(tooLong).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(events.slice(before)).toEqual([]);
  });
});
