/**
 * The Inside view in a browser on tiny language models trained in the setup (a word LSTM LM, two
 * epochs, and the toy biLM, one): a typed sentence is traced with the end of sentence first, the
 * gates and states draw under its words, the outputs are the next-word distribution, the
 * gradient's loss scores the text's own next words by default (offered beside the model's answer),
 * units can be sorted by correlation with "the next unit is X", and the gradient chart draws; a
 * biLM shows both directions' layers on the same words and its backward LM's outputs as a second
 * panel.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import type { InsideTrace } from '@api/inside';
import { trainExperiment } from '../support/builtin-experiments';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { createToyTextCorpus, toyBilmConfig } from './support/toy-language';
import { colourCount } from './support/canvas-colours';

const CORPUS = 'toy-text';
const WORD_LM = 'tiny-word-lm';
const BILM = 'tiny-bilm';
const SENTENCE = 'the dog sees a cat';
const SCREENSHOT = '/tmp/unfold-inside-lm.png';
const BILM_SCREENSHOT = '/tmp/unfold-inside-bilm.png';
let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  const dataDir = app.serve.dataDir;
  await createToyTextCorpus(dataDir, CORPUS, {
    train: { count: 80, seed: 41 },
    dev: { count: 10, seed: 42 },
    test: { count: 10, seed: 43 },
  });
  const data = { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } };
  await trainExperiment(
    {
      name: WORD_LM,
      task: 'lm',
      corpus: CORPUS,
      data,
      words: { embeddingSize: 8, minCount: 1 },
      model: { layers: [{ cell: 'lstm', units: 12 }] },
      training: {
        epochs: 2,
        batchSize: 4,
        optimizer: { kind: 'adam', learningRate: 0.03 },
        bptt: { kind: 'truncated', window: 12 },
        clipNorm: 5,
      },
      baseline: null,
      seed: 5,
    },
    { dataDir, outDir: join(dataDir, 'experiments', WORD_LM) },
  );
  await trainExperiment(toyBilmConfig(BILM, CORPUS, data), {
    dataDir,
    outDir: join(dataDir, 'experiments', BILM),
  });
}, 120_000);

afterAll(async () => {
  await app?.close();
});

/** Opens the view on `experiment`, types the sentence and waits for the summary (or an error). */
async function lookInside(page: Page, experiment: string, pattern: RegExp): Promise<void> {
  await page.getByTestId('inside-experiment').selectOption(experiment);
  await page.getByTestId('inside-text').fill(SENTENCE);
  await page.getByTestId('inside-run').click();
  await expect
    .poll(async () =>
      (await page.getByTestId('inside-error').count()) > 0
        ? page.getByTestId('inside-error').textContent()
        : page.getByTestId('inside-summary').textContent(),
    )
    .toMatch(pattern);
}

async function everyHeatmapDrawn(page: Page, count: number): Promise<void> {
  const heatmaps = page.getByTestId('series-heatmap');
  await expect.poll(() => heatmaps.count()).toBe(count);
  await expect
    .poll(() =>
      heatmaps.evaluateAll((all) =>
        all.every((c) => (c as HTMLCanvasElement).dataset.drawn === 'true'),
      ),
    )
    .toBe(true);
}

