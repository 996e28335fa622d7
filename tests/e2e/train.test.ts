import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ApiClient } from '@api/client-core';
import type { JobInfo, JobSpecInput } from '@api/jobs';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { startServe, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { connectApi } from './support/api-client';
import { ShellPage } from './support/shell-page';
import { TrainPage } from './support/train-page';

const canSynthesise = await hasProgram('espeak-ng');

let serve: RunningServe;
let browser: Browser;
let api: { client: ApiClient; close(): void };
let page: Page;
let closePage: () => Promise<void>;
let pageErrors: string[];

async function runJob(spec: JobSpecInput): Promise<JobInfo> {
  const started = await api.client.invoke('jobs:start', spec);
  for (;;) {
    const job = await api.client.invoke('jobs:get', { id: started.id });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

beforeAll(async () => {
  if (!canSynthesise) return;
  [serve, browser] = await Promise.all([startServe(), launchBrowser()]);
  api = await connectApi(serve.origin, serve.token);
  // Two words from three espeak-ng voices at two pitches: enough for a tiny model to learn.
  const synth = await runJob({
    kind: 'corpus-synth-words',
    params: {
      out: 'words',
      words: ['yes', 'no'],
      engines: ['espeak-ng'],
      voices: ['en-us', 'en-us+f3', 'en+m3'],
      pitches: [0, 200],
      fractions: { train: 0.67, test: 0.33 },
      seed: 1,
    },
  });
  expect(synth.state, JSON.stringify(synth.error)).toBe('succeeded');
  ({ page, errors: pageErrors, close: closePage } = await openPage(browser));
}, 90_000);

afterAll(async () => {
  await closePage?.();
  api?.close();
  await browser?.close();
  await serve?.stop();
});

describe.skipIf(!canSynthesise)('the Train and Evaluate views', () => {
  it('trains a tiny model with live curves, then evaluates it and opens a confusion cell', async () => {
    const shell = new ShellPage(page);
    const train = new TrainPage(page);
    await shell.open(`${serve.url}#/train`);
    await shell.waitUntilConnected();
    await page.getByTestId('no-experiments').waitFor();

    await train.field('corpus').selectOption('words');
    await train.field('name').fill('tiny');
    await train.field('cell').selectOption('lstm');
    await train.field('units').fill('8');
    await train.field('bidirectional').uncheck();
    await train.field('epochs').fill('3');
    await train.field('batch').fill('4');
    await train.field('lr').fill('0.01');
    await train.field('start').click();

    // The curve canvas draws points while the job runs, and the run ends.
    await expect.poll(() => train.lossPoints(), { timeout: 45_000 }).toBeGreaterThan(0);
    await expect.poll(() => train.state.textContent(), { timeout: 45_000 }).toBe('succeeded');
    await train.experimentRow('tiny').waitFor();
    expect(await train.experimentRow('tiny').textContent()).toContain('words');

    await shell.open(`${serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await page.getByTestId('evaluate-experiment').selectOption('tiny');
    await page.getByTestId('evaluate-split').selectOption('test');
    await page.getByTestId('evaluate-start').click();
    await page.getByTestId('evaluation-results').waitFor({ timeout: 30_000 });

    // The matrix matches what the server stored, and a cell lists its utterances.
    const stored = await api.client.invoke('experiments:evaluation', {
      name: 'tiny',
      split: 'test',
    });
    expect([...stored.confusion.labels].sort()).toEqual(['no', 'yes']);
    const cells = page.getByTestId('confusion-cell');
    expect(await cells.count()).toBe(4);
    // The first non-empty cell of the matrix.
    const { labels, counts } = stored.confusion;
    const [i, j] = counts.flatMap((row, r) => row.map((v, c) => [r, c, v])).find((x) => x[2]! > 0)!;
    const reference = labels[i!]!;
    const predicted = labels[j!]!;
    await page
      .locator(
        `[data-testid="confusion-cell"][data-reference="${reference}"][data-predicted="${predicted}"]`,
      )
      .click();
    const items = page.getByTestId('cell-utterance');
    await items.first().waitFor();
    const expected = stored.predictions.filter(
      (p) => p.reference === reference && p.predicted === predicted,
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(await items.count()).toBe(expected);
    expect(pageErrors).toEqual([]);
  });
});
