/**
 * The Text view in a browser: a tiny tagger, trained from the command line on a generated
 * CoNLL-U corpus, tags what is typed (chips with the tag written under each word, top-3 on
 * hover or focus), and its evaluation's confusion cells open the sentences behind them with the
 * confused words framed.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ExperimentEvaluation } from '@api/experiments';
import type { TaggedSentencePrediction } from '@api/text';
import { registerSpeechCommands } from '../../src-main/cli/commands/speech';
import { runInProcessCli } from '../support/in-process-cli';
import { toySentences, type TaggedWord } from '../support/toy-grammar';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { EvaluatePage } from './support/evaluate-page';
import { ShellPage } from './support/shell-page';
import { importToyTreebank } from './support/toy-treebank';

const EXPERIMENT = 'toy-tagger';
const TYPED = 'They can run. The dog likes a cat.';

let app: E2eAppWithPage;

/**
 * The test split calls every "dog" an ADJ: the tagger learns it is a NOUN, so its evaluation
 * has a confusion to open whatever else it gets right.
 */
function mislabelDogs(sentences: TaggedWord[][]): TaggedWord[][] {
  return sentences.map((words) =>
    words.map((word) => (word.form.toLowerCase() === 'dog' ? { ...word, upos: 'ADJ' } : word)),
  );
}

beforeAll(async () => {
  app = await startAppWithPage();
  await importToyTreebank(app.client, 'toy', [
    ['train', toySentences(160, 21)],
    ['dev', toySentences(20, 22)],
    ['test', mislabelDogs(toySentences(40, 23))],
  ]);
  const trained = await runInProcessCli(registerSpeechCommands, [
    'train',
    '--task',
    'pos',
    '--corpus',
    'toy',
    '--out',
    EXPERIMENT,
    '--units',
    '16',
    '--epochs',
    '6',
    '--batch',
    '16',
    '--lr',
    '0.02',
    '--seed',
    '3',
    '--data',
    app.serve.dataDir,
  ]);
  expect(trained.exitCode, trained.stderr).toBe(0);
}, 180_000);

afterAll(async () => {
  await app?.close();
});

