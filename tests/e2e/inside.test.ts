/**
 * The Inside view in a browser: a tiny trained sentence classifier (text) and a tiny phone
 * transducer (speech, flite voices) are opened on a typed sentence and a corpus utterance; each
 * panel draws (the gates and states heatmaps of every layer direction with their saturation and
 * hover values, the unrolled network, the gradient through time with a line per layer direction,
 * the dynamics plot), and the recurrent-weight slider changes the dynamics: at x0 an LSTM layer
 * with zero input settles to a fixed point, at x3 it settles later. Each panel's numbers download
 * as CSV and its plots as one PNG. One click trains the text model's Elman and GRU siblings as
 * jobs, whose gradients then join the chart. A corpus utterance carries its reference phones
 * (beside the answer, as labels to sort units by, as the gradient's loss target); a recording is
 * picked from the data folder's, and a WAV opened from the computer is uploaded and traced.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { createTextCorpus } from '../../src-main/domain/corpus/import/text-import';
import type { TextSplit } from '../../src-main/domain/corpus/model';
import { trainExperiment } from '../support/builtin-experiments';
import { synthesiseTinySentences } from '../support/tiny-corpora';
import { tinyPhonesConfig } from '../support/tiny-experiments';
import { toySentimentItems } from '../support/toy-sentiment';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { colourCount } from './support/canvas-colours';
import { downloadOf } from './support/downloads';

const SCREENSHOT = '/tmp/unfold-inside-text.png';
const UNROLLED_SCREENSHOT = '/tmp/unfold-inside-unrolled.png';
const REFERENCE_SCREENSHOT = '/tmp/unfold-inside-reference.png';
const UPLOAD_SCREENSHOT = '/tmp/unfold-inside-upload.png';
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

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** A downloaded CSV's lines, without the final line break. */
function csvLines(bytes: Buffer): string[] {
  return bytes.toString('utf8').trimEnd().split('\n');
}

