/**
 * The Train view trains a part-of-speech tagger as it trains speech models: a tagged text corpus
 * offers the pos task and preset (and a speech corpus the speech ones), the form edits the
 * tagger's word settings, the run ends with the experiment listed with its accuracy, and "Edit
 * copy" fills the form from its config. The same corpus trains a language model from the
 * language-model form (its own settings, the config the preview shows, a one-epoch run); the
 * biLM preset fills the form's direction and characters, and a trained biLM is offered to the
 * tagger as contextual embeddings.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseExperimentConfig } from '../../src-main/domain/experiments/config/experiment-config';
import { LM_LEVELS, LM_TOKENIZERS } from '../../src-main/domain/experiments/config/lm-config';
import { trainExperiment } from '../support/builtin-experiments';
import { toySentences } from '../support/toy-grammar';
import { importTonesCorpus } from '../support/tones-corpus';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { importToyTreebank } from './support/toy-treebank';
import { toyBilmConfig } from './support/toy-language';
import { TrainPage } from './support/train-page';

const TREEBANK = 'treebank';
const TAGGER = 'toy-tagger';
const LM = 'toy-char-lm';
const BILM = 'toy-bilm';

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  await importToyTreebank(app.client, TREEBANK, [
    ['train', toySentences(160, 31)],
    ['dev', toySentences(20, 32)],
    ['test', toySentences(40, 33)],
  ]);
  // A speech corpus beside it (tones labelled as phones, no synthesiser needed).
  await importTonesCorpus(app.serve.dataDir, [
    {
      name: 't0',
      samples: Float32Array.from({ length: 8000 }, (_, i) => Math.sin(i / 5) * 0.3),
      tiers: { phones: [[0, 0.5, 'aa']] },
    },
  ]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the Train view with a tagged text corpus', () => {
  it('offers the pos task and preset, trains a tagger, lists it with its accuracy, and edits a copy', async () => {
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
    const sectionTitles = (): Promise<(string | null)[]> =>
      train.sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-section')));

    // Both corpora are offered; the treebank brings the tagger's task, preset and settings.
    await expect
      .poll(async () => (await optionValues('corpus')).sort())
      .toEqual(['tones', TREEBANK]);
    await train.field('corpus').selectOption(TREEBANK);
    await expect.poll(() => train.field('preset').inputValue()).toBe('pos-bilstm-charcnn');
    // A language model reads the treebank's sentences too (its own test below).
    expect(await optionValues('preset')).toEqual([
      'pos-bilstm-charcnn',
      'lm-word-lstm',
      'lm-char-lstm',
      'lm-word-bilm',
    ]);
    expect(await optionValues('task')).toEqual(['pos', 'lm']);
    expect(await sectionTitles()).toEqual(['Data', 'Words', 'Architecture', 'Training']);
    expect(await optionValues('tag-set')).toEqual(['upos', 'xpos']);
    // No audio settings, and no speakers to hold out in text.
    for (const speechOnly of ['feature-kind', 'pooling', 'speeds', 'held-out-speaker'])
      expect(await train.field(speechOnly).count(), speechOnly).toBe(0);
    expect((await optionValues('train-split')).sort()).toEqual(['dev', 'test', 'train']);

    // A speech corpus brings back the speech tasks and presets, none of the tagger's.
    await train.field('corpus').selectOption('tones');
    await expect.poll(() => train.field('preset').inputValue()).toBe('phones-2x256-lstm');
    expect(await optionValues('preset')).not.toContain('pos-bilstm-charcnn');
    expect(await optionValues('task')).toEqual(['words', 'phones']);
    expect(await sectionTitles()).toEqual(['Data', 'Features', 'Architecture', 'Training']);
    await train.field('corpus').selectOption(TREEBANK);
    await expect.poll(() => train.field('preset').inputValue()).toBe('pos-bilstm-charcnn');

    // A bad value is named under its field (the schema's own rule) and blocks Start.
    await train.field('min-count').fill('0');
    await train.issue('minCount').waitFor();
    expect(await train.field('start').isDisabled()).toBe(true);
    await train.field('min-count').fill('1');
    await train.field('pretrained-file').fill('../vectors.txt');
    await train.issue('pretrainedFile').waitFor();
    expect(await train.field('start').isDisabled()).toBe(true);
    await train.field('pretrained-file').fill('');
    // The character CNN's sizes show only with it on.
    await train.setFields({ 'char-cnn': false });
    expect(await train.field('char-filters').count()).toBe(0);
    await train.setFields({ 'char-cnn': true });

    await train.setFields({
      name: TAGGER,
      'word-embedding': '24',
      'char-filters': '12',
      layers: '1',
      units: '16',
      epochs: '6',
      batch: '16',
      lr: '0.02',
      seed: '3',
    });
    expect(await train.field('start').isDisabled()).toBe(false);
    const config = parseExperimentConfig(await train.previewConfig());
    if (config.task !== 'pos') throw new Error(`The form wrote a ${config.task} config.`);
    expect(config).toMatchObject({
      name: TAGGER,
      task: 'pos',
      corpus: TREEBANK,
      tagSet: 'upos',
      data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
      // The preset lower-cases words (the case stays in the case features).
      words: { embeddingSize: 24, chars: { filters: 12 }, pretrained: null, lowercase: true },
      model: { layers: [{ cell: 'lstm', units: 16, bidirectional: 'concat' }] },
      training: { epochs: 6, batchSize: 16, optimizer: { learningRate: 0.02 } },
    });
    expect(config).not.toHaveProperty('features');

    await train.field('start').click();
    await train.progress.waitFor();
    await expect.poll(() => train.state.textContent(), { timeout: 120_000 }).toBe('succeeded');
    await expect.poll(() => train.experimentStatus(TAGGER), { timeout: 10_000 }).toBe('done');
    // Its task is in the row by its label (neither its name nor its corpus says "POS").
    expect(await train.experimentRow(TAGGER).textContent()).toContain('POS tagging');
    // The accuracy is the test evaluation written when training ended.
    const listed = (await app.client.invoke('experiments:list')).find((e) => e.name === TAGGER);
    const evaluations = listed?.metrics.evaluations as Record<string, { accuracy: number }>;
    const accuracy = evaluations?.['test']?.accuracy;
    expect(accuracy).toBeTypeOf('number');
    await expect
      .poll(() => train.experimentAccuracy(TAGGER))
      .toBe(`${(accuracy! * 100).toFixed(1)}% (test)`);

    // "Edit copy" fills the form from the tagger's saved config.
    await train.field('corpus').selectOption('tones');
    await expect.poll(() => train.field('preset').inputValue()).toBe('phones-2x256-lstm');
    await train.experimentRow(TAGGER).getByRole('button', { name: 'Edit copy' }).click();
    await expect.poll(() => train.field('name').inputValue()).toBe(`${TAGGER}-copy`);
    expect(await train.field('corpus').inputValue()).toBe(TREEBANK);
    expect(await train.field('task').inputValue()).toBe('pos');
    expect(await train.field('word-embedding').inputValue()).toBe('24');
    expect(await train.field('char-filters').inputValue()).toBe('12');
    expect(await train.field('units').inputValue()).toBe('16');
    expect(await sectionTitles()).toEqual(['Data', 'Words', 'Architecture', 'Training']);
    const copy = await train.previewConfig();
    expect(copy).toMatchObject({ name: `${TAGGER}-copy`, task: 'pos', words: config.words });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it('trains a language model from its own form: level, units, tied embeddings, baseline', async () => {
    const train = new TrainPage(app.page);
    const optionValues = (name: string): Promise<string[]> =>
      train
        .field(name)
        .locator('option')
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    await train.field('corpus').selectOption(TREEBANK);
    await train.field('preset').selectOption('lm-word-lstm');
    await expect.poll(() => train.field('task').inputValue()).toBe('lm');
    expect(
      await train.sections.evaluateAll((all) => all.map((s) => s.getAttribute('data-section'))),
    ).toEqual(['Data', 'Language model', 'Words', 'Architecture', 'Training']);
    // The schema's lists; what a language model cannot take is not offered.
    expect(await optionValues('lm-level')).toEqual([...LM_LEVELS]);
    expect(await optionValues('lm-tokenizer')).toEqual([...LM_TOKENIZERS]);
    for (const other of ['tag-set', 'char-cnn', 'case-features', 'pretrained-file', 'pooling'])
      expect(await train.field(other).count(), other).toBe(0);
    expect(await train.field('bptt').isDisabled()).toBe(true);
    expect(await train.field('bidirectional').isDisabled()).toBe(true);
    expect(await train.field('bptt-window').inputValue()).toBe('35');

    // Characters need no tokenizer; tied embeddings need the embedding as wide as the top layer.
    await train.setFields({ 'lm-level': 'char' });
    await expect.poll(() => train.field('lm-tokenizer').count()).toBe(0);
    await train.setFields({ 'tied-embeddings': true, 'word-embedding': '12' });
    await train.issue('wordEmbeddingSize').waitFor();
    expect(await train.field('start').isDisabled()).toBe(true);
    await train.setFields({
      name: LM,
      layers: '1',
      units: '12',
      'kneser-ney-order': '3',
      'bptt-window': '10',
      optimizer: 'adam',
      lr: '0.01',
      schedule: 'constant',
      epochs: '1',
      batch: '4',
    });
    expect(await train.field('start').isDisabled()).toBe(false);
    const config = parseExperimentConfig(await train.previewConfig());
    expect(config).toMatchObject({
      name: LM,
      task: 'lm',
      corpus: TREEBANK,
      level: 'char',
      tiedEmbeddings: true,
      baseline: { order: 3 },
      words: { embeddingSize: 12, chars: null, caseFeatures: false, pretrained: null },
      model: { layers: [{ cell: 'lstm', units: 12 }] },
      training: {
        epochs: 1,
        batchSize: 4,
        optimizer: { kind: 'adam', learningRate: 0.01 },
        bptt: { kind: 'truncated', window: 10 },
      },
    });

    await train.field('start').click();
    await train.progress.waitFor();
    await expect.poll(() => train.state.textContent(), { timeout: 120_000 }).toBe('succeeded');
    await expect.poll(() => train.experimentStatus(LM), { timeout: 10_000 }).toBe('done');
    // The run is the form's config.
    const detail = await app.client.invoke('experiments:get', { name: LM });
    expect(detail.config).toMatchObject({ task: 'lm', level: 'char', tiedEmbeddings: true });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });

  it("offers the biLM preset, and a trained biLM as the tagger's contextual embeddings", async () => {
    const train = new TrainPage(app.page);
    const shell = new ShellPage(app.page);
    // The biLM preset fills the direction and what it asks (characters, layers as wide as the words).
    await train.field('corpus').selectOption(TREEBANK);
    await train.field('preset').selectOption('lm-word-bilm');
    await expect.poll(() => train.field('lm-direction').inputValue()).toBe('bidirectional');
    expect(await train.field('char-cnn').isChecked()).toBe(true);
    expect(await train.field('units').inputValue()).toBe('128');
    const note = app.page.locator(
      '[data-section="Language model"] [data-testid="train-section-note"]',
    );
    expect(await note.textContent()).toContain('78 + 50 = 128');
    await train.setFields({ 'lm-direction': 'forward' });
    await expect.poll(() => train.field('char-cnn').count()).toBe(0);

    // A tiny biLM (as polysemy.test.ts trains one), then the list is read again.
    const dataDir = app.serve.dataDir;
    await trainExperiment(
      toyBilmConfig(BILM, TREEBANK, {
        train: { splits: ['dev'] },
        dev: null,
        test: { splits: ['test'] },
      }),
      { dataDir, outDir: join(dataDir, 'experiments', BILM) },
    );
    await app.page.reload();
    await shell.waitUntilConnected();
    await train.field('corpus').selectOption(TREEBANK);
    await train.field('preset').selectOption('pos-bilstm-charcnn');
    await expect.poll(() => train.field('task').inputValue()).toBe('pos');
    const choices = (): Promise<string[]> =>
      train
        .field('contextual-embeddings')
        .locator('option')
        .evaluateAll((all) => all.map((o) => (o as HTMLOptionElement).value));
    // Only the biLM: not the forward LM nor the tagger trained above.
    await expect.poll(choices).toEqual(['', BILM]);
    await train.setFields({ 'contextual-embeddings': BILM });
    expect(await train.previewConfig()).toMatchObject({
      task: 'pos',
      model: { contextualEmbeddings: { experiment: BILM } },
    });
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  }, 120_000);
});