describe('the Text view (tagging)', () => {
  it('tags typed text as chips with the tag written under each word, and top-3 tags on hover or focus', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/text`);
    await shell.waitUntilConnected();
    await page.getByTestId('text-experiment').selectOption(EXPERIMENT);

    // Typed key by key, as a user types: the view tags what is there once typing pauses.
    await page.getByTestId('text-input').pressSequentially(TYPED);
    const expected = await app.client.invoke('text:tag', { experiment: EXPERIMENT, text: TYPED });
    expect(expected.tokens.map((t) => t.text)).toEqual([
      'They',
      'can',
      'run',
      '.',
      'The',
      'dog',
      'likes',
      'a',
      'cat',
      '.',
    ]);
    const chips = page.getByTestId('tag-chip');
    await expect.poll(() => chips.count()).toBe(expected.tokens.length);
    expect(await chips.evaluateAll((all) => all.map((c) => c.getAttribute('data-tag')))).toEqual(
      expected.tokens.map((t) => t.tag),
    );
    expect(await page.getByTestId('chip-tag').allTextContents()).toEqual(
      expected.tokens.map((t) => t.tag),
    );

    // The tag is written under its word, not beside it.
    const first = chips.first();
    const wordBox = await first.locator('.word').boundingBox();
    const tagBox = await first.getByTestId('chip-tag').boundingBox();
    expect(tagBox!.y).toBeGreaterThanOrEqual(wordBox!.y + wordBox!.height - 1);

    // Every tag of the model is in the legend, the typed tokens counted.
    const legend = page.getByTestId('legend-tag');
    expect(await legend.evaluateAll((all) => all.map((e) => e.getAttribute('data-tag')))).toEqual(
      expected.tagSet,
    );

    // Hover: the three likeliest tags with probabilities, and whether training saw the word.
    const dog = expected.tokens[5]!;
    await chips.nth(5).hover();
    const details = page.getByTestId('chip-details').nth(5);
    await details.waitFor({ state: 'visible' });
    const shown = (await details.textContent()) ?? '';
    for (const entry of dog.top)
      expect(shown).toContain(`${entry.tag} ${(entry.probability * 100).toFixed(1)}%`);
    expect(shown).toContain(dog.unseen ? 'Not seen in training' : 'Seen in training');

    // The keyboard gets the same: focus the first chip, and Escape hides its details.
    await page.mouse.move(0, 0);
    await chips.first().focus();
    const firstDetails = page.getByTestId('chip-details').first();
    await firstDetails.waitFor({ state: 'visible' });
    await page.keyboard.press('Escape');
    await firstDetails.waitFor({ state: 'hidden' });

    // Editing the text tags it again.
    await page.getByTestId('text-input').fill('They walk.');
    await expect.poll(() => page.getByTestId('chip-tag').count()).toBe(3);
    expect(pageErrors()).toEqual([]);
  });

  it('opens a confusion cell on its sentences, gold and predicted tags under each word and the confused word framed', async () => {
    const page = app.page;
    const corpus = page.getByTestId('corpus-sentences');
    await corpus.getByTestId('confusion-matrix').waitFor();
    const evaluation: ExperimentEvaluation = await app.client.invoke('experiments:evaluation', {
      name: EXPERIMENT,
      split: 'test',
    });
    const sentences = evaluation.predictions as unknown as TaggedSentencePrediction[];

    // The first wrongly tagged word of the test split: its cell of the matrix.
    const wrong = sentences
      .flatMap((s) => s.reference.map((gold, i) => ({ gold, predicted: s.decoded[i]! })))
      .find((t) => t.gold !== t.predicted);
    expect(wrong).toBeDefined();
    const { gold, predicted } = wrong!;
    const behind = sentences.filter((s) =>
      s.reference.some((tag, i) => tag === gold && s.decoded[i] === predicted),
    );

    await corpus
      .locator(
        `[data-testid="confusion-cell"][data-reference="${gold}"][data-predicted="${predicted}"]`,
      )
      .click();
    await expect
      .poll(async () =>
        ((await corpus.getByTestId('cell-items-title').textContent()) ?? '').replace(/\s+/g, ' '),
      )
      .toContain(`${gold} → ${predicted}: ${behind.length} sentences`);
    const listed = corpus.getByTestId('sentence-list').getByTestId('tagged-sentence');
    await expect.poll(() => listed.count()).toBe(behind.length);
    expect(
      await listed.evaluateAll((all) => all.map((s) => s.getAttribute('data-utterance'))),
    ).toEqual(behind.map((s) => s.utteranceId));

    // In each sentence the words of that confusion are framed, with both tags under them.
    for (let k = 0; k < behind.length; k++) {
      const framed = listed
        .nth(k)
        .locator('[data-testid="sentence-token"][data-highlighted="true"]');
      const expectedFramed = behind[k]!.reference.filter(
        (tag, i) => tag === gold && behind[k]!.decoded[i] === predicted,
      ).length;
      expect(await framed.count()).toBe(expectedFramed);
      for (const token of await framed.all()) {
        expect(await token.getByTestId('gold-tag').textContent()).toContain(gold);
        expect(await token.getByTestId('predicted-tag').textContent()).toContain(predicted);
        expect(await token.getAttribute('data-mismatch')).toBe('true');
      }
    }

    // Closing the cell goes back to the sentences with errors.
    await corpus.getByRole('button', { name: 'Close' }).click();
    const withErrors = sentences.filter((s) => s.reference.some((t, i) => t !== s.decoded[i]));
    await expect.poll(() => listed.count()).toBe(Math.min(50, withErrors.length));
    expect(
      await corpus.locator('[data-testid="sentence-token"][data-highlighted="true"]').count(),
    ).toBe(0);
    expect(pageErrors()).toEqual([]);
  });
});

describe('the Evaluate view of a tagger', () => {
  it('lists sentences with errors instead of utterances with audio, and a cell opens its sentences', async () => {
    const shell = new ShellPage(app.page);
    const evaluate = new EvaluatePage(app.page);
    await shell.open(`${app.serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await evaluate.experiment.selectOption(EXPERIMENT);
    await evaluate.results.waitFor();
    const evaluation: ExperimentEvaluation = await app.client.invoke('experiments:evaluation', {
      name: EXPERIMENT,
      split: 'test',
    });
    const sentences = evaluation.predictions as unknown as TaggedSentencePrediction[];
    const summary = evaluation.summary ?? {};
    expect(await app.page.getByTestId('headline-Token accuracy').textContent()).toBe(
      `${((summary.accuracy as number) * 100).toFixed(1)}%`,
    );
    expect(await app.page.getByTestId('headline-Sentences').textContent()).toBe(
      String(sentences.length),
    );

    // The review list: sentences with errors, most first, each shown whole with no audio to open.
    const withErrors = sentences.filter((s) => s.errors > 0);
    const review = app.page.getByTestId('error-sentence');
    await expect.poll(() => review.count()).toBe(withErrors.length);
    const errorsListed = await review.evaluateAll((rows) =>
      rows.map((r) => r.querySelectorAll('[data-mismatch="true"]').length),
    );
    expect(errorsListed).toEqual([...errorsListed].sort((a, b) => b - a));
    expect(await app.page.getByTestId('open-utterance').count()).toBe(0);

    // A cell of the shared confusion view lists its sentences, the confused words framed.
    const dogs = sentences.filter((s) =>
      s.reference.some((tag, i) => tag === 'ADJ' && s.decoded[i] !== 'ADJ'),
    );
    expect(dogs.length).toBeGreaterThan(0);
    const first = dogs[0]!;
    const i = first.reference.findIndex((tag, k) => tag === 'ADJ' && first.decoded[k] !== 'ADJ');
    const predicted = first.decoded[i]!;
    await evaluate.cell('ADJ', predicted).click();
    const rows = evaluate.rows('cell-utterance');
    await rows.first().waitFor();
    const framed = rows.locator('[data-testid="sentence-token"][data-highlighted="true"]');
    expect(await framed.count()).toBeGreaterThan(0);
    expect(await framed.first().getByTestId('predicted-tag').textContent()).toContain(predicted);
    expect(await app.page.getByTestId('utterance-inspector').count()).toBe(0);
    expect(pageErrors()).toEqual([]);
  });
});

function pageErrors(): string[] {
  return app.pageErrors.filter((error) => error.startsWith('pageerror'));
}