/** A downloaded PNG's width and height (its IHDR chunk), after checking its signature. */
function pngSize(bytes: Buffer): { width: number; height: number } {
  expect(bytes.subarray(0, 8)).toEqual(PNG_SIGNATURE);
  expect(bytes.subarray(12, 16).toString('latin1')).toBe('IHDR');
  return { width: bytes.readUInt32BE(16), height: bytes.readUInt32BE(20) };
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
  await expect
    .poll(() => page.getByTestId('gradient-chart').getAttribute('data-lines'))
    .toBe(String(layerKeys.length));
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
    // The classifier's one answer: each label's probability, summing to 1.
    const probabilities = (
      await page.getByTestId('outputs-bars').locator('.value').allTextContents()
    ).map(Number);
    expect(probabilities).toHaveLength(2);
    expect(probabilities.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 2);
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
      // The unrolled network: the features, the GRU's hidden state and the phones, 8 frames at a time.
      const unrolled = page.getByTestId('unrolled-canvas');
      await expect.poll(() => unrolled.getAttribute('data-drawn')).toBe('true');
      expect(await unrolled.getAttribute('data-rows')).toBe('3');
      expect(await unrolled.getAttribute('data-steps-shown')).toBe('8');
      expect(await colourCount(unrolled)).toBeGreaterThan(4);
      const frames = Number(
        /(\d+) frames/.exec((await page.getByTestId('inside-summary').textContent()) ?? '')?.[1],
      );
      expect(frames).toBeGreaterThan(20);
      // Its numbers: every frame, the features as coloured, the 8 units and the phone of each frame.
      const unrolledCsv = await downloadOf(page.getByTestId('unrolled-csv'));
      expect(unrolledCsv.name).toBe('tiny-phones-unrolled.csv');
      const unrolledLines = csvLines(unrolledCsv.bytes);
      const unrolledHeader = unrolledLines[0]?.split(',') ?? [];
      expect(unrolledHeader.slice(0, 2)).toEqual(['step', 'input x[0]']);
      expect(unrolledHeader.slice(-2)).toEqual(['encoder/layer0/fw h[7]', 'output y']);
      expect(unrolledLines).toHaveLength(1 + frames);
      expect(unrolledLines[frames]?.split(',')).toHaveLength(unrolledHeader.length);
      // The input strip's numbers: the features of every frame as the model reads them.
      const inputCsv = await downloadOf(page.getByTestId('inside-input-csv'));
      expect(inputCsv.name).toBe('tiny-phones-input.csv');
      const inputLines = csvLines(inputCsv.bytes);
      expect(inputLines[0]).toMatch(/^step,time_s,f0,f1,/);
      expect(inputLines).toHaveLength(1 + frames);
      expect(inputLines[2]?.split(',').slice(0, 2)).toEqual(['1', '0.01']);
      expect(
        inputLines
          .slice(1)
          .flatMap((line) => line.split(',').slice(2))
          .every((v) => Number.isFinite(Number(v)) && v !== ''),
      ).toBe(true);
      // The phone posteriors of every frame: the classes carried, each frame's summing to at most 1.
      const outputsCsv = await downloadOf(page.getByTestId('inside-outputs-csv'));
      expect(outputsCsv.name).toBe('tiny-phones-outputs.csv');
      const outputLines = csvLines(outputsCsv.bytes);
      expect(outputLines).toHaveLength(1 + frames);
      expect(outputLines[0]?.split(',').length).toBeGreaterThan(
        Number(await page.getByTestId('inside-outputs').getAttribute('data-rows')),
      );
      for (const line of outputLines.slice(1)) {
        const sum = line
          .split(',')
          .slice(1)
          .reduce((a, v) => a + Number(v), 0);
        expect(sum).toBeGreaterThan(0);
        expect(sum).toBeLessThanOrEqual(1 + 1e-5);
      }
      // The features, the posteriors and the unrolled network save as PNGs, each at least as
      // large as its plot.
      for (const [testid, name] of [
        ['inside-input-png', 'tiny-phones-input.png'],
        ['inside-outputs-png', 'tiny-phones-outputs.png'],
        ['unrolled-png', 'tiny-phones-unrolled-steps-0.png'],
      ] as const) {
        const png = await downloadOf(page.getByTestId(testid));
        expect(png.name).toBe(name);
        const size = pngSize(png.bytes);
        expect(size.width, name).toBeGreaterThanOrEqual(240);
        expect(size.height, name).toBeGreaterThan(48);
      }
      // The utterance's features are drawn above the layers, on the same time axis.
      await expect
        .poll(() => page.getByTestId('inside-features').getAttribute('data-drawn'))
        .toBe('true');
      expect(await colourCount(page.getByTestId('inside-features'))).toBeGreaterThan(2);
      // The phone posteriors under the gates, on the same time axis, the top phones labelled.
      const posteriors = page.getByTestId('outputs-heatmap');
      await expect.poll(() => posteriors.getAttribute('data-drawn')).toBe('true');
      expect(await posteriors.evaluate((c) => (c as HTMLCanvasElement).width)).toBe(
        await page.getByTestId('inside-features').evaluate((c) => (c as HTMLCanvasElement).width),
      );
      expect(await page.getByTestId('outputs-labels').locator('li').count()).toBe(
        Number(await page.getByTestId('inside-outputs').getAttribute('data-rows')),
      );
      // A corpus utterance has a reference, its phone of each frame from the corpus's alignment,
      // shown beside the answer; the gradient's loss scores it unless the answer is chosen.
      await expect.poll(() => page.getByTestId('inside-reference').textContent()).toMatch(/\S/);
      const gradients = page.getByTestId('inside-gradients');
      expect(await page.getByTestId('inside-loss-target').inputValue()).toBe('reference');
      expect(await gradients.textContent()).toContain(
        'for the loss of the whole sequence, scoring the reference labels',
      );
      // Units by their correlation with a reference phone: those labels come first.
      await page.getByTestId('inside-sort').selectOption('correlation');
      const sortLabel = page.getByTestId('inside-sort-label');
      const referenceLabels = (await sortLabel.locator('option').allTextContents()).filter((t) =>
        t.startsWith('the reference is'),
      );
      expect(referenceLabels.length).toBeGreaterThan(1);
      expect(await sortLabel.locator('option').first().textContent()).toBe(referenceLabels[0]);
      expect(referenceLabels[1]).toMatch(/^the reference is “[^”]+” \(\d+ steps?\)$/);
      await sortLabel.selectOption({ label: referenceLabels[1] ?? '' });
      await expect
        .poll(() => page.getByTestId('inside-layer').first().textContent())
        .toContain(`by falling |correlation| with: ${referenceLabels[1]}`);
      await page.getByTestId('inside-summary').scrollIntoViewIfNeeded();
      await page.screenshot({ path: REFERENCE_SCREENSHOT });
      await page.getByTestId('inside-sort').selectOption('variance');
      await page.getByTestId('inside-loss-target').selectOption('answer');
      await expect
        .poll(() => gradients.textContent())
        .toContain('for the loss of the whole sequence, scoring the model’s own answer');
      expect(await page.getByTestId('inside-loss-target').inputValue()).toBe('answer');
      // A per-step model: the gradient of one output step can be chosen, and later steps get none.
      await page.getByTestId('inside-output-step').selectOption('10');
      await page.getByTestId('inside-run').click();
      await expect
        .poll(() => page.getByTestId('inside-gradients').textContent())
        .toContain('for the output at step 10');
      expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    },
  );

  it.skipIf(!canSynthesise)(
    'reads a recording of the data folder and a WAV opened from the computer',
    async () => {
      const page = app.page;
      const dataDir = app.serve.dataDir;
      /** A WAV of a gliding tone, `seconds` long. */
      const toneWav = (seconds: number): Buffer =>
        Buffer.from(
          encodeWav({
            sampleRate: 16_000,
            samples: Float32Array.from(
              { length: Math.round(seconds * 16_000) },
              (_, i) => 0.3 * Math.sin(i * (0.05 + i * 1e-6)),
            ),
          }),
        );
      const framesShown = async (): Promise<number> =>
        Number(
          /(\d+) frames/.exec((await page.getByTestId('inside-summary').textContent()) ?? '')?.[1],
        );
      await mkdir(join(dataDir, 'recordings'), { recursive: true });
      await writeFile(join(dataDir, 'recordings', 'take.wav'), toneWav(0.8));
      await page.getByTestId('inside-experiment').selectOption('tiny-phones');
      await page.getByTestId('inside-audio-source').selectOption('recording');
      const recording = page.getByTestId('inside-recording');
      await expect
        .poll(() => recording.locator('option').allTextContents())
        .toEqual(['recordings/take.wav (0.8 s)']);
      await page.getByTestId('inside-run').click();
      await expect
        .poll(() => page.getByTestId('inside-summary').textContent())
        .toMatch(/tiny-phones: \d+ frames/);
      await expectPanelsDrawn(['encoder/layer0/fw'], 4);
      const takeFrames = await framesShown();
      // A recording has no reference: the gradient scores the model's own answer.
      expect(await page.getByTestId('inside-reference').count()).toBe(0);
      expect(await page.getByTestId('inside-loss-target').count()).toBe(0);
      expect(await page.getByTestId('inside-gradients').textContent()).toContain(
        'scoring the model’s own answer',
      );
      // Open WAV…: a file that is not a WAV is refused, in the view's error alert.
      const fileInput = page.getByTestId('inside-open-file-input');
      await fileInput.setInputFiles({
        name: 'notes.wav',
        mimeType: 'audio/wav',
        buffer: Buffer.from('these are notes, not audio'),
      });
      await expect
        .poll(() => page.getByTestId('inside-error').textContent())
        .toContain('notes.wav');
      // A WAV is copied to imports/, chosen and looked inside at once.
      await fileInput.setInputFiles({
        name: 'upload.wav',
        mimeType: 'audio/wav',
        buffer: toneWav(1.2),
      });
      await expect.poll(() => recording.inputValue()).toBe('imports/upload.wav');
      await expect.poll(framesShown).toBeGreaterThan(takeFrames);
      await expectPanelsDrawn(['encoder/layer0/fw'], 4);
      expect(await page.getByTestId('inside-error').count()).toBe(0);
      expect(await recording.locator('option').allTextContents()).toEqual([
        'imports/upload.wav (1.2 s)',
        'recordings/take.wav (0.8 s)',
      ]);
      expect((await readFile(join(dataDir, 'imports', 'upload.wav'))).equals(toneWav(1.2))).toBe(
        true,
      );
      await page.getByTestId('inside-summary').scrollIntoViewIfNeeded();
      await page.screenshot({ path: UPLOAD_SCREENSHOT });
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
    const csv = await downloadOf(forwards.getByTestId('inside-layer-csv'));
    expect(csv.name).toBe('tiny-sentiment-encoder-layer0-fw.csv');
    const lines = csvLines(csv.bytes);
    expect(lines[0]).toBe('series,unit,0,1,2,3,4,5,6,7,8,9');
    expect(lines).toHaveLength(1 + 6 * 6);
    expect(lines[1]?.split(',')).toHaveLength(12);
    // The layer's plots saved as one PNG image, at least as large as the heatmaps.
    const png = await downloadOf(forwards.getByTestId('inside-layer-png'));
    expect(png.name).toBe('tiny-sentiment-encoder-layer0-fw.png');
    const size = pngSize(png.bytes);
    expect(size.width).toBeGreaterThanOrEqual(240);
    expect(size.height).toBeGreaterThan(6 * 48);
    // The unrolled network's numbers for all ten steps (not only the eight in view): the token,
    // both directions' six units and the answer at the last step.
    const unrolledCsv = csvLines((await downloadOf(page.getByTestId('unrolled-csv'))).bytes);
    expect(unrolledCsv[0]?.split(',')).toEqual([
      'step',
      'input x',
      ...['fw', 'bw'].flatMap((d) =>
        Array.from({ length: 6 }, (_, u) => `encoder/layer0/${d} h[${u}]`),
      ),
      'output y',
    ]);
    expect(unrolledCsv).toHaveLength(1 + 10);
    expect(unrolledCsv[1]?.split(',').slice(0, 2)).toEqual(['0', 'the']);
    expect(unrolledCsv[10]?.split(',').at(-1)).toMatch(/^(positive|negative)$/);
    const inputCsv = await downloadOf(page.getByTestId('inside-input-csv'));
    expect(inputCsv.name).toBe('tiny-sentiment-input.csv');
    expect(csvLines(inputCsv.bytes)).toEqual([
      'step,token',
      ...'the film was really good and the story was fun'.split(' ').map((w, t) => `${t},${w}`),
    ]);
    // The classifier's one answer: its two labels' probabilities.
    const outputsCsv = csvLines((await downloadOf(page.getByTestId('inside-outputs-csv'))).bytes);
    expect(outputsCsv[0]?.split(',').slice(1).sort()).toEqual(['negative', 'positive']);
    expect(outputsCsv).toHaveLength(2);
    const [, first, second] = outputsCsv[1]?.split(',').map(Number) ?? [];
    expect((first ?? 0) + (second ?? 0)).toBeCloseTo(1, 5);
    await page.getByTestId('inside-unrolled').screenshot({ path: UNROLLED_SCREENSHOT });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('settles later as the recurrent weights grow, and saves the dynamics and gradient panels', async () => {
    const page = app.page;
    // The LSTM's forward direction from zeros with zero input, its recurrent weights off (x0) and
    // tripled (x3): the tiny model settles to a fixed point at both, but the stronger recurrence
    // carries the state along for longer before it is still.
    await page.getByTestId('dynamics-layer').selectOption('encoder/layer0/fw');
    await page.getByTestId('dynamics-start').selectOption('zeros');
    await page.getByTestId('dynamics-drive').fill('0');
    const behaviour = page.getByTestId('dynamics-behaviour');
    const settledAt = async (scale: number): Promise<number> => {
      await page.getByTestId('dynamics-scale').fill(String(scale));
      const still = new RegExp(
        `encoder/layer0/fw at × ${scale.toFixed(2)}: settles to a fixed point \\(still from step (\\d+)\\)`,
      );
      await expect.poll(() => behaviour.textContent()).toMatch(still);
      return Number(still.exec((await behaviour.textContent()) ?? '')?.[1]);
    };
    const dynamicsCsv = async (): Promise<string[]> => {
      const csv = await downloadOf(page.getByTestId('dynamics-csv'));
      expect(csv.name).toBe('tiny-sentiment-encoder-layer0-fw-dynamics.csv');
      return csvLines(csv.bytes);
    };
    const still0 = await settledAt(0);
    const path0 = await dynamicsCsv();
    const still3 = await settledAt(3);
    const path3 = await dynamicsCsv();
    expect(still3).toBeGreaterThan(still0);
    // The path's 300 steps and its start, each with its components, its norm and its units (the
    // LSTM's 6 outputs h, then its 6 cells c); from zeros both runs start at the origin and then
    // part ways.
    const units = ['h', 'c'].flatMap((s) => Array.from({ length: 6 }, (_, u) => `${s}${u}`));
    for (const path of [path0, path3]) {
      expect(path[0]).toBe(['state', 'pc1', 'pc2', 'norm', ...units].join(','));
      expect(path).toHaveLength(1 + 301);
      expect(path[1]?.split(',').slice(3)).toEqual(['0', ...units.map(() => '0')]);
      const last = path[301]?.split(',').map(Number) ?? [];
      expect(Math.hypot(...last.slice(4))).toBeCloseTo(last[3] ?? NaN, 5);
    }
    const norms = (path: string[]): number[] => path.slice(1).map((l) => Number(l.split(',')[3]));
    expect(norms(path0).every(Number.isFinite)).toBe(true);
    expect(norms(path3)).not.toEqual(norms(path0));
    const dynamicsPng = await downloadOf(page.getByTestId('dynamics-png'));
    expect(dynamicsPng.name).toBe('tiny-sentiment-encoder-layer0-fw-dynamics.png');
    // The 320-pixel trajectory plot under the title and its caption.
    const dynamicsSize = pngSize(dynamicsPng.bytes);
    expect(dynamicsSize.width).toBeGreaterThanOrEqual(320);
    expect(dynamicsSize.height).toBeGreaterThan(320);

    // The gradient through time of the ten-token sentence: one column per layer direction.
    const gradients = page.getByTestId('inside-gradients');
    const gradientCsv = await downloadOf(gradients.getByTestId('gradient-csv'));
    expect(gradientCsv.name).toBe('tiny-sentiment-gradient.csv');
    const gradientLines = csvLines(gradientCsv.bytes);
    expect(gradientLines[0]).toBe('step t,encoder/layer0/fw,encoder/layer0/bw');
    expect(gradientLines).toHaveLength(1 + 10);
    const gradientValues = gradientLines.slice(1).flatMap((l) => l.split(',').slice(1));
    expect(gradientValues.every((v) => Number(v) >= 0)).toBe(true);
    expect(gradientValues.some((v) => Number(v) > 0)).toBe(true);
    const gradientPng = await downloadOf(gradients.getByTestId('gradient-png'));
    expect(gradientPng.name).toBe('tiny-sentiment-gradient.png');
    const gradientSize = pngSize(gradientPng.bytes);
    // The 240-pixel chart (at least) and its legend of two lines.
    expect(gradientSize.width).toBeGreaterThan(200);
    expect(gradientSize.height).toBeGreaterThan(240);
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
    // Two layer directions per model.
    await expect
      .poll(() => gradients.getByTestId('gradient-chart').getAttribute('data-lines'))
      .toBe('6');
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
