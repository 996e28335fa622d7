/**
 * Held-out parts and cross-validation in a browser: on a labelled corpus of one split (as the
 * polarity importer writes MR), the Train form tests on the held-out parts of that split and
 * says so (with each part's expected size), then cross-validates a tiny CNN in 2 folds from the
 * form and shows the summary: one row per fold with its accuracy, their mean ± sample sd, and
 * the folds' experiments in the list; after a page reload, lists the cross-validations on disk
 * and reopens one in the panel.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toySentimentItems } from '../support/toy-sentiment';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { importToyReviews } from './support/toy-reviews';
import { TrainPage } from './support/train-page';

const CORPUS = 'one-split-reviews';
const CV = 'reviews-cv';
const ITEMS = 120;
/** What the lead looks at: the held-out note and sizes, and the finished summary. */
const SCREENSHOTS = {
  heldOut: '/tmp/unfold-held-out-form.png',
  summary: '/tmp/unfold-cross-validation.png',
};

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  await importToyReviews(app.client, CORPUS, [['train', toySentimentItems(ITEMS, 41)]]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

function pageErrors(): string[] {
  return app.pageErrors.filter((error) => error.startsWith('pageerror'));
}

describe('held-out parts and cross-validation', () => {
  it('tests a one-split corpus on its held-out parts, and says so', async () => {
    const shell = new ShellPage(app.page);
    const train = new TrainPage(app.page);
    await shell.open(`${app.serve.url}#/train`);
    await shell.waitUntilConnected();
    await expect.poll(() => train.field('corpus').inputValue()).toBe(CORPUS);
    await expect.poll(() => train.field('test-split').inputValue()).toBe('held-out-test');
    expect(await train.field('dev-split').inputValue()).toBe('held-out-dev');
    expect(await app.page.getByTestId('train-section-note').textContent()).toMatch(
      /^Held-out parts: the items of train are divided by a hash of each item into train, dev and test parts, 81\/9\/10 /,
    );
    // Expected sizes from the shares, marked as such (the hash decides each item's part).
    const sizes = async (): Promise<[string | null, string | null, string | null][]> =>
      app.page
        .getByTestId('train-split-size')
        .evaluateAll((rows) =>
          rows.map((r) => [
            r.getAttribute('data-role'),
            r.getAttribute('data-items'),
            r.getAttribute('data-approximate'),
          ]),
        );
    await expect.poll(sizes).toEqual([
      ['train', String(Math.round(ITEMS * 0.81)), 'true'],
      ['dev', String(Math.round(ITEMS * 0.09)), 'true'],
      ['test', String(Math.round(ITEMS * 0.1)), 'true'],
    ]);
    await app.page.getByTestId('train-split-sizes-approximate').waitFor();
    expect(await train.field('start').isDisabled()).toBe(false);
    expect(await train.previewConfig()).toMatchObject({
      data: {
        train: { splits: ['train'] },
        dev: { splits: ['held-out-dev'] },
        test: { splits: ['held-out-test'] },
      },
    });
    await app.page
      .locator('[data-testid="train-section"][data-section="Data"]')
      .screenshot({ path: SCREENSHOTS.heldOut });
    expect(pageErrors()).toEqual([]);
  });

  it('cross-validates a tiny classifier in 2 folds from the form and shows the summary', async () => {
    const train = new TrainPage(app.page);
    await train.field('preset').selectOption('sentiment-kim-cnn');
    await expect.poll(() => train.field('encoder').inputValue()).toBe('cnn');
    await train.setFields({
      name: CV,
      'dev-split': '',
      'word-embedding': '8',
      'word-dropout': '0',
      'cnn-widths': '2',
      'cnn-filters': '4',
      dropout: '0',
      epochs: '1',
      batch: '16',
      lr: '0.02',
      patience: '0',
    });
    await train.field('cross-validate').setChecked(true);
    await train.field('folds').fill('1');
    await train.field('folds-issue').waitFor();
    expect(await train.field('start').isDisabled()).toBe(true);
    await train.field('folds').fill('2');
    expect(await train.field('folds-issue').count()).toBe(0);
    expect(await train.field('start').textContent()).toBe('Cross-validate');
    expect(await train.field('cross-validate-note').textContent()).toContain(
      'cut into 2 folds by a hash of each item',
    );
    await train.field('start').click();

    const panel = app.page.getByTestId('cv-panel');
    await expect.poll(() => panel.getAttribute('data-complete'), { timeout: 180_000 }).toBe('true');
    expect(await train.state.textContent()).toBe('succeeded');

    // The table is the summary the server reads from the cross-validation's folder.
    const cv = await app.client.invoke('experiments:cross-validation', { name: CV });
    expect(cv).toMatchObject({ name: CV, task: 'sentiment', corpus: CORPUS, folds: 2 });
    expect(cv.experiments).toEqual([`${CV}-fold-1`, `${CV}-fold-2`]);
    const summary = cv.summary!;
    expect(summary.complete).toBe(true);
    const rows = app.page.getByTestId('cv-fold');
    expect(
      await rows.evaluateAll((all) =>
        all.map((r) => [
          r.getAttribute('data-fold'),
          r.getAttribute('data-status'),
          r.querySelector('[data-testid="cv-fold-figure"]')?.textContent?.trim(),
        ]),
      ),
    ).toEqual(
      summary.results.map((r) => [
        String(r.fold),
        'done',
        `${((r.figures.accuracy ?? NaN) * 100).toFixed(1)}%`,
      ]),
    );
    // Mean ± sample sd over the two folds, as the summary has them.
    const [a, b] = summary.results.map((r) => r.figures.accuracy ?? NaN) as [number, number];
    expect(summary.mean.accuracy).toBeCloseTo((a + b) / 2, 12);
    expect(summary.sd.accuracy).toBeCloseTo(Math.abs(a - b) / Math.SQRT2, 12);
    expect(await app.page.getByTestId('cv-mean').textContent()).toContain(
      `${((summary.mean.accuracy ?? NaN) * 100).toFixed(1)}% ± ${((summary.sd.accuracy ?? NaN) * 100).toFixed(1)} points (sample sd over 2 folds)`,
    );
    // Every item is tested once: the folds' test parts add up to the corpus.
    expect(summary.results.reduce((sum, r) => sum + (r.items?.test ?? 0), 0)).toBe(ITEMS);

    // The folds are experiments of their own in the list, evaluated on their held-out test part.
    for (const name of cv.experiments) {
      await expect.poll(() => train.experimentStatus(name), { timeout: 10_000 }).toBe('done');
      expect(await train.experimentAccuracy(name)).toMatch(/^\d+\.\d% \(held-out-test\)$/);
    }
    await panel.scrollIntoViewIfNeeded();
    await app.page.screenshot({ path: SCREENSHOTS.summary, fullPage: true });
    expect(pageErrors()).toEqual([]);
  });

  it('resumes a cancelled cross-validation from its panel, keeping the finished folds', async () => {
    const train = new TrainPage(app.page);
    const name = `${CV}-resumed`;
    const panel = app.page.getByTestId('cv-panel');
    const foldStatuses = (): Promise<(string | null)[]> =>
      app.page
        .getByTestId('cv-fold')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    // Epochs enough for the second fold to be caught training.
    await train.setFields({ name, epochs: '30' });
    await train.field('folds').fill('3');
    await train.field('start').click();
    await expect.poll(() => panel.getAttribute('data-name')).toBe(name);
    await expect.poll(foldStatuses, { timeout: 120_000 }).toEqual(['done', 'training', 'waiting']);
    // Dispatched rather than clicked: on an idle machine the folds report so often that the
    // progress card re-renders the button faster than Playwright's stability check settles.
    await train.field('cancel').dispatchEvent('click');
    await expect.poll(() => train.state.textContent(), { timeout: 30_000 }).toBe('cancelled');
    // Cancelling is cooperative: on a loaded machine fold 2 may end before the request reaches
    // it, and is then kept like fold 1; fold 3 never starts.
    await expect
      .poll(async () => (await foldStatuses()).some((s) => s === 'training' || s === 'waiting'))
      .toBe(false);
    const afterCancel = await foldStatuses();
    expect([
      ['done', 'not run', 'not run'],
      ['done', 'done', 'not run'],
    ]).toContainEqual(afterCancel);
    const kept = afterCancel.filter((s) => s === 'done').length;
    const stopped = await app.client.invoke('experiments:cross-validation', { name });
    expect(stopped.summary?.results.map((r) => r.fold)).toEqual(kept === 1 ? [1] : [1, 2]);
    expect(stopped.summary?.complete).toBe(false);

    await app.page.getByTestId('cv-resume').click();
    await expect.poll(() => panel.getAttribute('data-complete'), { timeout: 180_000 }).toBe('true');
    expect(await foldStatuses()).toEqual(['done', 'done', 'done']);
    const resumed = await app.client.invoke('experiments:cross-validation', { name });
    // The folds that had finished are kept as they were, not trained again.
    expect(resumed.summary?.results.slice(0, kept)).toEqual(stopped.summary?.results);
    expect(resumed.summary?.results.map((r) => r.fold)).toEqual([1, 2, 3]);
    expect(pageErrors()).toEqual([]);
  });

  it('lists the finished cross-validations after a reload and reopens one, training nothing', async () => {
    const shell = new ShellPage(app.page);
    const jobsBefore = (await app.client.invoke('jobs:list')).length;
    await app.page.reload();
    await shell.waitUntilConnected();
    const listed = (): Promise<(string | null)[]> =>
      app.page
        .getByTestId('cv-list-row')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-name')));
    await expect.poll(listed).toEqual([CV, `${CV}-resumed`]);
    // A reload follows no job: the panel is empty until a cross-validation is opened.
    expect(await app.page.getByTestId('cv-panel').count()).toBe(0);
    const saved = await app.client.invoke('experiments:cross-validations');
    expect(saved.map((cv) => cv.name)).toEqual([CV, `${CV}-resumed`]);
    const cv = await app.client.invoke('experiments:cross-validation', { name: CV });
    expect(saved[0]).toEqual(cv);
    const summary = cv.summary!;
    const meanText = `${((summary.mean.accuracy ?? NaN) * 100).toFixed(1)}% ± ${((summary.sd.accuracy ?? NaN) * 100).toFixed(1)} points`;
    const row = app.page.locator(`[data-testid="cv-list-row"][data-name="${CV}"]`);
    expect(await row.getByTestId('cv-list-mean').textContent()).toContain(meanText);

    await row.getByTestId('cv-list-open').click();
    const panel = app.page.getByTestId('cv-panel');
    await expect.poll(() => panel.getAttribute('data-name')).toBe(CV);
    expect(await panel.getAttribute('data-complete')).toBe('true');
    expect(await app.page.getByTestId('cv-mean').textContent()).toContain(meanText);
    expect(
      await app.page
        .getByTestId('cv-fold')
        .evaluateAll((all) =>
          all.map((r) => [
            r.getAttribute('data-status'),
            r.querySelector('[data-testid="cv-fold-figure"]')?.textContent?.trim(),
          ]),
        ),
    ).toEqual(
      summary.results.map((r) => ['done', `${((r.figures.accuracy ?? NaN) * 100).toFixed(1)}%`]),
    );
    expect(await row.getByTestId('cv-list-open').isDisabled()).toBe(true);
    // Opening reads what is on disk: no job was started.
    expect((await app.client.invoke('jobs:list')).length).toBe(jobsBefore);
    expect(pageErrors()).toEqual([]);
  });
});
