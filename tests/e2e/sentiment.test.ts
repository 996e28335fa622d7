/**
 * Sentence classification in a browser: a tiny classifier is trained on the toy sentiment
 * language from the Train form (whose encoder is the RNN or Kim's CNN, from the presets), the
 * same config is trained with the CNN in one click to compare the two, then the Text view
 * classifies what is typed (the label, its probability, every label's bar and each token shaded
 * by its leave-one-out attribution, all following the text), opens a confusion cell on its
 * sentences, and puts a most confidently wrong test sentence in the box with a click.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Locator } from 'playwright-core';
import type { ExperimentEvaluation } from '@api/experiments';
import type { ClassifiedText, SentencePrediction } from '@api/sentiment';
import type { LabelledText } from '../../src-main/domain/corpus/formats/tsv';
import { z } from 'zod';
import { parseExperimentConfig } from '../../src-main/domain/experiments/config/experiment-config';
import {
  SentenceRecurrentSchema,
  SentimentConfigSchema,
} from '../../src-main/domain/experiments/config/text-config';
import { toySentimentItems } from '../support/toy-sentiment';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { importToyReviews } from './support/toy-reviews';
import { TrainPage } from './support/train-page';

const CORPUS = 'reviews';
const CLASSIFIER = 'toy-classifier';
/** What the lead looks at: the classification mode with a word's tooltip, and the sentence lists. */
const SCREENSHOTS = {
  typing: '/tmp/unfold-sentiment-classification.png',
  sentences: '/tmp/unfold-sentiment-sentences.png',
};

let app: E2eAppWithPage;

/**
 * The test split calls every sentence with "great" negative: the classifier learns that
 * "great" is positive, so its evaluation has confidently wrong sentences and an off-diagonal
 * cell whatever else it gets right.
 */
function mislabelGreat(items: LabelledText[]): LabelledText[] {
  return items.map((item) =>
    item.text.split(' ').includes('great') ? { ...item, label: 'negative' } : item,
  );
}

