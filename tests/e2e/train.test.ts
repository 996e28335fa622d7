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
import { parseExperimentConfig } from '../../src-main/domain/speech/experiment-config';

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
  it('trains with live curves, cancels a second run, compares them, evaluates the first', async () => {
    const shell = new ShellPage(page);
    const train = new TrainPage(page);
    await shell.open(`${serve.url}#/train`);
    await shell.waitUntilConnected();
    await page.getByTestId('no-experiments').waitFor();

    // The form: four sections, splits from the corpus, a validation message on a bad value.
    await train.field('corpus').selectOption('words');
    expect(await train.sections.count()).toBe(4);
    const splits = await train.field('train-split').locator('option').allTextContents();
    expect(splits.sort()).toEqual(['test', 'train']);
    await train.field('units').fill('0');
    await train.issue('units').waitFor();
    expect(await train.field('start').isDisabled()).toBe(true);
    // Word models cannot use truncated BPTT: the control says why it is off.
    expect(await train.field('bptt').isDisabled()).toBe(true);
    await train.field('units').fill('64');
    expect(await train.field('start').isDisabled()).toBe(false);

    // What the form writes is what the domain accepts (the renderer cannot import its schema):
    // the preview after each group of edits parses with the domain's zod schema.
    const edits: [string, () => Promise<unknown>][] = [
      ['preset', async () => undefined],
      ['fbank', () => train.setFields({ 'feature-kind': 'fbank', cmvn: 'speaker', deltas: '1' })],
      ['spectrogram', () => train.setFields({ 'feature-kind': 'spectrogram', cmvn: 'none' })],
      ['gru', () => train.setFields({ cell: 'gru', layers: '2', bidirectional: true })],
      ['lstmp', () => train.setFields({ cell: 'lstm', projection: '4' })],
      ['peepholes', () => train.setFields({ projection: '0', peepholes: true })],
      ['sgd', () => train.setFields({ optimizer: 'sgd', clip: '0', patience: '2' })],
      [
        'step',
        () =>
          train.setFields({ schedule: 'step', 'schedule-factor': '0.5', 'schedule-epochs': '3' }),
      ],
      ['plateau', () => train.setFields({ schedule: 'plateau' })],
      ['held-out', () => train.field('held-out-speaker').selectOption({ index: 1 })],
      ['phones', () => train.field('preset').selectOption('phones-2x256-lstm')],
      ['words', () => train.field('preset').selectOption('digits-small-lstm')],
    ];
    for (const [what, edit] of edits) {
      await edit();
      const config = await train.previewConfig();
      expect(() => parseExperimentConfig(config), what).not.toThrow();
    }
    const restored = await train.previewConfig();
    expect(restored).toMatchObject({ task: 'words', model: { layers: [{ cell: 'lstm' }] } });

    await train.field('name').fill('tiny');
    await train.field('cell').selectOption('lstm');
    await train.field('units').fill('8');
    await train.field('bidirectional').uncheck();
    await train.field('epochs').fill('3');
    await train.field('batch').fill('4');
    await train.field('lr').fill('0.01');
    expect(await train.issue('units').count()).toBe(0);
    const preview = await train.previewConfig();
    expect(preview).toMatchObject({
      name: 'tiny',
      corpus: 'words',
      data: { train: { splits: ['train'] }, test: { splits: ['test'] } },
      model: { layers: [{ cell: 'lstm', units: 8 }] },
      training: { epochs: 3, batchSize: 4, optimizer: { learningRate: 0.01 } },
    });
    await train.field('start').click();

    // The curve canvas draws points while the job runs, and the run ends.
    await expect.poll(() => train.lossPoints(), { timeout: 45_000 }).toBeGreaterThan(0);
    await expect.poll(() => train.state.textContent(), { timeout: 45_000 }).toBe('succeeded');
    await expect.poll(() => train.experimentStatus('tiny'), { timeout: 10_000 }).toBe('done');
    expect(await train.experimentRow('tiny').textContent()).toContain('words');

    // A second, long run: cancelled from the view once it has trained a little.
    await train.field('name').fill('long');
    await train.field('epochs').fill('1000');
    await train.field('start').click();
    await expect.poll(() => train.state.textContent(), { timeout: 30_000 }).toBe('running');
    // The curves keep growing while it runs (this run is far too long to end by itself).
    await expect.poll(() => train.lossPoints(), { timeout: 30_000 }).toBeGreaterThan(0);
    const firstSeen = await train.lossPoints();
    await expect.poll(() => train.lossPoints(), { timeout: 30_000 }).toBeGreaterThan(firstSeen);
    expect(await train.field('throughput').textContent()).toMatch(/frames\/s/);
    await expect.poll(() => train.experimentStatus('long'), { timeout: 10_000 }).toBe('training');
    await train.field('cancel').click();
    await expect.poll(() => train.state.textContent(), { timeout: 30_000 }).toBe('cancelled');
    await train.cancelledNotice.waitFor();
    const jobs = await api.client.invoke('jobs:list');
    const longJob = jobs.find((j) => j.subject?.kind === 'experiment' && j.subject.name === 'long');
    expect(longJob?.state).toBe('cancelled');
    await expect.poll(() => train.experimentStatus('long'), { timeout: 10_000 }).toBe('cancelled');
    const detail = await api.client.invoke('experiments:get', { name: 'long' });
    expect(detail.log.at(-1)).toMatchObject({ type: 'end', status: 'cancelled' });
    // The list says so by itself (from the run's folder), with the epochs the run logged.
    const listed = (await api.client.invoke('experiments:list')).find((e) => e.name === 'long');
    const loggedEpochs = detail.log.filter((l) => l.type === 'epoch').length;
    expect(listed).toMatchObject({
      status: 'cancelled',
      epochs: loggedEpochs > 0 ? loggedEpochs : null,
    });
    const longRow = train.experimentRow('long');
    expect(await longRow.getByTestId('experiment-status').textContent()).toBe('cancelled');
    await longRow.getByRole('button', { name: 'Resume' }).waitFor();
    // "Edit copy" fills the form from the run's saved config.
    await longRow.getByRole('button', { name: 'Edit copy' }).click();
    await expect.poll(() => train.field('name').inputValue()).toBe('long-copy');
    expect(await train.field('epochs').inputValue()).toBe('1000');

    // Side by side: the config diff marks what differs (name, epochs) and not what is shared.
    await train.toggleCompare('tiny');
    await train.toggleCompare('long');
    await train.comparison.waitFor();
    expect(await train.diffRow('training.epochs').getAttribute('data-differs')).toBe('true');
    expect(await train.diffRow('name').getAttribute('data-differs')).toBe('true');
    expect(await train.diffRow('model.layers.0.units').count()).toBe(0);

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
