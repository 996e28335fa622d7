import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import type { ApiClient } from '@api/client-core';
import type { JobInfo, JobSpecInput } from '@api/jobs';
import { hasProgram } from '../../src-main/domain/corpus/synth/programs';
import { startServe, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { connectApi } from './support/api-client';
import { ShellPage } from './support/shell-page';
import { EvaluatePage } from './support/evaluate-page';

const canSynthesise = (await hasProgram('flite')) && (await hasProgram('espeak-ng'));

let serve: RunningServe;
let browser: Browser;
let api: { client: ApiClient; close(): void };
let page: Page;
let closePage: () => Promise<void>;
let pageErrors: string[];

async function waitForJob(id: string): Promise<JobInfo> {
  for (;;) {
    const job = await api.client.invoke('jobs:get', { id });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    await new Promise((r) => setTimeout(r, 100));
  }
}

async function runJobs(...specs: JobSpecInput[]): Promise<void> {
  const started = await Promise.all(specs.map((s) => api.client.invoke('jobs:start', s)));
  for (const job of await Promise.all(started.map((s) => waitForJob(s.id))))
    expect(job.state, `${job.title}: ${JSON.stringify(job.error)}`).toBe('succeeded');
}

/** A tiny model: enough to give posteriors and a confusion matrix, not to be good. */
function tinyConfig(
  name: string,
  task: 'words' | 'phones',
  corpus: string,
): Record<string, unknown> {
  return {
    name,
    task,
    corpus,
    data: { train: { splits: ['train'] }, dev: null, test: { splits: ['test'] } },
    features: { kind: 'fbank', cmvn: 'utterance' },
    model: { layers: [{ cell: 'gru', units: 8 }] },
    training: { epochs: 2, batchSize: 4, optimizer: { kind: 'adam', learningRate: 0.02 } },
    seed: 1,
  };
}

beforeAll(async () => {
  if (!canSynthesise) return;
  [serve, browser] = await Promise.all([startServe(), launchBrowser()]);
  api = await connectApi(serve.origin, serve.token);
  // Two aligned sentences from two flite voices (split by voice), and two words from two
  // espeak-ng voices.
  await runJobs(
    {
      kind: 'corpus-synth-sentences',
      params: {
        out: 'sentences',
        sentences: ['She had your dark suit.', 'Glue the sheet to the dark blue background.'],
        engines: ['flite'],
        voices: ['kal16', 'slt'],
        fractions: { train: 0.5, test: 0.5 },
        seed: 1,
      },
    },
    {
      kind: 'corpus-synth-words',
      params: {
        out: 'words',
        words: ['yes', 'no'],
        engines: ['espeak-ng'],
        voices: ['en-us', 'en+m3'],
        fractions: { train: 0.5, test: 0.5 },
        seed: 1,
      },
    },
  );
  await runJobs(
    { kind: 'speech-train', params: { config: tinyConfig('phones-tiny', 'phones', 'sentences') } },
    { kind: 'speech-train', params: { config: tinyConfig('words-tiny', 'words', 'words') } },
  );
  ({ page, errors: pageErrors, close: closePage } = await openPage(browser));
}, 90_000);

afterAll(async () => {
  await closePage?.();
  api?.close();
  await browser?.close();
  await serve?.stop();
});

describe.skipIf(!canSynthesise)('the Evaluate view opens utterances', () => {
  it('shows a phones utterance as a posteriorgram under its spectrogram and tiers, and plays a frame', async () => {
    const shell = new ShellPage(page);
    const evaluate = new EvaluatePage(page);
    await shell.open(`${serve.url}#/evaluate`);
    await shell.waitUntilConnected();
    await evaluate.evaluate('phones-tiny', 'test');

    // The worst utterances by frame accuracy: open the first.
    const rows = evaluate.rows('worst-utterance');
    await rows.first().waitFor();
    const utteranceId = (await rows.first().getAttribute('data-utterance'))!;
    await evaluate.open(rows.first());
    const expected = await api.client.invoke('experiments:posteriorgram', {
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
    expect(pageErrors).toEqual([]);
  });

  it('opens a words utterance from a confusion cell in the spectrogram view and plays it', async () => {
    const evaluate = new EvaluatePage(page);
    await evaluate.experiment.selectOption('words-tiny');
    await evaluate.results.waitFor();
    const stored = await api.client.invoke('experiments:evaluation', {
      name: 'words-tiny',
      split: 'test',
    });
    const { labels, counts } = stored.confusion;
    const [i, j] = counts.flatMap((row, r) => row.map((v, c) => [r, c, v])).find((x) => x[2]! > 0)!;
    await evaluate.cell(labels[i!]!, labels[j!]!).click();
    await evaluate.open(evaluate.rows('cell-utterance').first());
    await evaluate.spectrogram.locator('canvas[data-drawn="true"]').first().waitFor();
    await evaluate.waveform.and(page.locator('[data-drawn="true"]')).waitFor();
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
    expect(pageErrors).toEqual([]);
  });

  it('runs the phones model on a WAV of the data folder, without reference tiers', async () => {
    const shell = new ShellPage(page);
    const evaluate = new EvaluatePage(page);
    const { predictions } = await api.client.invoke('experiments:evaluation', {
      name: 'phones-tiny',
      split: 'test',
    });
    const { bytes } = await api.client.invoke('audio:bytes', { path: predictions[0]!.audioPath });
    const entry = await api.client.invoke('audio:import', {
      name: 'take.wav',
      bytes: new Uint8Array(bytes),
    });
    await shell.open(`${serve.url}#/evaluate`);
    await page.reload();
    await shell.waitUntilConnected();
    await evaluate.experiment.selectOption('phones-tiny');
    await page.getByTestId('evaluate-recording').selectOption(entry.path);
    await page.getByTestId('evaluate-open-recording').click();
    await evaluate.inspector.and(page.locator('[data-ready="true"]')).waitFor({ timeout: 30_000 });
    const expected = await api.client.invoke('experiments:posteriorgram', {
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
    expect(pageErrors).toEqual([]);
  });
});
