/**
 * The Inside view in a browser on a tiny encoder-decoder with attention (an LSTM trained in the
 * setup to reverse letter strings): a typed word is traced, the encoder's layer is drawn under
 * the source's letters and the decoder's under its answer (each with its own unrolled network
 * and token strip), the attention draws as a heatmap of answer steps by source letters, the
 * gradient chart has both parts on one time line, the dynamics panel runs the decoder's layer
 * from a state of its own steps, and the attention's numbers and picture download.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { InsideTrace } from '@api/inside';
import { trainExperiment } from '../support/builtin-experiments';
import { createReversalCorpus, reversalPairs, reverserConfig } from '../support/toy-pairs';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { colourCount } from './support/canvas-colours';
import { downloadOf } from './support/downloads';

const EXPERIMENT = 'tiny-reverser';
const WORD = 'abcd';
const UNITS = 6;
const SCREENSHOT = '/tmp/unfold-inside-seq2seq.png';
/** The decoder's part, the attention and the gradient panel, each on its own. */
const DECODER_SCREENSHOT = '/tmp/unfold-inside-seq2seq-decoder.png';
const ATTENTION_SCREENSHOT = '/tmp/unfold-inside-seq2seq-attention.png';
const GRADIENT_SCREENSHOT = '/tmp/unfold-inside-seq2seq-gradient.png';
let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  const dataDir = app.serve.dataDir;
  await createReversalCorpus(dataDir, 'reversal', {
    train: reversalPairs(40, 1),
    test: reversalPairs(6, 3),
  });
  await trainExperiment(
    reverserConfig(EXPERIMENT, 'reversal', {
      cell: 'lstm',
      units: UNITS,
      attention: 'additive',
      beam: 1,
      epochs: 4,
      dev: false,
    }),
    { dataDir, outDir: join(dataDir, 'experiments', EXPERIMENT) },
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the Inside view on an encoder-decoder', () => {
  it('draws the encoder under the source, the decoder under its answer, and the attention', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    // What the view should show: the API's trace of the same word.
    const trace: InsideTrace = await app.client.invoke('inside:trace', {
      experiment: EXPERIMENT,
      input: { kind: 'text', text: WORD },
    });
    const answer = trace.target?.axis.tokens ?? [];
    expect(answer.length).toBeGreaterThan(0);

    await shell.open(`${app.serve.url}#/inside`);
    await shell.waitUntilConnected();
    await page.getByTestId('inside-experiment').selectOption(EXPERIMENT);
    await page.getByTestId('inside-text').fill(WORD);
    await page.getByTestId('inside-run').click();
    await expect
      .poll(async () =>
        (await page.getByTestId('inside-error').count()) > 0
          ? page.getByTestId('inside-error').textContent()
          : page.getByTestId('inside-summary').textContent(),
      )
      .toMatch(
        new RegExp(`${EXPERIMENT}: 4 source symbols, ${answer.length} decoder steps, 2 layer`),
      );

    // Each part under its own sequence, with its own token strip.
    const groups = page.getByTestId('inside-sequence');
    expect(
      await groups.evaluateAll((all) => all.map((g) => g.getAttribute('data-sequence'))),
    ).toEqual(['source', 'target']);
    const source = groups.nth(0);
    const target = groups.nth(1);
    expect(await source.getByTestId('inside-layer').getAttribute('data-layer')).toBe(
      'encoder/layer0/fw',
    );
    expect(await target.getByTestId('inside-layer').getAttribute('data-layer')).toBe(
      'decoder/layer0/fw',
    );
    expect(await source.getByTestId('inside-tokens').locator('li').allTextContents()).toEqual([
      ...WORD,
    ]);
    expect(await target.getByTestId('inside-tokens').locator('li').allTextContents()).toEqual(
      answer,
    );
    // Every gate and state heatmap of both parts draws.
    const heatmaps = page.getByTestId('series-heatmap');
    await expect.poll(() => heatmaps.count()).toBe(2 * 6);
    await expect
      .poll(() =>
        heatmaps.evaluateAll((all) =>
          all.every((c) => (c as HTMLCanvasElement).dataset.drawn === 'true'),
        ),
      )
      .toBe(true);
    expect(await colourCount(target.getByTestId('series-heatmap').first())).toBeGreaterThan(1);
    // Two unrolled networks: the encoder's (input and state rows) and the decoder's (with its answer).
    const encoderUnrolled = source.getByTestId('unrolled-canvas');
    const decoderUnrolled = target.getByTestId('unrolled-canvas');
    await expect.poll(() => encoderUnrolled.getAttribute('data-drawn')).toBe('true');
    await expect.poll(() => decoderUnrolled.getAttribute('data-drawn')).toBe('true');
    expect(await encoderUnrolled.getAttribute('data-rows')).toBe('2');
    expect(await decoderUnrolled.getAttribute('data-rows')).toBe('3');
    expect(await decoderUnrolled.getAttribute('data-steps-shown')).toBe(
      String(Math.min(8, answer.length)),
    );

    // The attention: answer steps down, the four letters across.
    const attention = page.getByTestId('inside-attention');
    const heatmap = attention.getByTestId('attention-heatmap');
    expect(await heatmap.getAttribute('data-rows')).toBe(String(answer.length));
    expect(await heatmap.getAttribute('data-cols')).toBe('4');
    const attentionCanvas = attention.getByTestId('attention-canvas');
    await expect.poll(() => attentionCanvas.getAttribute('data-drawn')).toBe('true');
    expect(await colourCount(attentionCanvas)).toBeGreaterThan(1);
    const csv = await downloadOf(attention.getByTestId('inside-attention-csv'));
    expect(csv.name).toBe(`${EXPERIMENT}-attention.csv`);
    const lines = csv.bytes.toString('utf8').trimEnd().split('\n');
    expect(lines[0]).toBe('step,output,s0:a,s1:b,s2:c,s3:d');
    expect(lines).toHaveLength(1 + answer.length);
    for (const line of lines.slice(1)) {
      const weights = line.split(',').slice(2).map(Number);
      expect(weights.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    }
    const png = await downloadOf(attention.getByTestId('inside-attention-png'));
    expect(png.name).toBe(`${EXPERIMENT}-attention.png`);
    expect(png.bytes.subarray(1, 4).toString('latin1')).toBe('PNG');

    // The gradient chart: the encoder's line and the decoder's, on one time line.
    await page.locator('[data-testid="gradient-chart"] canvas').first().waitFor();
    await expect
      .poll(() => page.getByTestId('gradient-chart').getAttribute('data-lines'))
      .toBe('2');
    expect(await page.getByTestId('inside-gradient-parts').textContent()).toMatch(
      new RegExp(`Steps 0–3: the encoder over the source; 4–${3 + answer.length}: the decoder`),
    );
    const gradientCsv = await downloadOf(page.getByTestId('gradient-csv'));
    expect(gradientCsv.bytes.toString('utf8').trimEnd().split('\n')).toHaveLength(
      1 + 4 + answer.length,
    );

    // The decoder's layer runs freely from its state after its last step.
    await page.getByTestId('dynamics-layer').selectOption('decoder/layer0/fw');
    const starts = await page.getByTestId('dynamics-start').locator('option').allTextContents();
    expect(starts).toHaveLength(1 + answer.length);
    expect(starts.at(-1)).toBe(`its state after decoder step ${answer.length - 1}`);
    await page.getByTestId('dynamics-start').selectOption(String(answer.length - 1));
    await expect
      .poll(() => page.getByTestId('dynamics-behaviour').textContent())
      .toMatch(/decoder\/layer0\/fw at × 1\.00: (settles|falls|wanders|diverges)/);
    const dynamicsPlot = page.getByTestId('dynamics-plot');
    await expect.poll(() => dynamicsPlot.getAttribute('data-drawn')).toBe('true');

    expect(await page.getByRole('alert').count()).toBe(0);
    await page.getByTestId('inside-summary').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    await target.screenshot({ path: DECODER_SCREENSHOT });
    await attention.screenshot({ path: ATTENTION_SCREENSHOT });
    await page.getByTestId('inside-gradients').screenshot({ path: GRADIENT_SCREENSHOT });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
