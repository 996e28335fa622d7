import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { runJobsToSuccess } from './support/jobs';
import { TINY_SENTENCES } from '../support/tiny-corpora';
import { tinyPhonesConfig } from '../support/tiny-experiments';
import { ShellPage } from './support/shell-page';
import { EvaluatePage } from './support/evaluate-page';

const canSynthesise = await hasProgram('flite');

let app: E2eAppWithPage;

beforeAll(async () => {
  if (!canSynthesise) return;
  app = await startAppWithPage();
  // The same voices and split by voice, other sentences: the other corpus's test utterances have
  // the ids of the own corpus's, with audio of other lengths. Short ones: synthesis is the
  // file's main cost.
  await runJobsToSuccess(
    app.client,
    { kind: 'corpus-synth-sentences', params: { out: 'sentences', ...TINY_SENTENCES } },
    {
      kind: 'corpus-synth-sentences',
      params: {
        out: 'sentences-other',
        ...TINY_SENTENCES,
        sentences: ['Stop the clock.', 'Glue the sheet to the wall.'],
      },
    },
  );
  await runJobsToSuccess(app.client, {
    kind: 'experiment-train',
    params: {
      config: tinyPhonesConfig('phones-tiny', 'sentences', {
        model: { layers: [{ cell: 'gru', units: 8 }] },
        training: { epochs: 1, batchSize: 2, optimizer: { kind: 'adam', learningRate: 0.02 } },
      }),
    },
  });
  await runJobsToSuccess(
    app.client,
    { kind: 'experiment-evaluate', params: { experiment: 'phones-tiny', split: 'test' } },
    {
      kind: 'experiment-evaluate',
      params: { experiment: 'phones-tiny', corpus: 'sentences-other', split: 'test' },
    },
  );
}, 90_000);

afterAll(async () => {
  await app?.close();
});

describe.skipIf(!canSynthesise)('the Evaluate view and evaluations on another corpus', () => {
  it('lists them by corpus and split, and opens their utterances from that corpus', async () => {
    const shell = new ShellPage(app.page);
    const evaluate = new EvaluatePage(app.page);
    await shell.open(`${app.serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await evaluate.experiment.selectOption('phones-tiny');
    const shown = app.page.getByTestId('evaluate-shown');
    await expect
      .poll(() => shown.locator('option').evaluateAll((o) => o.map((x) => x.textContent)))
      .toEqual(['test', 'test of sentences-other']);

    await shown.selectOption('sentences-other/test');
    const stored = await app.client.invoke('experiments:evaluation', {
      name: 'phones-tiny',
      corpus: 'sentences-other',
      split: 'test',
    });
    expect(stored.evaluation).toEqual({ corpus: 'sentences-other', split: 'test' });
    // Both evaluations list the same utterance ids: wait until the other corpus's is the one shown.
    await expect
      .poll(() => evaluate.results.getAttribute('data-evaluation'), { timeout: 30_000 })
      .toBe('sentences-other/test');
    const rows = evaluate.rows('worst-utterance');
    await expect.poll(() => rows.count()).toBe(stored.predictions.length);
    const utteranceId = (await rows.first().getAttribute('data-utterance'))!;

    // The utterance's posteriors come from the other corpus: the own corpus has an utterance of
    // that id too, of another length.
    const [other, own] = await Promise.all(
      [{ corpus: 'sentences-other' }, {}].map((corpus) =>
        app.client.invoke('experiments:posteriorgram', {
          name: 'phones-tiny',
          split: 'test',
          utteranceId,
          ...corpus,
        }),
      ),
    );
    expect(other!.frames).not.toBe(own!.frames);
    await evaluate.open(rows.first());
    await expect
      .poll(() => evaluate.heatmap.getAttribute('data-columns'), { timeout: 30_000 })
      .toBe(String(other!.frames));
    expect(await evaluate.inspector.locator('header .meta').textContent()).toContain(
      'test of sentences-other',
    );
    expect(app.pageErrors).toEqual([]);
  });
});
