/**
 * The Inside view in a browser: a tiny trained sentence classifier (text) and a tiny phone
 * transducer (speech, flite voices) are opened on a typed sentence and a corpus utterance; each
 * panel draws (the gates and states heatmaps of every layer direction with their saturation and
 * hover values, the gradient through time, the dynamics plot), and the recurrent-weight slider
 * changes the dynamics: at x0 an LSTM layer with zero input settles to a fixed point. One click
 * trains the text model's Elman and GRU siblings as jobs, whose gradients then join the chart.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { trainExperiment } from '../support/builtin-experiments';
import { synthesiseTinySentences } from '../support/tiny-corpora';
import { tinyPhonesConfig } from '../support/tiny-experiments';
import { toySentimentItems } from '../support/toy-sentiment';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';

const SCREENSHOT = '/tmp/unfold-inside-text.png';
const UNROLLED_SCREENSHOT = '/tmp/unfold-inside-unrolled.png';
const canSynthesise = await hasProgram('flite');
let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  const dataDir = app.serve.dataDir;
  const splits = new Map<string, TextSplit>([
    ['train', { format: 'tsv', items: toySentimentItems(60, 21) }],
    ['test', { format: 'tsv', items: toySentimentItems(10, 23) }],
  ]);
  await createTextCorpus(join(dataDir, 'corpora', 'reviews'), splits, {
    name: 'reviews',
    format: 'tsv',
    sourcePath: 'generated',
  });
  await trainExperiment(
    {
      name: 'tiny-sentiment',
      task: 'sentiment',
      corpus: 'reviews',
      data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
      words: { embeddingSize: 8, wordDropout: 0 },
      model: { layers: [{ cell: 'lstm', units: 6, bidirectional: 'concat' }], pooling: 'max' },
      training: { epochs: 2, batchSize: 16, optimizer: { kind: 'adam', learningRate: 0.02 } },
      seed: 3,
    },
    { dataDir, outDir: join(dataDir, 'experiments', 'tiny-sentiment') },
  );
  if (canSynthesise) {
    await synthesiseTinySentences(dataDir);
    await trainExperiment(
      tinyPhonesConfig('tiny-phones', 'sentences', {
        model: { layers: [{ cell: 'gru', units: 8 }] },
        training: { epochs: 1 },
      }),
      { dataDir },
    );
  }
}, 180_000);

afterAll(async () => {
  await app?.close();
});

/** How many different colours the canvas shows: a drawn plot has many, a blank one one. */
function colourCount(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4)
      seen.add(
        ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number),
      );
    return seen.size;
  });
}

async function expectPanelsDrawn(layerKeys: string[], seriesPerLayer: number): Promise<void> {
  const page = app.page;
  await page.getByTestId('inside-summary').waitFor();
  const layers = page.getByTestId('inside-layer');
  await expect
    .poll(() => layers.evaluateAll((all) => all.map((l) => l.getAttribute('data-layer'))))
    .toEqual(layerKeys);
  const heatmaps = page.getByTestId('series-heatmap');
  await expect.poll(() => heatmaps.count()).toBe(layerKeys.length * seriesPerLayer);
  await expect
    .poll(() =>
      heatmaps.evaluateAll((all) =>
        all.every((c) => (c as HTMLCanvasElement).dataset.drawn === 'true'),
      ),
    )
    .toBe(true);
  expect(await colourCount(heatmaps.first())).toBeGreaterThan(1);
  // The gradient chart (uPlot) draws one line per layer direction.
  await page.locator('[data-testid="gradient-chart"] canvas').first().waitFor();
  const dynamicsPlot = page.getByTestId('dynamics-plot');
  await expect.poll(() => dynamicsPlot.getAttribute('data-drawn')).toBe('true');
  expect(await colourCount(dynamicsPlot)).toBeGreaterThan(2);
  await expect
    .poll(() => page.getByTestId('dynamics-behaviour').textContent())
    .toMatch(/settles|cycle|wanders|diverges/);
}

