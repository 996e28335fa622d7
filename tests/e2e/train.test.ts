import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { runJobsToSuccess } from './support/jobs';
import { TINY_WORDS } from '../support/tiny-corpora';
import { ShellPage } from './support/shell-page';
import { TrainPage } from './support/train-page';
import { parseExperimentConfig } from '../../src-main/domain/experiments/config/experiment-config';

const canSynthesise = await hasProgram('espeak-ng');

let app: E2eAppWithPage;

beforeAll(async () => {
  if (!canSynthesise) return;
  app = await startAppWithPage();
  // Two words from three espeak-ng voices at two pitches: enough for a tiny model to learn.
  await runJobsToSuccess(app.client, {
    kind: 'corpus-synth-words',
    params: {
      out: 'words',
      ...TINY_WORDS,
      pitches: [0, 200],
    },
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
});

describe.skipIf(!canSynthesise)('the Train and Evaluate views', () => {
  it('trains with live curves, cancels a second run, compares them, evaluates the first', async () => {
    const shell = new ShellPage(app.page);
    const train = new TrainPage(app.page);
    await shell.open(`${app.serve.url}#/train`);
    await shell.waitUntilConnected();
    await app.page.getByTestId('no-experiments').waitFor();
    // A small window, so the progress card starts below the form.
    await app.page.setViewportSize({ width: 1280, height: 800 });

    // The form: four sections, splits from the corpus, a validation message on a bad value.
    await train.field('corpus').selectOption('words');
    expect(await train.sections.count()).toBe(4);
    // A yes/no corpus without alignments offers the words presets first, and starts from one.
    expect(await train.field('preset').inputValue()).toBe('small-words-lstm');
    // Each split the run uses says its speakers and items (as the corpus counts them), and the
    // one-voice test split (TINY_WORDS: 3 voices, a third for test) says what that means.
    const { stats } = await app.client.invoke('corpus:overview', { corpus: 'words' });
    for (const role of ['train', 'test']) {
      const speakers = stats.perSplitSpeaker[role] ?? {};
      await expect
        .poll(() => train.splitSize(role).getAttribute('data-items'))
        .toBe(String(stats.perSplit[role]));
      expect(await train.splitSize(role).getAttribute('data-speakers')).toBe(
        String(Object.keys(speakers).length),
      );
    }
    expect(await train.splitSize('dev').count()).toBe(0);
    expect(Object.keys(stats.perSplitSpeaker['test'] ?? {})).toHaveLength(1);
    expect(await train.splitWarnings.allTextContents()).toEqual(
      expect.arrayContaining([
        'test has 1 speaker: its accuracy says how well the model does on that one voice, not on new voices in general.',
        `test has ${stats.perSplit['test']} items: one error moves its accuracy by ${(100 / stats.perSplit['test']!).toFixed(1)} points.`,
      ]),
    );
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
      [
        'multistep',
        async () => {
          await train.setFields({ schedule: 'multistep', 'schedule-milestones': '2, 3' });
          expect((await train.previewConfig()).training).toMatchObject({
            schedule: { kind: 'multistep', milestones: [2, 3], factor: 0.5 },
          });
        },
      ],
      ['plateau', () => train.setFields({ schedule: 'plateau' })],
      ['held-out', () => train.field('held-out-speaker').selectOption({ index: 1 })],
      ['phones', () => train.field('preset').selectOption('phones-2x256-lstm')],
      ['words', () => train.field('preset').selectOption('small-words-lstm')],
    ];
    for (const [what, edit] of edits) {
      await edit();
      const config = await train.previewConfig();
      expect(() => parseExperimentConfig(config), what).not.toThrow();
    }
    // Augmentation: typed factor lists become the arrays the domain accepts (1 is ignored, with
    // a note), the part's note counts the copies, and clearing both lists drops the key.
    await train.setFields({ speeds: '0.9, 1.1', warps: '1, 1.05' });
    await train.issue('warps').waitFor();
    expect(await train.issue('warps').textContent()).toMatch(/ignored/);
    const augmented = parseExperimentConfig(await train.previewConfig());
    expect('augmentation' in augmented ? augmented.augmentation : null).toEqual({
      speeds: [0.9, 1.1],
      warps: [1.05],
    });
    expect(await train.augmentationNote.textContent()).toMatch(/4× the data/);
    await train.setFields({ speeds: '', warps: '' });
    expect(await train.previewConfig()).not.toHaveProperty('augmentation');

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
    // The config preview is collapsed until asked for.
    expect(await train.previewDetails.getAttribute('open')).toBeNull();
    expect(await train.preview.isVisible()).toBe(false);
    await train.field('start').click();
    // After Start the running job's progress is brought into view.
    await train.progress.waitFor();
    await expect.poll(() => train.inViewport(train.progress), { timeout: 5_000 }).toBe(true);

    // The loss chart draws points while the job runs, and the run ends.
    await expect.poll(() => train.lossPoints(), { timeout: 45_000 }).toBeGreaterThan(0);
    await expect.poll(() => train.state.textContent(), { timeout: 45_000 }).toBe('succeeded');
    // The finished run's Gradients panel: every batch's norm, the clipping threshold at the
    // config's clipNorm, and the first batch's per-parameter norms as bars.
    const clipNorm = (preview.training as { clipNorm?: unknown }).clipNorm;
    expect(clipNorm).toBeTypeOf('number');
    const normFigure = app.page.getByTestId('train-gradients-norm-figure');
    expect(await normFigure.getAttribute('data-clip-norm')).toBe(String(clipNorm));
    // The threshold's two ends plus at least one batch's norm.
    await expect
      .poll(async () =>
        Number(await app.page.getByTestId('train-gradients-norm').getAttribute('data-points')),
      )
      .toBeGreaterThan(2);
    expect(await app.page.getByTestId('train-gradients-clipped').textContent()).toMatch(
      /clipping at \S+: \d+ of \d+ batch(es)? clipped/,
    );
    const bars = app.page.getByTestId('train-gradients-flow-bar');
    expect(await bars.evaluateAll((gs) => gs.map((g) => g.getAttribute('data-name')))).toContain(
      'encoder/layer0/fw/recurrent_kernel',
    );
    expect(Number(await bars.first().getAttribute('data-value'))).toBeGreaterThan(0);
    await expect.poll(() => train.experimentStatus('tiny'), { timeout: 10_000 }).toBe('done');
    expect(await train.experimentRow('tiny').textContent()).toContain('words');
    // The accuracy names the split it is on (the test evaluation written when training ended)
    // and that this split has one voice.
    const tinyEvaluation = (await app.client.invoke('experiments:list')).find(
      (e) => e.name === 'tiny',
    )?.metrics.evaluations as Record<string, { accuracy: number }> | undefined;
    const tinyAccuracy = tinyEvaluation?.['test']?.accuracy;
    expect(tinyAccuracy).toBeTypeOf('number');
    await expect
      .poll(() => train.experimentAccuracy('tiny'))
      .toBe(`${(tinyAccuracy! * 100).toFixed(1)}% (test, 1 voice)`);

    // A second, long run: cancelled from the view once it has trained a little.
    await train.field('name').fill('long');
    await train.field('epochs').fill('1000');
    await train.field('start').click();
    await expect.poll(() => train.state.textContent(), { timeout: 30_000 }).toBe('running');
    // The curves keep growing while it runs (this run is far too long to end by itself).
    await expect.poll(() => train.lossPoints(), { timeout: 30_000 }).toBeGreaterThan(0);
    const firstSeen = await train.lossPoints();
    await expect.poll(() => train.lossPoints(), { timeout: 30_000 }).toBeGreaterThan(firstSeen);
    // Throughput comes with the batch reports, so it may take a report or two to show.
    await expect
      .poll(() => train.field('throughput').textContent(), { timeout: 30_000 })
      .toMatch(/frames\/s/);
    await expect.poll(() => train.experimentStatus('long'), { timeout: 10_000 }).toBe('training');
    // Cancelled after its first epoch is logged, so it has curves to compare.
    await expect
      .poll(
        async () =>
          (await app.client.invoke('experiments:get', { name: 'long' })).log.some(
            (l) => l.type === 'epoch',
          ),
        { timeout: 30_000 },
      )
      .toBe(true);
    await train.field('cancel').click();
    await expect.poll(() => train.state.textContent(), { timeout: 30_000 }).toBe('cancelled');
    await train.cancelledNotice.waitFor();
    const jobs = await app.client.invoke('jobs:list');
    const longJob = jobs.find((j) => j.subject?.kind === 'experiment' && j.subject.name === 'long');
    expect(longJob?.state).toBe('cancelled');
    await expect.poll(() => train.experimentStatus('long'), { timeout: 10_000 }).toBe('cancelled');
    const detail = await app.client.invoke('experiments:get', { name: 'long' });
    expect(detail.log.at(-1)).toMatchObject({ type: 'end', status: 'cancelled' });
    // The list says so by itself (from the run's folder), with the epochs the run logged.
    const listed = (await app.client.invoke('experiments:list')).find((e) => e.name === 'long');
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

    // Both runs' curves on one chart, the legend naming each run's lines.
    const chart = train.comparedLoss;
    await chart.locator('.u-legend').waitFor();
    expect(await chart.locator('canvas').count()).toBe(1);
    const legendLabels = (await train.legend(chart)).map(([label]) => label);
    expect(legendLabels).toEqual(expect.arrayContaining(['tiny train', 'long train']));
    const tinyLog = (await app.client.invoke('experiments:get', { name: 'tiny' })).log;
    const longLog = (await app.client.invoke('experiments:get', { name: 'long' })).log;
    const epochLosses = (log: typeof tinyLog): number[] =>
      log.filter((l) => l.type === 'epoch').map((l) => Number(l.loss));
    // Every logged epoch of both runs is drawn (train loss at least).
    expect(Number(await chart.getAttribute('data-points'))).toBeGreaterThanOrEqual(
      epochLosses(tinyLog).length + epochLosses(longLog).length,
    );
    // Hovering the chart reads a logged loss of each run in the legend.
    const valueOf = async (label: string): Promise<string> =>
      (await train.legend(chart)).find(([l]) => l === label)?.[1] ?? '';
    expect(await valueOf('tiny train')).toBe('—');
    await train.hover(chart, 0.5, 0.5);
    await expect.poll(() => valueOf('tiny train')).not.toBe('—');
    for (const [label, log] of [
      ['tiny train', tinyLog],
      ['long train', longLog],
    ] as const) {
      const shown = Number(await valueOf(label));
      const closest = Math.min(...epochLosses(log).map((loss) => Math.abs(loss - shown) / loss));
      expect(closest, `${label} shows ${shown}`).toBeLessThan(1e-3);
    }
    // Drag across the first part to zoom in (the right edge then reads an earlier epoch);
    // a double-click shows every epoch again.
    const epochAtRightEdge = async (): Promise<number> => {
      await train.hover(chart, 0.99, 0.5);
      return Number(await valueOf('epoch'));
    };
    const fullEnd = await epochAtRightEdge();
    await train.drag(chart, 0.02, 0.35);
    await expect.poll(epochAtRightEdge).toBeLessThan(fullEnd);
    await chart.locator('.u-over').dblclick();
    await expect.poll(epochAtRightEdge).toBe(fullEnd);

    await shell.open(`${app.serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await app.page.getByTestId('evaluate-experiment').selectOption('tiny');
    await app.page.getByTestId('evaluate-split').selectOption('test');
    await app.page.getByTestId('evaluate-start').click();
    await app.page.getByTestId('evaluation-results').waitFor({ timeout: 30_000 });

    // The matrix matches what the server stored, and a cell lists its utterances.
    const stored = await app.client.invoke('experiments:evaluation', {
      name: 'tiny',
      split: 'test',
    });
    expect([...stored.confusion.labels].sort()).toEqual(['no', 'yes']);
    const cells = app.page.getByTestId('confusion-cell');
    expect(await cells.count()).toBe(4);
    // The first non-empty cell of the matrix.
    const { labels, counts } = stored.confusion;
    const [i, j] = counts.flatMap((row, r) => row.map((v, c) => [r, c, v])).find((x) => x[2]! > 0)!;
    const reference = labels[i!]!;
    const predicted = labels[j!]!;
    await app.page
      .locator(
        `[data-testid="confusion-cell"][data-reference="${reference}"][data-predicted="${predicted}"]`,
      )
      .click();
    const items = app.page.getByTestId('cell-utterance');
    await items.first().waitFor();
    const expected = stored.predictions.filter(
      (p) => p.reference === reference && p.predicted === predicted,
    ).length;
    expect(expected).toBeGreaterThan(0);
    expect(await items.count()).toBe(expected);
    expect(app.pageErrors).toEqual([]);
  });
});
