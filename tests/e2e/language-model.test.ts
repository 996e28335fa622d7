/**
 * The Text view's language-model mode in a browser: a tiny word LSTM language model, trained in
 * the test's setup on the toy grammar's sentences, lists the most probable next words as text
 * is typed (with the word being typed left out of what it reads), shades each typed word by its
 * surprisal with a legend that says what a shade means, streams generated text unit by unit as
 * it is sampled (the same units the API gives for the seed), stops a long generation, and shows
 * the perplexity of its evaluations.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { LmReading, LmUnitPayload } from '@api/lm';
import { trainExperiment } from '../support/builtin-experiments';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { ShellPage } from './support/shell-page';
import { createToyTextCorpus } from './support/toy-language';

const CORPUS = 'toy-text';
const EXPERIMENT = 'toy-lm';
/** What the lead looks at: the typed text read by the model, and generated text with the figures. */
const SCREENSHOTS = {
  typing: '/tmp/unfold-language-model-typing.png',
  generated: '/tmp/unfold-language-model.png',
};

let app: E2eAppWithPage;

beforeAll(async () => {
  app = await startAppWithPage();
  const dataDir = app.serve.dataDir;
  await createToyTextCorpus(dataDir, CORPUS, {
    train: { count: 150, seed: 41 },
    dev: { count: 20, seed: 42 },
    test: { count: 20, seed: 43 },
  });
  await trainExperiment(
    {
      name: EXPERIMENT,
      task: 'lm',
      corpus: CORPUS,
      data: { train: { splits: ['train'] }, dev: { splits: ['dev'] }, test: { splits: ['test'] } },
      words: { embeddingSize: 16, minCount: 1 },
      model: { layers: [{ cell: 'lstm', units: 24 }] },
      training: {
        epochs: 6,
        batchSize: 4,
        optimizer: { kind: 'adam', learningRate: 0.03 },
        bptt: { kind: 'truncated', window: 12 },
        clipNorm: 5,
      },
      baseline: { order: 3 },
      seed: 5,
    },
    { dataDir, outDir: join(dataDir, 'experiments', EXPERIMENT) },
  );
}, 180_000);

afterAll(async () => {
  await app?.close();
});

function pageErrors(): string[] {
  return app.pageErrors.filter((error) => error.startsWith('pageerror'));
}

/** Brightness of a '#rrggbb' shade (0 black .. 765 white). */
const brightness = (hex: string): number =>
  [1, 3, 5].reduce((sum, i) => sum + parseInt(hex.slice(i, i + 2), 16), 0);