beforeAll(async () => {
  app = await startAppWithPage();
  await importToyReviews(app.client, CORPUS, [
    ['train', toySentimentItems(240, 21)],
    ['dev', toySentimentItems(30, 22)],
    ['test', mislabelGreat(toySentimentItems(60, 23))],
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

function pageErrors(): string[] {
  return app.pageErrors.filter((error) => error.startsWith('pageerror'));
}

/** Red and blue of a '#rrggbb' shade. */
function redBlue(hex: string): { red: number; blue: number } {
  return { red: parseInt(hex.slice(1, 3), 16), blue: parseInt(hex.slice(5, 7), 16) };
}

describe('sentence classification', () => {
  it('trains a classifier from the Train form on labelled sentences', async () => {
    const shell = new ShellPage(app.page);
    const train = new TrainPage(app.page);
    await shell.open(`${app.serve.url}#/train`);
    await shell.waitUntilConnected();
    await app.page.getByTestId('no-experiments').waitFor();
    const optionValues = (name: string): Promise<string[]> =>
      train
        .field(name)
        .locator('option')
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));

    // The labelled corpus brings the sentiment task, its presets and the words settings.
    await expect.poll(() => train.field('corpus').inputValue()).toBe(CORPUS);
    await expect.poll(() => train.field('preset').inputValue()).toBe('sentiment-bilstm-max');
    // A language model reads the same sentences (without their labels).
    expect(await optionValues('task')).toEqual(['sentiment', 'lm']);
    expect(
      await train.sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-section'))),
    ).toEqual(['Data', 'Words', 'Architecture', 'Training']);
    for (const other of ['tag-set', 'feature-kind', 'speeds', 'bptt-window', 'cnn-widths'])
      expect(await train.field(other).count(), other).toBe(0);
    // The encoders and poolings are the config schema's own lists.
    expect(await optionValues('pooling')).toEqual(
      SentenceRecurrentSchema.shape.pooling.unwrap().options,
    );
    expect(await optionValues('encoder')).toEqual(
      SentimentConfigSchema.shape.model.options.map((option) =>
        option.shape.kind instanceof z.ZodDefault
          ? option.shape.kind.unwrap().value
          : option.shape.kind.value,
      ),
    );

    // The CNN preset switches the encoder: its widths and filters instead of the recurrent layers.
    expect(await optionValues('preset')).toEqual([
      'sentiment-bilstm-max',
      'sentiment-kim-cnn',
      'lm-word-lstm',
      'lm-char-lstm',
      'lm-word-bilm',
    ]);
    await train.field('preset').selectOption('sentiment-kim-cnn');
    await expect.poll(() => train.field('encoder').inputValue()).toBe('cnn');
    expect(await train.field('cnn-widths').inputValue()).toBe('3, 4, 5');
    expect(await train.field('cnn-filters').inputValue()).toBe('100');
    for (const recurrent of ['cell', 'units', 'layers', 'pooling'])
      expect(await train.field(recurrent).count(), recurrent).toBe(0);
    expect(await train.previewConfig()).toMatchObject({
      model: { kind: 'cnn', widths: [3, 4, 5], filters: 100, dropout: 0.5 },
    });
    await train.field('cnn-widths').fill('3, x');
    await train.issue('cnnWidths').waitFor();
    expect(await train.field('start').isDisabled()).toBe(true);
    await train.field('preset').selectOption('sentiment-bilstm-max');
    await expect.poll(() => train.field('encoder').inputValue()).toBe('recurrent');

    await train.setFields({
      name: CLASSIFIER,
      'word-embedding': '16',
      'word-dropout': '0',
      layers: '1',
      units: '16',
      bidirectional: true,
      pooling: 'max',
      dropout: '0',
      epochs: '8',
      batch: '16',
      lr: '0.02',
      patience: '0',
      seed: '3',
    });
    expect(await train.field('start').isDisabled()).toBe(false);
    const config = parseExperimentConfig(await train.previewConfig());
    expect(config).toMatchObject({
      name: CLASSIFIER,
      task: 'sentiment',
      corpus: CORPUS,
      data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
      words: { embeddingSize: 16, wordDropout: 0 },
      model: {
        layers: [{ cell: 'lstm', units: 16, bidirectional: 'concat' }],
        pooling: 'max',
        dropout: 0,
      },
      training: { epochs: 8, batchSize: 16, optimizer: { learningRate: 0.02 } },
    });
    expect(config).not.toHaveProperty('tagSet');

    await train.field('start').click();
    await train.progress.waitFor();
    await expect.poll(() => train.state.textContent(), { timeout: 120_000 }).toBe('succeeded');
    await expect.poll(() => train.experimentStatus(CLASSIFIER), { timeout: 10_000 }).toBe('done');
    expect(await train.experimentRow(CLASSIFIER).textContent()).toContain(
      'sentence classification',
    );
    expect(pageErrors()).toEqual([]);
  });

  it('trains the same config with the CNN in one click, and compares the two', async () => {
    const train = new TrainPage(app.page);
    const twin = `${CLASSIFIER}-cnn`;
    await train.experimentRow(CLASSIFIER).getByTestId('compare-other-model').click();
    // The job state still says the first run's "succeeded" until the twin's job starts: wait for
    // the twin's own row to be done (slow on a loaded machine), then for the job to say so.
    await expect.poll(() => train.experimentStatus(twin), { timeout: 240_000 }).toBe('done');
    await expect.poll(() => train.state.textContent(), { timeout: 30_000 }).toBe('succeeded');
    const [rnn, cnn] = await Promise.all(
      [CLASSIFIER, twin].map((name) => app.client.invoke('experiments:get', { name })),
    );
    // The same split, words and training; the CNN preset's model.
    expect(cnn!.config.data).toEqual(rnn!.config.data);
    expect(cnn!.config.words).toEqual(rnn!.config.words);
    expect(cnn!.config.training).toEqual(rnn!.config.training);
    expect(cnn!.config.model).toMatchObject({ kind: 'cnn', widths: [3, 4, 5], filters: 100 });
    // Both runs are ticked, and compared once the CNN has finished.
    for (const name of [CLASSIFIER, twin])
      expect(await train.experimentRow(name).getByTestId('compare-toggle').isChecked()).toBe(true);
    await train.comparison.waitFor();
    expect(await train.diffRow('model.kind').count()).toBe(1);
    expect(pageErrors()).toEqual([]);
  }, 300_000);

  it('classifies typed text: label, probability, bars and shaded tokens follow the text', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/text`);
    await shell.waitUntilConnected();
    await page.getByTestId('text-experiment').selectOption(CLASSIFIER);
    const input = page.getByTestId('text-input');
    const label = page.getByTestId('classified-label');
    const probability = page.getByTestId('classified-probability');
    const tokens = page.getByTestId('attributed-token');

    /** Waits until the view shows the server's answer for `text`, and checks every part of it. */
    async function shows(text: string): Promise<ClassifiedText> {
      const expected = await app.client.invoke('sentiment:classify', {
        experiment: CLASSIFIER,
        text,
      });
      await expect
        .poll(async () => [
          await label.textContent(),
          await probability.textContent(),
          await tokens.evaluateAll((all) => all.map((t) => t.textContent?.trim())),
        ])
        .toEqual([
          expected.label,
          `${((expected.probability ?? 0) * 100).toFixed(1)}%`,
          expected.tokens.map((t) => `${t.text}${t.unseen ? 'new' : ''}`),
        ]);
      // Every label has its bar, with the model's probability.
      const bars = page.getByTestId('label-bar');
      expect(
        await bars.evaluateAll((all) =>
          all.map((b) => [
            b.getAttribute('data-label'),
            Number(b.getAttribute('data-probability')),
          ]),
        ),
      ).toEqual(expected.probabilities.map((p) => [p.label, p.probability]));
      // Each token carries its attribution, shaded purple toward the label and orange against.
      const shown = await tokens.evaluateAll((all) =>
        all.map((t) => ({
          attribution: Number(t.getAttribute('data-attribution')),
          shade: t.getAttribute('data-shade') ?? '',
          unseen: t.getAttribute('data-unseen') === 'true',
        })),
      );
      expect(shown.map((t) => t.attribution)).toEqual(expected.tokens.map((t) => t.attribution));
      expect(shown.map((t) => t.unseen)).toEqual(expected.tokens.map((t) => t.unseen));
      for (const token of shown) {
        if (Math.abs(token.attribution) < 0.01) continue;
        const { red, blue } = redBlue(token.shade);
        expect(token.attribution > 0 ? blue > red : red > blue, token.shade).toBe(true);
      }
      // The legend says in words what the shades mean for this label.
      const legend = (await page.getByTestId('attribution-legend').textContent()) ?? '';
      expect(legend).toContain(`pushes toward ${expected.label}`);
      expect(legend).toContain(`pushes against ${expected.label}`);
      return expected;
    }

    // Typed key by key, as a user types: the view classifies what is there once typing pauses.
    await input.pressSequentially('the film was great');
    const positive = await shows('the film was great');
    expect(positive.label).toBe('positive');
    const greatAt = positive.tokens.findIndex((t) => t.text === 'great');
    const shadesBefore = await tokens.evaluateAll((all) =>
      all.map((t) => t.getAttribute('data-shade')),
    );

    // The tooltip of a word gives its number and says what it does, in words.
    await tokens.nth(greatAt).hover();
    const details = page.getByTestId('token-details').nth(greatAt);
    await details.waitFor({ state: 'visible' });
    const great = positive.tokens[greatAt]!;
    expect(await details.getByTestId('token-points').textContent()).toBe(
      `+${(great.attribution * 100).toFixed(1)} points`,
    );
    expect(await details.textContent()).toContain(
      `pushes toward positive by ${(great.attribution * 100).toFixed(1)} points`,
    );
    await page.getByTestId('classification').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOTS.typing });
    await page.mouse.move(0, 0);

    // Another text: another label, probability and shading.
    await input.fill('the plot was awful');
    const negative = await shows('the plot was awful');
    expect(negative.label).toBe('negative');
    expect(
      await tokens.evaluateAll((all) => all.map((t) => t.getAttribute('data-shade'))),
    ).not.toEqual(shadesBefore);

    // A word training never saw is marked.
    await input.fill('the zorbulous film was awful');
    const unseen = await shows('the zorbulous film was awful');
    const zorbAt = unseen.tokens.findIndex((t) => t.text === 'zorbulous');
    expect(unseen.tokens[zorbAt]!.unseen).toBe(true);
    expect(await tokens.nth(zorbAt).getByTestId('unseen-mark').count()).toBe(1);
    expect(pageErrors()).toEqual([]);
  });

  it('opens a confusion cell on its sentences, and puts a confidently wrong one in the box', async () => {
    const page = app.page;
    const section = page.getByTestId('classified-sentences');
    await section.getByTestId('confusion-matrix').waitFor();
    const evaluation: ExperimentEvaluation = await app.client.invoke('experiments:evaluation', {
      name: CLASSIFIER,
      split: 'test',
    });
    const sentences = evaluation.predictions as unknown as SentencePrediction[];
    const rowIds = (rows: Locator): Promise<(string | null)[]> =>
      rows.evaluateAll((all) => all.map((r) => r.getAttribute('data-utterance')));

    // The wrong sentences, the surest first: every "great" sentence called negative is there.
    const wrong = sentences
      .filter((s) => !s.correct)
      .sort((a, b) => b.probability - a.probability || a.utteranceId.localeCompare(b.utteranceId));
    expect(wrong.length).toBeGreaterThan(0);
    const listed = section.getByTestId('confidently-wrong-sentence');
    await expect.poll(() => rowIds(listed)).toEqual(wrong.slice(0, 20).map((s) => s.utteranceId));
    const first = listed.first();
    expect(await first.getAttribute('data-gold')).toBe(wrong[0]!.reference);
    expect(await first.getAttribute('data-predicted')).toBe(wrong[0]!.predicted);
    expect(await first.textContent()).toContain(`${(wrong[0]!.probability * 100).toFixed(1)}%`);

    // A cell of the matrix lists its sentences beside it.
    const { reference, predicted } = wrong[0]!;
    const behind = sentences.filter((s) => s.reference === reference && s.predicted === predicted);
    await section
      .locator(
        `[data-testid="confusion-cell"][data-reference="${reference}"][data-predicted="${predicted}"]`,
      )
      .click();
    await expect
      .poll(async () =>
        ((await section.getByTestId('cell-items-title').textContent()) ?? '').replace(/\s+/g, ' '),
      )
      .toContain(`${reference} → ${predicted}: ${behind.length} sentences`);
    const inCell = section.getByTestId('cell-sentence');
    await expect.poll(() => rowIds(inCell)).toEqual(behind.map((s) => s.utteranceId));
    await section.screenshot({ path: SCREENSHOTS.sentences });

    // Clicking the surest wrong sentence classifies it in the box, with its attributions.
    await first.getByTestId('pick-sentence').click();
    await expect.poll(() => page.getByTestId('text-input').inputValue()).toBe(wrong[0]!.text);
    const expected = await app.client.invoke('sentiment:classify', {
      experiment: CLASSIFIER,
      text: wrong[0]!.text,
    });
    await expect.poll(() => page.getByTestId('classified-label').textContent()).toBe(predicted);
    expect(expected.label).toBe(predicted);
    await expect
      .poll(() => page.getByTestId('attributed-token').count())
      .toBe(expected.tokens.length);
    expect(pageErrors()).toEqual([]);
  });
});
