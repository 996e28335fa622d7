/**
 * The Text view with a bidirectional LM (ELMo-style): a tiny biLM, trained in the test's setup
 * on the toy grammar's sentences, says that next-word prediction and generation do not apply to
 * it, and compares one word in two sentences: the cosine of its static vectors (layer 0, the
 * characters) and of its contextual ones, the same figures the API gives; then builds the token
 * index of a corpus as a job with progress and lists each occurrence's nearest tokens.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { trainExperiment } from '../support/builtin-experiments';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { createToyTextCorpus, toyBilmConfig } from './support/toy-language';

const CORPUS = 'toy-text';
const EXPERIMENT = 'toy-bilm';
const SCREENSHOT = '/tmp/unfold-polysemy.png';

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  const dataDir = app.serve.dataDir;
  await createToyTextCorpus(dataDir, CORPUS, {
    train: { count: 80, seed: 41 },
    dev: { count: 10, seed: 42 },
    test: { count: 10, seed: 43 },
  });
  await trainExperiment(
    toyBilmConfig(EXPERIMENT, CORPUS, {
      train: { splits: ['train'] },
      dev: { splits: ['dev'] },
      test: { splits: ['test'] },
    }),
    { dataDir, outDir: join(dataDir, 'experiments', EXPERIMENT) },
  );
}, 180_000);

afterAll(async () => {
  await app?.close();
});

function pageErrors(): string[] {
  return app.pageErrors.filter((error) => error.startsWith('pageerror'));
}

describe('the Text view (bidirectional language model)', () => {
  it('shows the static and contextual similarity of a shared word, then its neighbours once indexed', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/text`);
    await shell.waitUntilConnected();
    await page.getByTestId('text-experiment').selectOption(EXPERIMENT);
    await expect
      .poll(() => page.getByTestId('bilm-note').textContent())
      .toContain('generation do not apply');
    expect(await page.getByTestId('text-input').count()).toBe(0);

    // The example sentences share "play": the page shows the API's two figures.
    const expected = await app.client.invoke('lm:polysemy', {
      experiment: EXPERIMENT,
      first: 'The children play in the park.',
      second: 'The play premiered yesterday.',
    });
    expect(expected.word).toBe('play');
    const staticCosine = page.getByTestId('polysemy-static');
    await staticCosine.waitFor();
    const figures = async (): Promise<number[]> => [
      Number(await staticCosine.getAttribute('data-cosine')),
      Number(await page.getByTestId('polysemy-contextual').getAttribute('data-cosine')),
    ];
    const [statik, contextual] = await figures();
    expect(statik).toBeCloseTo(1, 5); // the same spelling: the same character-based vector
    expect(contextual).toBeLessThan(statik!);
    expect(await staticCosine.textContent()).toBe(statik!.toFixed(3));
    expect(await page.getByTestId('polysemy-contextual').textContent()).toBe(
      contextual!.toFixed(3),
    );
    const layers = expected.similarities.map((s) => [String(s.layer), s.cosine.toFixed(3)]);
    expect(layers.map(([layer]) => layer)).toEqual(['0', '1', 'mix']);
    await expect
      .poll(() =>
        page
          .getByTestId('polysemy-layer')
          .evaluateAll((all) =>
            all.map((row) => [row.getAttribute('data-layer'), row.textContent?.trim() ?? '']),
          ),
      )
      .toSatisfy((rows: [string, string][]) =>
        rows.every(([layer, text], i) => layer === layers[i]![0] && text.endsWith(layers[i]![1]!)),
      );
    expect(expected.first.neighbours).toBeNull();
    await page.getByTestId('polysemy-no-index').waitFor();

    // The index is built once, as a job with progress; then each occurrence lists neighbours.
    await page.getByTestId('polysemy-index-corpus').selectOption(CORPUS);
    await page.getByTestId('polysemy-index-split').selectOption('train');
    await page.getByTestId('polysemy-build-index').click();
    await expect
      .poll(() => page.getByTestId('polysemy-index-job').getAttribute('data-state'), {
        timeout: 60_000,
      })
      .toBe('succeeded');
    const neighbours = page.getByTestId('polysemy-neighbour');
    await expect.poll(() => neighbours.count(), { timeout: 20_000 }).toBe(10);
    const indexed = await app.client.invoke('lm:polysemy', {
      experiment: EXPERIMENT,
      first: 'The children play in the park.',
      second: 'The play premiered yesterday.',
    });
    expect(indexed.index).toMatchObject({ corpus: CORPUS, split: 'train' });
    const shown = await neighbours.evaluateAll((all) =>
      all.map((row) => row.getAttribute('data-word')),
    );
    expect(shown).toEqual(
      [...indexed.first.neighbours!, ...indexed.second.neighbours!].map((n) => n.word),
    );
    expect(await page.getByTestId('polysemy-index').textContent()).toContain(
      `${indexed.index!.tokens.toLocaleString('en')} tokens of ${CORPUS} (train)`,
    );
    // Static and contextual figures are still there beside the neighbours.
    expect(await figures()).toEqual([statik, contextual]);
    await page.getByTestId('polysemy').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOT, fullPage: true });
    expect(pageErrors()).toEqual([]);
  });
});
