/**
 * The Text view's sequence-to-sequence mode in a browser: a tiny encoder-decoder with attention,
 * trained in the test's setup to reverse letter strings, decodes what is typed into the beam's
 * n-best list (the outputs and scores the API gives), draws the chosen output's attention as a
 * heatmap of its output steps by the source units (another output's when clicked), and lists
 * the worst test items with their errors aligned, a click putting one's source in the box.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Seq2seqTranslation } from '@api/seq2seq';
import { trainExperiment } from '../support/builtin-experiments';
import { createReversalCorpus, reversalPairs, reverserConfig } from '../support/toy-pairs';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';

const CORPUS = 'reversal';
const EXPERIMENT = 'toy-reverser';
/** What the lead looks at: the n-best list, the attention heatmap and the worst items. */
const SCREENSHOT = '/tmp/unfold-seq2seq-text.png';

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  const dataDir = app.serve.dataDir;
  // The test targets end in a letter no training target has: every test item is wrong, so the
  // worst-items list is never empty.
  const test = reversalPairs(8, 3).map((pair) => ({ ...pair, target: `${pair.target}z` }));
  await createReversalCorpus(dataDir, CORPUS, {
    train: reversalPairs(40, 1),
    dev: reversalPairs(6, 2),
    test,
  });
  await trainExperiment(
    reverserConfig(EXPERIMENT, CORPUS, {
      cell: 'gru',
      units: 16,
      attention: 'additive',
      beam: 3,
      epochs: 8,
      dev: true,
    }),
    { dataDir, outDir: join(dataDir, 'experiments', EXPERIMENT) },
  );
}, 120_000);

afterAll(async () => {
  await app?.close();
});

describe('the Text view (sequence to sequence)', () => {
  it('decodes typed text into the n-best list with each output’s attention, and lists the worst items', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/text`);
    await shell.waitUntilConnected();
    await page.getByTestId('text-experiment').selectOption(EXPERIMENT);
    await page.getByTestId('text-input').fill('abcd');

    const expected: Seq2seqTranslation = await app.client.invoke('seq2seq:translate', {
      experiment: EXPERIMENT,
      text: 'abcd',
    });
    expect(expected.nBest.length).toBeGreaterThan(1);
    const hypotheses = page.getByTestId('hypothesis');
    await expect
      .poll(() =>
        hypotheses.evaluateAll((all) =>
          all.map((h) => [h.getAttribute('data-text'), Number(h.getAttribute('data-score'))]),
        ),
      )
      .toEqual(expected.nBest.map((h) => [h.text, h.score]));

    // The best output's attention: its output steps down, the four source units across.
    const heatmap = page.getByTestId('attention-heatmap');
    const shape = (): Promise<(string | null)[]> =>
      heatmap.evaluate((h) =>
        ['data-rows', 'data-cols', 'data-source-units', 'data-output-units'].map((a) =>
          h.getAttribute(a),
        ),
      );
    const shapeOf = (i: number): string[] => {
      const h = expected.nBest[i]!;
      return [
        String(h.attention!.rows),
        '4',
        'a b c d',
        [...h.units, ...(h.finished ? ['</s>'] : [])].join(' '),
      ];
    };
    expect(await shape()).toEqual(shapeOf(0));
    const canvas = page.getByTestId('attention-canvas');
    expect(await canvas.getAttribute('data-drawn')).toBe('true');

    // Hovering a cell reads out its weight; another output shows its own attention.
    const box = (await canvas.boundingBox())!;
    await page.mouse.move(box.x + box.width * 0.9, box.y + 2);
    const readout = page.getByTestId('attention-readout');
    const first = expected.nBest[0]!.attention!;
    expect(await readout.getAttribute('data-row')).toBe('0');
    expect(await readout.getAttribute('data-col')).toBe('3');
    expect(Number(await readout.getAttribute('data-weight'))).toBe(first.data[3]);
    await page.mouse.move(0, 0);
    await hypotheses.nth(1).click();
    await expect.poll(shape).toEqual(shapeOf(1));
    expect(await hypotheses.nth(1).getAttribute('aria-pressed')).toBe('true');

    // The worst test items, each with its errors aligned; a click decodes its source.
    const worst = page.getByTestId('worst-item');
    await expect.poll(() => worst.count()).toBeGreaterThan(0);
    const source = (await worst.first().getAttribute('data-source'))!;
    expect(Number(await worst.first().getAttribute('data-errors'))).toBeGreaterThan(0);
    await worst.first().getByTestId('pick-item').click();
    expect(await page.getByTestId('text-input').inputValue()).toBe(source);
    const picked: Seq2seqTranslation = await app.client.invoke('seq2seq:translate', {
      experiment: EXPERIMENT,
      text: source,
    });
    await expect
      .poll(() => hypotheses.evaluateAll((all) => all.map((h) => h.getAttribute('data-text'))))
      .toEqual(picked.nBest.map((h) => h.text));
    await worst.first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT });
    expect(app.pageErrors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
  });
});