describe('the Inside view on a language model', () => {
  it('traces a typed sentence with the text’s next words as the reference', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    const trace: InsideTrace = await app.client.invoke('inside:trace', {
      experiment: WORD_LM,
      input: { kind: 'text', text: SENTENCE },
    });
    const words = SENTENCE.split(' ');
    expect(trace.axis).toEqual({ kind: 'tokens', tokens: ['</s>', ...words] });
    expect(trace.reference).toEqual([...words, '</s>']);
    expect(trace.lossTarget).toBe('reference');

    await shell.open(`${app.serve.url}#/inside`);
    await shell.waitUntilConnected();
    await lookInside(page, WORD_LM, new RegExp(`${WORD_LM}: 6 tokens, 1 layer direction\\.`));
    expect(await page.getByTestId('inside-tokens').locator('li').allTextContents()).toEqual([
      '</s>',
      ...words,
    ]);
    expect(await page.getByTestId('inside-reference').textContent()).toBe(
      [...words, '</s>'].join(' '),
    );
    expect(await page.getByTestId('inside-summary').textContent()).toContain(
      'The text’s next units are',
    );
    // The LSTM's four gates, candidate, cell and output, all drawn.
    await everyHeatmapDrawn(page, 6);
    expect(await colourCount(page.getByTestId('series-heatmap').first())).toBeGreaterThan(1);
    // The outputs: the next-word distribution at each of the 6 steps.
    const outputs = page.getByTestId('inside-outputs');
    expect(await outputs.locator('h2').textContent()).toBe('Next-unit probabilities (softmax)');
    const outputCanvas = outputs.getByTestId('outputs-heatmap');
    await expect.poll(() => outputCanvas.getAttribute('data-drawn')).toBe('true');
    expect(await colourCount(outputCanvas)).toBeGreaterThan(1);
    // The reference is offered for the loss, and chosen by default.
    const target = page.getByTestId('inside-loss-target');
    expect(await target.inputValue()).toBe('reference');
    expect(await target.locator('option').allTextContents()).toEqual([
      'the text’s own next units',
      'the model’s own answer',
    ]);
    // Units by correlation with "the next unit is X".
    await page.getByTestId('inside-sort').selectOption('correlation');
    const labels = await page.getByTestId('inside-sort-label').locator('option').allTextContents();
    expect(labels).toContain('the next unit is “dog” (1 step)');
    expect(labels).toContain('the next unit is “</s>” (1 step)');
    await page
      .getByTestId('inside-sort-label')
      .selectOption({ label: 'the next unit is “dog” (1 step)' });
    await everyHeatmapDrawn(page, 6);
    // The gradient chart draws the layer's line; the answer can be scored instead.
    await page.locator('[data-testid="gradient-chart"] canvas').first().waitFor();
    await expect
      .poll(() => page.getByTestId('gradient-chart').getAttribute('data-lines'))
      .toBe('1');
    await target.selectOption('answer');
    await expect.poll(() => page.getByTestId('inside-loss-target').inputValue()).toBe('answer');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByTestId('inside-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('shows a biLM’s two directions on the same words, with the backward LM’s outputs', async () => {
    const page = app.page;
    await lookInside(page, BILM, new RegExp(`${BILM}: 7 tokens, 2 layer directions\\.`));
    expect(
      await page
        .getByTestId('inside-layer')
        .evaluateAll((all) => all.map((l) => l.getAttribute('data-layer'))),
    ).toEqual(['encoder/layer0/fw', 'encoder/layer0/bw']);
    expect(await page.getByTestId('inside-tokens').locator('li').allTextContents()).toEqual([
      '</s>',
      ...SENTENCE.split(' '),
      '</s>',
    ]);
    await everyHeatmapDrawn(page, 12);
    const panels = page.getByTestId('inside-outputs');
    expect(
      await panels.evaluateAll((all) => all.map((p) => p.getAttribute('data-file-stem'))),
    ).toEqual(['outputs', 'backward-outputs']);
    expect(await panels.nth(1).locator('h2').textContent()).toBe(
      'Backward LM: the previous unit (softmax)',
    );
    for (const k of [0, 1])
      await expect
        .poll(() => panels.nth(k).getByTestId('outputs-heatmap').getAttribute('data-drawn'))
        .toBe('true');
    expect(await page.getByTestId('inside-backward-answer').textContent()).toMatch(/\S/);
    await page.getByTestId('inside-sort').selectOption('correlation');
    expect(
      await page.getByTestId('inside-sort-label').locator('option').allTextContents(),
    ).toContain('the previous unit is “dog” (1 step)');
    await expect
      .poll(() => page.getByTestId('gradient-chart').getAttribute('data-lines'))
      .toBe('2');
    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByTestId('inside-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: BILM_SCREENSHOT });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
