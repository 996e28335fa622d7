/**
 * A sweep from the Train view in a browser: the form's tiny sentiment CNN (1 epoch) varied over
 * two learning rates, started from the Sweeps section on a local pool of 2 job processes; the
 * section's table fills with 2 finished runs with their test figures (the summary the server
 * reads from the sweep's folder), the parallel-coordinates plot draws them, and "open the best
 * run" opens the Evaluate view on the best run's experiment.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { toySentimentItems } from '../support/toy-sentiment';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { importToyReviews } from './support/toy-reviews';
import { TrainPage } from './support/train-page';

const CORPUS = 'sweep-reviews';
const SWEEP = 'rates';
const SCREENSHOT = '/tmp/unfold-sweep.png';

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  await importToyReviews(app.client, CORPUS, [['train', toySentimentItems(80, 7)]]);
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('a sweep from the Train view', () => {
  it('starts 2 tiny runs and sees its table fill with 2 finished runs', async () => {
    const shell = new ShellPage(app.page);
    const train = new TrainPage(app.page);
    await shell.open(`${app.serve.url}#/train`);
    await shell.waitUntilConnected();
    await expect.poll(() => train.field('corpus').inputValue()).toBe(CORPUS);
    await train.field('preset').selectOption('sentiment-kim-cnn');
    await expect.poll(() => train.field('encoder').inputValue()).toBe('cnn');
    await train.setFields({
      name: 'tiny',
      'word-embedding': '8',
      'word-dropout': '0',
      'cnn-widths': '2',
      'cnn-filters': '4',
      dropout: '0',
      epochs: '1',
      batch: '16',
      patience: '0',
    });

    const page = app.page;
    await page.getByTestId('sweep-field').first().fill('training.optimizer.learningRate');
    await page.getByTestId('sweep-values').first().fill('0.02, 0.005');
    await expect.poll(() => page.getByTestId('sweep-run-count').textContent()).toContain('2 runs');
    await page.getByTestId('sweep-name').fill(SWEEP);
    await page.getByTestId('sweep-workers').fill('2');
    await page.getByTestId('sweep-start').click();

    const panel = page.getByTestId('sweep-panel');
    await expect.poll(() => panel.getAttribute('data-name')).toBe(SWEEP);
    const statuses = (): Promise<(string | null)[]> =>
      page
        .getByTestId('sweep-run')
        .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-status')));
    await expect.poll(statuses, { timeout: 180_000 }).toEqual(['done', 'done']);

    // The table shows the summary the server reads from the sweep's folder.
    const sweep = await app.client.invoke('sweeps:get', { name: SWEEP });
    expect(sweep.runs.map((r) => [r.experiment, r.values])).toEqual([
      [`${SWEEP}-1`, { 'training.optimizer.learningRate': 0.02 }],
      [`${SWEEP}-2`, { 'training.optimizer.learningRate': 0.005 }],
    ]);
    expect(sweep.summary?.complete).toBe(true);
    const accuracies = sweep.summary?.runs.map((r) => r.figures?.test.accuracy) ?? [];
    expect(accuracies.every((a) => typeof a === 'number')).toBe(true);
    const shown = await page
      .getByTestId('sweep-run-metric')
      .evaluateAll((cells) => cells.map((c) => c.textContent?.replace('best', '').trim()));
    expect(shown).toEqual(accuracies.map((a) => String(Number((a as number).toPrecision(4)))));

    // One line per finished run in the parallel-coordinates plot.
    await expect
      .poll(() => page.locator('[data-testid="sweep-parallel"] canvas').getAttribute('data-lines'))
      .toBe('2');
    await page.getByTestId('sweeps').screenshot({ path: SCREENSHOT });

    // The best run opens in the Evaluate view.
    const [first, second] = accuracies as [number, number];
    const best = second > first ? `${SWEEP}-2` : `${SWEEP}-1`;
    await page.getByTestId('sweep-open-best').click();
    await expect.poll(() => page.evaluate(() => window.location.hash)).toContain('#/evaluate');
    await expect
      .poll(() => page.getByTestId('evaluate-experiment').inputValue(), { timeout: 10_000 })
      .toBe(best);
    expect(app.pageErrors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
  });
});