describe('the Inside view', () => {
  it('shows a text model’s gates, states, gradient and dynamics for a typed sentence', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/inside`);
    await shell.waitUntilConnected();
    expect(await shell.plannedPanel.count()).toBe(0);
    await page.getByTestId('inside-experiment').selectOption('tiny-sentiment');
    await page.getByTestId('inside-text').fill('the film was really good');
    await page.getByTestId('inside-run').click();
    await expectPanelsDrawn(['encoder/layer0/fw', 'encoder/layer0/bw'], 6);
    expect(await page.getByTestId('inside-summary').textContent()).toMatch(
      /tiny-sentiment: 5 tokens, 2 layer directions\. The model says/,
    );
    // The tokens run along the same time axis as the heatmaps.
    expect(await page.getByTestId('inside-tokens').locator('li').allTextContents()).toEqual([
      'the',
      'film',
      'was',
      'really',
      'good',
    ]);
    // Gates say how saturated they are; states do not.
    const forget = page.locator('[data-testid="inside-series"][data-series="forget"]').first();
    expect(await forget.getByTestId('saturation').textContent()).toMatch(
      /% below 0.05, [\d.]+% above 0.95/,
    );
    const cell = page.locator('[data-testid="inside-series"][data-series="cell"]').first();
    expect(await cell.getByTestId('saturation').count()).toBe(0);
    // Hovering a heatmap reads out the step's token, the unit and its value.
    const canvas = forget.getByTestId('series-heatmap');
    // The unrolled network above can push the heatmaps below the fold: the mouse needs it on screen.
    await canvas.scrollIntoViewIfNeeded();
    const box = await canvas.boundingBox();
    await page.mouse.move((box?.x ?? 0) + (box?.width ?? 0) - 2, (box?.y ?? 0) + 2);
    await expect
      .poll(() => forget.getByTestId('unit-readout').textContent())
      .toMatch(/step 4 \(good\)unit \d+: [\d.]+/);
    // No gradient of a chosen output step for a sentence classifier: one answer per sentence.
    expect(await page.getByTestId('inside-output-step').count()).toBe(0);
    // Recurrent weights at zero: with a constant drive the cell state c = f c + i g converges.
    await page.getByTestId('dynamics-scale').fill('0');
    await expect
      .poll(() => page.getByTestId('dynamics-behaviour').textContent())
      .toMatch(/× 0\.00: settles to a fixed point \(still from step \d+\)/);
    // From the state the sentence left, with a constant input: still a fixed point at x0.
    await page.getByTestId('dynamics-start').selectOption('4');
    await page.getByTestId('dynamics-drive').fill('0.5');
    await expect
      .poll(() => page.getByTestId('dynamics-behaviour').textContent())
      .toMatch(/× 0\.00: settles to a fixed point/);
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByTestId('inside-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it.skipIf(!canSynthesise)(
    'shows a speech model on a corpus utterance, with an output step to choose',
    async () => {
      const page = app.page;
      await page.getByTestId('inside-experiment').selectOption('tiny-phones');
      await expect
        .poll(() => page.getByTestId('inside-utterance').locator('option').count())
        .toBeGreaterThan(0);
      await page.getByTestId('inside-run').click();
      await expect
        .poll(async () =>
          (await page.getByTestId('inside-error').count()) > 0
            ? page.getByTestId('inside-error').textContent()
            : page.getByTestId('inside-summary').textContent(),
        )
        .toMatch(/tiny-phones: \d+ frames, 1 layer direction\./);
      await expectPanelsDrawn(['encoder/layer0/fw'], 4);
      // The utterance's features are drawn above the layers, on the same time axis.
      await expect
        .poll(() => page.getByTestId('inside-features').getAttribute('data-drawn'))
        .toBe('true');
      expect(await colourCount(page.getByTestId('inside-features'))).toBeGreaterThan(2);
      // A per-step model: the gradient of one output step can be chosen, and later steps get none.
      await page.getByTestId('inside-output-step').selectOption('10');
      await page.getByTestId('inside-run').click();
      await expect
        .poll(() => page.getByTestId('inside-gradients').textContent())
        .toContain('for the output at step 10');
      expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    },
  );

  it('unrolls the network over a window of steps, plots chosen units and exports a layer as CSV', async () => {
    const page = app.page;
    await page.getByTestId('inside-experiment').selectOption('tiny-sentiment');
    await page.getByTestId('inside-text').fill('the film was really good and the story was fun');
    await page.getByTestId('inside-run').click();
    await expect
      .poll(() => page.getByTestId('inside-summary').textContent())
      .toMatch(/tiny-sentiment: 10 tokens/);
    // Eight of the ten steps at a time: input, two directions and the answer; then scrolled on.
    const unrolled = page.getByTestId('unrolled-canvas');
    await expect.poll(() => unrolled.getAttribute('data-drawn')).toBe('true');
    expect(await unrolled.getAttribute('data-steps-shown')).toBe('8');
    expect(await unrolled.getAttribute('data-rows')).toBe('4');
    expect(await colourCount(unrolled)).toBeGreaterThan(4);
    await page.getByTestId('unrolled-later').click();
    await expect.poll(() => unrolled.getAttribute('data-first-step')).toBe('2');
    // Rows by correlation with a word of the input; a click on a row plots its unit over time.
    await page.getByTestId('inside-sort').selectOption('correlation');
    expect(
      await page.getByTestId('inside-sort-label').locator('option').first().textContent(),
    ).toBe('the input word is “the” (2 steps)');
    const forwards = page.getByTestId('inside-layer').first();
    await forwards
      .getByTestId('series-heatmap')
      .first()
      .click({ position: { x: 5, y: 3 } });
    await expect
      .poll(() => forwards.getByTestId('unit-lines-chart').getAttribute('data-points'))
      .toBe('10');
    // The layer's six LSTM series of 6 units each, one column per token.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      forwards.getByTestId('inside-layer-csv').click(),
    ]);
    expect(download.suggestedFilename()).toBe('tiny-sentiment-encoder-layer0-fw.csv');
    const lines = (await readFile(await download.path(), 'utf8')).trimEnd().split('\n');
    expect(lines[0]).toBe('series,unit,0,1,2,3,4,5,6,7,8,9');
    expect(lines).toHaveLength(1 + 6 * 6);
    expect(lines[1]?.split(',')).toHaveLength(12);
    await page.getByTestId('inside-unrolled').screenshot({ path: UNROLLED_SCREENSHOT });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('trains the Elman and GRU siblings of the LSTM as jobs and overlays their gradients', async () => {
    const page = app.page;
    const gradients = page.getByTestId('inside-gradients');
    expect(await gradients.getAttribute('data-models')).toBe('1');
    await gradients.getByTestId('compare-cells').click();
    const siblings = ['tiny-sentiment-elman', 'tiny-sentiment-gru'];
    // Ordinary train jobs, one per missing cell, in the job list; the tiny model trains in seconds.
    await expect
      .poll(
        async () =>
          (await app.client.invoke('jobs:list'))
            .filter((job) => job.kind === 'experiment-train' && job.state === 'succeeded')
            .map((job) => job.subject?.name)
            .sort(),
        { timeout: 90_000, interval: 500 },
      )
      .toEqual(siblings);
    for (const [name, cell] of [
      ['tiny-sentiment-elman', 'rnn'],
      ['tiny-sentiment-gru', 'gru'],
    ] as const)
      expect((await app.client.invoke('experiments:get', { name })).config.model).toMatchObject({
        layers: [{ cell, units: 6, bidirectional: 'concat' }],
        pooling: 'max',
      });
    // The same sentence through all three models, one colour per cell in one log chart.
    await expect.poll(() => gradients.getAttribute('data-models'), { timeout: 30_000 }).toBe('3');
    const legend = await gradients.locator('.u-legend .u-series').allTextContents();
    for (const label of [
      'LSTM · tiny-sentiment ',
      'Elman RNN · tiny-sentiment-elman ',
      'GRU · tiny-sentiment-gru ',
    ])
      expect(legend.some((text) => text.includes(label))).toBe(true);
    expect(await gradients.getByTestId('compare-cells').isDisabled()).toBe(true);
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
