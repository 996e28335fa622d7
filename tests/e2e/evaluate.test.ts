import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { startAppWithPage, type E2eAppWithPage } from './support/app';
import { REPO_ROOT } from './support/serve';
import { runJobsToSuccess } from './support/jobs';
import { TINY_SENTENCES, TINY_WORDS } from '../support/tiny-corpora';
import {
  tinyPhonesConfig,
  tinyWordsConfig,
  type TinyConfigOverrides,
} from '../support/tiny-experiments';
import { ShellPage } from './support/shell-page';
import { EvaluatePage } from './support/evaluate-page';

const canSynthesise = (await hasProgram('flite')) && (await hasProgram('espeak-ng'));

let app: E2eAppWithPage;

/** Smaller than the shared tiny configs: enough for posteriors and a confusion matrix. */
const SMALLER: TinyConfigOverrides = {
  features: { kind: 'fbank', cmvn: 'utterance' },
  model: { layers: [{ cell: 'gru', units: 8 }] },
  training: {
    epochs: 2,
    batchSize: 4,
    optimizer: { kind: 'adam', learningRate: 0.02 },
    bptt: { kind: 'full' },
  },
  seed: 1,
};

beforeAll(async () => {
  if (!canSynthesise) return;
  app = await startAppWithPage();
  // Two aligned sentences from two flite voices (split by voice), and two words from two
  // espeak-ng voices.
  await runJobsToSuccess(
    app.client,
    {
      kind: 'corpus-synth-sentences',
      params: {
        out: 'sentences',
        ...TINY_SENTENCES,
        sentences: ['She had your dark suit.', 'Glue the sheet to the dark blue background.'],
      },
    },
    {
      kind: 'corpus-synth-words',
      params: {
        out: 'words',
        ...TINY_WORDS,
        voices: ['en-us', 'en+m3'],
        // Two variations instead of the default nine: a confusion matrix needs no more.
        rates: [1],
        pitches: [0, 200],
        fractions: { train: 0.5, test: 0.5 },
      },
    },
  );
  await runJobsToSuccess(
    app.client,
    {
      kind: 'experiment-train',
      params: { config: tinyPhonesConfig('phones-tiny', 'sentences', SMALLER) },
    },
    {
      kind: 'experiment-train',
      params: { config: tinyWordsConfig('words-tiny', 'words', SMALLER) },
    },
  );
}, 90_000);

afterAll(async () => {
  await app?.close();
});