describe('the Text view (language model)', () => {
  it('lists the next words as text is typed, and shades each typed word by its surprisal', async () => {
    const shell = new ShellPage(app.page);
    const page = app.page;
    await shell.open(`${app.serve.url}#/text`);
    await shell.waitUntilConnected();
    await page.getByTestId('text-experiment').selectOption(EXPERIMENT);
    const next = page.getByTestId('next-unit');
    const nextShown = (): Promise<[string | null, number][]> =>
      next.evaluateAll((all) =>
        all.map((b) => [b.getAttribute('data-unit'), Number(b.getAttribute('data-probability'))]),
      );
    const read = (text: string): Promise<LmReading> =>
      app.client.invoke('lm:read', { experiment: EXPERIMENT, text });

    // Before anything is typed: the first word of a sentence.
    const start = await read('');
    expect(start.next).toHaveLength(10);
    await expect.poll(nextShown).toEqual(start.next.map((u) => [u.text, u.probability]));

    // Typed key by key: once typing pauses, the list is what may follow the whole words.
    const units = page.getByTestId('surprisal-unit');
    await page.getByTestId('text-input').pressSequentially('the dog sees a ');
    const reading = await read('the dog sees a ');
    expect(reading.units.map((u) => u.text)).toEqual(['the', 'dog', 'sees', 'a']);
    await expect.poll(nextShown).toEqual(reading.next.map((u) => [u.text, u.probability]));
    await expect
      .poll(() =>
        units.evaluateAll((all) =>
          all.map((u) => [u.getAttribute('data-unit'), Number(u.getAttribute('data-surprisal'))]),
        ),
      )
      .toEqual(reading.units.map((u) => [u.text, u.surprisal]));

    // The more surprising word has the deeper shade, and the legend says so in words.
    const shades = await units.evaluateAll((all) => all.map((u) => u.getAttribute('data-shade')));
    for (let i = 0; i < reading.units.length; i++)
      for (let j = 0; j < reading.units.length; j++)
        if (reading.units[i]!.surprisal > reading.units[j]!.surprisal + 0.5)
          expect(brightness(shades[i]!)).toBeLessThan(brightness(shades[j]!));
    const legend = (await page.getByTestId('surprisal-legend').textContent()) ?? '';
    expect(legend).toContain('the model expected the word');
    expect(legend).toContain('−log₂ of its probability');
    expect(legend).toContain('bits of surprisal');
    // A word's tooltip gives its bits and probability.
    await units.nth(1).hover();
    const details = page.getByTestId('surprisal-details').nth(1);
    await details.waitFor({ state: 'visible' });
    expect(await details.textContent()).toContain(
      `${reading.units[1]!.surprisal.toFixed(1)} bits of surprisal`,
    );
    await page.getByTestId('next-units').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOTS.typing });
    await page.mouse.move(0, 0);
    const mean = reading.units.reduce((sum, u) => sum + u.surprisal, 0) / reading.units.length;
    expect(await page.getByTestId('mean-surprisal').textContent()).toContain(
      `mean ${mean.toFixed(2)} bits`,
    );

    // A word being typed is not read yet: the list is still for the word at the cursor.
    await page.getByTestId('text-input').pressSequentially('bi');
    await expect
      .poll(() => page.getByTestId('next-units').textContent())
      .toContain('“bi” is being typed');
    expect(await nextShown()).toEqual(reading.next.map((u) => [u.text, u.probability]));
    expect(await units.count()).toBe(4);
    expect(pageErrors()).toEqual([]);
  });

  it('streams generated text unit by unit, the same units the API gives for the seed', async () => {
    const page = app.page;
    const prompt = 'the dog sees a bi';
    await page.getByTestId('lm-units').fill('60');
    await page.getByTestId('lm-temperature').fill('1');
    await page.getByTestId('lm-seed').fill('11');
    // Each change of the generated text is recorded as it lands in the page.
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { unitCounts: number[] }).unitCounts = seen;
      new MutationObserver(() => {
        seen.push(document.querySelectorAll('[data-testid="generated-unit"]').length);
      }).observe(document.body, { childList: true, subtree: true });
    });
    await page.getByTestId('lm-generate').click();
    const state = page.getByTestId('generation-state');
    await expect.poll(() => state.getAttribute('data-end'), { timeout: 60_000 }).toBe('finished');

    // The same settings through the API: the seed repeats the units.
    const streamed: LmUnitPayload[] = [];
    const off = app.client.on('lm:unit', (unit) => {
      if (unit.id === 'e2e-check') streamed.push(unit);
    });
    const ended = new Promise<void>((resolve) => {
      const stop = app.client.on('lm:generated', (end) => {
        if (end.id !== 'e2e-check') return;
        stop();
        resolve();
      });
    });
    await app.client.invoke('lm:generate', {
      id: 'e2e-check',
      experiment: EXPERIMENT,
      prompt,
      units: 60,
      temperature: 1,
      seed: 11,
    });
    await ended;
    off();
    expect(streamed).toHaveLength(60);
    const shown = await page
      .getByTestId('generated-unit')
      .evaluateAll((all) => all.map((u) => u.getAttribute('data-unit')));
    expect(shown).toEqual(streamed.map((u) => u.text));
    expect(await page.getByTestId('generated-text').textContent()).toContain(prompt);
    expect(await state.textContent()).toContain('finished: 60 generated');

    // It came in as it was sampled: the page showed counts between none and all.
    const counts = await page.evaluate(
      () => (window as unknown as { unitCounts: number[] }).unitCounts,
    );
    const partial = new Set(counts.filter((c) => c > 0 && c < 60));
    expect(partial.size).toBeGreaterThan(1);
    await page.getByTestId('generated-text').scrollIntoViewIfNeeded();
    await page.screenshot({ path: SCREENSHOTS.generated });
    expect(pageErrors()).toEqual([]);
  });

  it('stops a long generation, and refuses a negative temperature in the form', async () => {
    const page = app.page;
    await page.getByTestId('lm-units').fill('1000');
    // Generate and Stop clicked in one page task: a tiny model samples 1000 words faster than
    // two clicks from the test process take on a loaded machine.
    await page.evaluate(async () => {
      const button = (id: string): HTMLButtonElement =>
        document.querySelector<HTMLButtonElement>(`[data-testid="${id}"]`)!;
      button('lm-generate').click();
      // Stop is enabled once the view has drawn the running generation.
      while (button('lm-stop').disabled) await new Promise((resolve) => setTimeout(resolve, 0));
      button('lm-stop').click();
    });
    const state = page.getByTestId('generation-state');
    await expect.poll(() => state.getAttribute('data-end'), { timeout: 60_000 }).toBe('stopped');
    const count = await page.getByTestId('generated-unit').count();
    expect(count).toBeLessThan(1000);
    expect(await state.textContent()).toBe(`stopped after ${count}`);

    await page.getByTestId('lm-temperature').fill('-1');
    await expect
      .poll(() => page.getByTestId('lm-settings-error').textContent())
      .toContain('temperature');
    expect(await page.getByTestId('lm-generate').isDisabled()).toBe(true);
    await page.getByTestId('lm-temperature').fill('1');
    expect(pageErrors()).toEqual([]);
  });

  it("shows the perplexity of the experiment's evaluations beside the baselines", async () => {
    const page = app.page;
    const [item] = (await app.client.invoke('experiments:list')).filter(
      (e) => e.name === EXPERIMENT,
    );
    const test = (item!.metrics.evaluations as Record<string, Record<string, number>>).test!;
    const row = page.locator('[data-testid="lm-figure-row"][data-key="test"]');
    expect(Number(await row.getAttribute('data-perplexity'))).toBe(test.perplexity);
    const text = (await row.textContent()) ?? '';
    expect(text).toContain(test.perplexity!.toFixed(2));
    expect(text).toContain(`${test.kneserNeyPerplexity!.toFixed(2)} (3-gram)`);
    expect(text).toContain(test.unigramPerplexity!.toFixed(2));
    expect(await page.getByTestId('lm-figures').textContent()).toContain('Lower is better');
    expect(pageErrors()).toEqual([]);
  });
});