describe.skipIf(!canSynthesise)('the Evaluate view opens utterances', () => {
  it('shows a phones utterance as a posteriorgram under its spectrogram and tiers, and plays a frame', async () => {
    const shell = new ShellPage(app.page);
    const evaluate = new EvaluatePage(app.page);
    await shell.open(`${app.serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await evaluate.evaluate('phones-tiny', 'test');

    // The worst utterances by frame accuracy: open the first.
    const rows = evaluate.rows('worst-utterance');
    await rows.first().waitFor();
    const utteranceId = (await rows.first().getAttribute('data-utterance'))!;
    await evaluate.open(rows.first());
    const expected = await app.client.invoke('experiments:posteriorgram', {
      name: 'phones-tiny',
      split: 'test',
      utteranceId,
    });

    // The heatmap draws every frame, with one band per phone class, in the server's order.
    await expect
      .poll(() => evaluate.heatmap.getAttribute('data-columns'))
      .toBe(String(expected.frames));
    const colours = await evaluate.heatmap.evaluate((canvas: HTMLCanvasElement) => {
      const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
      const seen = new Set<number>();
      for (let i = 0; i < data.length; i += 4 * 7)
        seen.add((data[i]! << 16) | (data[i + 1]! << 8) | data[i + 2]!);
      return seen.size;
    });
    expect(colours).toBeGreaterThan(10);
    expect(
      await evaluate.classBands.evaluateAll((bands) => bands.map((b) => b.dataset.class)),
    ).toEqual(expected.phoneClasses.map((c) => c.name));
    expect(expected.phoneClasses.map((c) => c.name)).toEqual(
      expect.arrayContaining(['vowels', 'stops', 'fricatives', 'silence']),
    );

    expect(expected.frameAccuracy).not.toBeNull();
    expect(await evaluate.inspector.getByTestId('inspector-frame-accuracy').textContent()).toBe(
      `${((expected.frameAccuracy ?? 0) * 100).toFixed(1)}%`,
    );

    // Spectrogram above, the reference tiers and the decoded phones as a tier.
    await evaluate.spectrogram.locator('canvas[data-drawn="true"]').first().waitFor();
    for (const tier of expected.reference) {
      expect(await evaluate.referenceTier(tier.name).getAttribute('data-count')).toBe(
        String(tier.intervals.length),
      );
    }
    expect(expected.reference.map((t) => t.name)).toEqual(
      expect.arrayContaining(['words', 'phones']),
    );
    expect(await evaluate.decodedTier.getAttribute('data-count')).toBe(
      String(expected.decoded.intervals.length),
    );

    // Hover: the top phones of the frame under the pointer, as the server computed them.
    const box = (await evaluate.heatmap.boundingBox())!;
    await evaluate.heatmap.hover({ position: { x: box.width / 2, y: box.height / 2 } });
    await evaluate.hoverPhones.first().waitFor();
    const frame = Number(/frame (\d+)/.exec((await evaluate.hover.textContent()) ?? '')?.[1]);
    expect(frame).toBeGreaterThan(0);
    expect(frame).toBeLessThan(expected.frames);
    const row = Array.from(
      expected.posteriors.subarray(
        frame * expected.phones.length,
        (frame + 1) * expected.phones.length,
      ),
    );
    const top = row
      .map((p, i) => ({ phone: expected.phones[i], p }))
      .sort((a, b) => b.p - a.p)
      .slice(0, 5)
      .map((x) => x.phone);
    expect(
      await evaluate.hoverPhones.evaluateAll((items) => items.map((i) => i.dataset.phone)),
    ).toEqual(top);

    // A click plays 300 ms around the frame under the pointer.
    await evaluate.heatmap.click({ position: { x: box.width / 2, y: 5 } });
    await expect.poll(async () => (await evaluate.playback()).count).toBe(1);
    const played = await evaluate.playback();
    expect(played.end - played.start).toBeCloseTo(0.3, 3);
    const centre = expected.frameOffsetSeconds + frame * expected.hopSeconds;
    expect(Math.abs((played.start + played.end) / 2 - centre)).toBeLessThan(0.03);
    expect(app.pageErrors).toEqual([]);
  });

  it('opens a words utterance from a confusion cell in the spectrogram view and plays it', async () => {
    const evaluate = new EvaluatePage(app.page);
    await evaluate.experiment.selectOption('words-tiny');
    await evaluate.results.waitFor();
    const stored = await app.client.invoke('experiments:evaluation', {
      name: 'words-tiny',
      split: 'test',
    });
    const { labels, counts } = stored.confusion;
    const [i, j] = counts.flatMap((row, r) => row.map((v, c) => [r, c, v])).find((x) => x[2]! > 0)!;
    await evaluate.cell(labels[i!]!, labels[j!]!).click();
    await evaluate.open(evaluate.rows('cell-utterance').first());
    await evaluate.spectrogram.locator('canvas[data-drawn="true"]').first().waitFor();
    await evaluate.waveform.and(app.page.locator('[data-drawn="true"]')).waitFor();
    expect(await evaluate.inspector.getByTestId('inspector-reference').textContent()).toBe(
      labels[i!],
    );
    expect(await evaluate.inspector.getByTestId('inspector-predicted').textContent()).toBe(
      labels[j!],
    );
    expect(await evaluate.inspector.getByTestId('inspector-top3').locator('li').count()).toBe(2);
    expect(await evaluate.heatmap.count()).toBe(0);
    await evaluate.inspector.getByTestId('inspector-play').click();
    await expect.poll(async () => (await evaluate.playback()).count).toBe(1);
    expect((await evaluate.playback()).start).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });

  it('lists the items of a confusion cell beside the matrix, in view, with per-speaker accuracy', async () => {
    const shell = new ShellPage(app.page);
    const evaluate = new EvaluatePage(app.page);
    await app.page.setViewportSize({ width: 1280, height: 800 });
    await shell.open(`${app.serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await evaluate.experiment.selectOption('words-tiny');
    await evaluate.split.selectOption('test');
    await evaluate.results.waitFor();
    const stored = await app.client.invoke('experiments:evaluation', {
      name: 'words-tiny',
      split: 'test',
    });
    // Accuracy, rejection rate and accuracy among accepted answers, side by side.
    for (const label of ['Accuracy', 'Rejected (not sure)', 'Accuracy among accepted'])
      await app.page.getByTestId(`headline-${label}`).waitFor();
    // One row per speaker of the predictions.
    const speakers = new Set(stored.predictions.map((p) => p.speaker));
    expect(await app.page.getByTestId('speaker-accuracy').locator('tbody tr').count()).toBe(
      speakers.size,
    );

    const { labels, counts } = stored.confusion;
    const [i, j] = counts.flatMap((row, r) => row.map((v, c) => [r, c, v])).find((x) => x[2]! > 0)!;
    const cell = evaluate.cell(labels[i!]!, labels[j!]!);
    await cell.scrollIntoViewIfNeeded();
    await cell.click();
    const first = evaluate.rows('cell-utterance').first();
    await first.waitFor();
    const matrix = (await app.page.getByTestId('confusion-matrix').boundingBox())!;
    const item = (await first.boundingBox())!;
    // Beside the matrix (to its right, level with it), and inside the viewport.
    expect(item.x).toBeGreaterThanOrEqual(matrix.x + matrix.width);
    expect(item.y).toBeLessThan(matrix.y + matrix.height);
    expect(item.y).toBeGreaterThanOrEqual(0);
    expect(item.y + item.height).toBeLessThanOrEqual(800);
    expect(item.x + item.width).toBeLessThanOrEqual(1280);
    // The cells form a regular grid: every cell is the same size.
    const sizes = await app.page
      .getByTestId('confusion-cell')
      .evaluateAll((cells) => cells.map((c) => `${c.clientWidth}x${c.clientHeight}`));
    expect(new Set(sizes).size).toBe(1);
    await app.page.getByTestId('confusion-colour-bar').waitFor();
    // Into the build folder: a test run leaves the checkout's files (docs/screenshots) as they are.
    await app.page.screenshot({ path: join(REPO_ROOT, 'out/screenshots/confusion.png') });

    // The utterance opened from the list comes into view.
    await evaluate.open(first);
    await expect
      .poll(async () => {
        const box = await app.page.getByTestId('inspector-frame').boundingBox();
        return box !== null && box.y >= 0 && box.y < 800;
      })
      .toBe(true);
    expect(app.pageErrors).toEqual([]);
  });

  it('runs the phones model on a WAV of the data folder, without reference tiers', async () => {
    const shell = new ShellPage(app.page);
    const evaluate = new EvaluatePage(app.page);
    const { predictions } = await app.client.invoke('experiments:evaluation', {
      name: 'phones-tiny',
      split: 'test',
    });
    const audioPath = predictions[0]?.audioPath;
    if (audioPath === undefined) throw new Error('a phones prediction has its audio path');
    const { bytes } = await app.client.invoke('audio:bytes', { path: audioPath });
    const entry = await app.client.invoke('audio:import', {
      name: 'take.wav',
      bytes: new Uint8Array(bytes),
    });
    await shell.open(`${app.serve.url}#/evaluate`);
    await app.page.reload();
    await shell.waitUntilConnected();
    await evaluate.experiment.selectOption('phones-tiny');
    await app.page.getByTestId('evaluate-recording').selectOption(entry.path);
    await app.page.getByTestId('evaluate-open-recording').click();
    await evaluate.inspector
      .and(app.page.locator('[data-ready="true"]'))
      .waitFor({ timeout: 30_000 });
    const expected = await app.client.invoke('experiments:posteriorgram', {
      name: 'phones-tiny',
      path: entry.path,
    });
    expect(expected.reference).toEqual([]);
    await expect
      .poll(() => evaluate.heatmap.getAttribute('data-columns'))
      .toBe(String(expected.frames));
    expect(await evaluate.inspector.getByTestId('reference-tier').count()).toBe(0);
    expect(await evaluate.decodedTier.getAttribute('data-count')).toBe(
      String(expected.decoded.intervals.length),
    );
    expect(app.pageErrors).toEqual([]);
  });

  it('reads the value under the pointer on the posteriorgram and the spectrogram', async () => {
    const shell = new ShellPage(app.page);
    const evaluate = new EvaluatePage(app.page);
    await shell.open(`${app.serve.url}#/evaluate`);
    await app.page.reload();
    await shell.waitUntilConnected();
    // The evaluation the first test ran is stored: choosing it shows its lists.
    await evaluate.experiment.selectOption('phones-tiny');
    await evaluate.split.selectOption('test');
    const rows = evaluate.rows('worst-utterance');
    await rows.first().waitFor();
    const utteranceId = (await rows.first().getAttribute('data-utterance'))!;
    await evaluate.open(rows.first());
    const expected = await app.client.invoke('experiments:posteriorgram', {
      name: 'phones-tiny',
      split: 'test',
      utteranceId,
    });
    // Synthesised sentences are one file each: the inspector shows the whole file.
    expect(expected.segment).toBeNull();
    const analysis = await app.client.invoke('audio:open', { path: expected.audioPath });
    const duration = analysis.info.durationSeconds;
    await expect
      .poll(() => evaluate.heatmap.getAttribute('data-columns'))
      .toBe(String(expected.frames));

    // Posteriorgram, a third of the way in, level with a row's label: the read-out names that
    // row's phone and its probability at the frame drawn under the pointer.
    const heat = (await evaluate.heatmap.boundingBox())!;
    const label = evaluate.rowLabels.nth(2);
    const phone = (await label.textContent())!.trim();
    const labelBox = (await label.boundingBox())!;
    await evaluate.heatmap.hover({
      position: { x: heat.width / 3, y: labelBox.y + labelBox.height / 2 - heat.y },
    });
    await evaluate.hoverCell.waitFor();
    const posterior = await evaluate.hoverFrame();
    const phoneIndex = expected.phones.indexOf(phone);
    expect(phoneIndex).toBeGreaterThanOrEqual(0);
    expect(await evaluate.hoverCell.getAttribute('data-row')).toBe(String(phoneIndex));
    const probability = expected.posteriors[posterior.frame * expected.phones.length + phoneIndex]!;
    expect((await evaluate.hoverCell.textContent())?.trim()).toBe(
      `${phone} · ${probability.toFixed(2)} probability`,
    );
    const centre = expected.frameOffsetSeconds + posterior.frame * expected.hopSeconds;
    expect(posterior.seconds).toBe(centre.toFixed(3));
    expect(Math.abs(centre - duration / 3)).toBeLessThanOrEqual(expected.hopSeconds);

    // Spectrogram, half way in, level with the 1 kHz tick: the band centred nearest 1 kHz and
    // its level in dB below the loudest value of the utterance (the colour bar's 0 dB).
    const strip = evaluate.spectrogram;
    const stripBox = (await strip.boundingBox())!;
    const tick = evaluate.inspector.getByTestId('axis-tick').filter({ hasText: /^1k$/ });
    const tickBox = (await tick.boundingBox())!;
    await strip.hover({
      position: { x: stripBox.width / 2, y: tickBox.y + tickBox.height / 2 - stripBox.y },
    });
    await expect.poll(() => evaluate.hoverCell.getAttribute('data-row-label')).toMatch(/ Hz$/);
    const hz = parseFloat((await evaluate.hoverCell.getAttribute('data-row-label'))!);
    expect(Math.abs(hz - 1000)).toBeLessThan(60);
    const band = Number(await evaluate.hoverCell.getAttribute('data-row'));
    const level = await evaluate.hoverFrame();
    const { data, dims, frames } = analysis.spectrogram;
    const value = data[level.frame * dims + band]!;
    // The inspector keeps the frames whose window ends inside the file (inspect-geometry's crop).
    const kept = Math.min(
      frames,
      Math.floor((duration - analysis.frameLengthSeconds) / analysis.frameShiftSeconds + 1e-9) + 1,
    );
    const peak = data.subarray(0, kept * dims).reduce((max, v) => Math.max(max, v), -Infinity);
    const db = ((value - peak) * 10) / Math.LN10;
    const dbText = `${db < 0 && Number(Math.abs(db).toFixed(1)) !== 0 ? '\u2212' : ''}${Math.abs(db).toFixed(1)}`;
    expect((await evaluate.hoverCell.textContent())?.trim()).toBe(
      `${Math.round(hz)} Hz · ${dbText} dB re peak`,
    );
    const frameCentre = level.frame * analysis.frameShiftSeconds + analysis.frameLengthSeconds / 2;
    expect(Math.abs(frameCentre - duration / 2)).toBeLessThanOrEqual(analysis.frameShiftSeconds);
    // Over the spectrogram the read-out is the level alone, without the phone list.
    expect(await evaluate.hoverPhones.count()).toBe(0);
    expect(app.pageErrors).toEqual([]);
  });
});
