/**
 * The Live view end to end: `unfold serve` trains a tiny word model and a tiny unidirectional
 * phone model (through the job API, as the Train view would), then the page runs each on the
 * fake ALSA microphone: a word spoken by espeak-ng's en-us voice (one the word model was
 * trained on) must come out as the top result, and in phone mode posterior columns must be
 * drawn under the live spectrogram with a latency readout.
 */
import { readFile, writeFile } from 'node:fs/promises';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ApiClient } from '@api/client-core';
import type { JobInfo, JobSpecInput } from '@api/jobs';
import { startServe, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { connectApi } from './support/api-client';
import { ShellPage } from './support/shell-page';
import { LivePage } from './support/live-page';
import { RecordPage } from './support/record-page';
import { createFakeMicrophone, type FakeMicrophone } from '../support/fake-microphone';

const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));
const canSynthesiseSentences = which.sync('flite', { nothrow: true }) !== null;

const WORDS = ['yes', 'no', 'stop'];
const SPOKEN = 'stop';
const SAMPLE_RATE = 16_000;

let microphone: FakeMicrophone;
/** Seconds of audio the fake microphone holds: silence, the word, silence. */
let microphoneSeconds = 0;
let serve: RunningServe;
let browser: Browser;
let api: { client: ApiClient; close(): void };

async function runJob(spec: JobSpecInput, timeoutMs = 60_000): Promise<JobInfo> {
  const started = await api.client.invoke('jobs:start', spec);
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const job = await api.client.invoke('jobs:get', { id: started.id });
    if (['succeeded', 'failed', 'cancelled'].includes(job.state)) return job;
    if (Date.now() > deadline) throw new Error(`job ${spec.kind} still ${job.state}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Pads the fake microphone's speech with digital silence so the voice-activity detector
 * sees the word start and end (300 ms of quiet) well inside the recording's time limit.
 */
async function padMicrophone(
  path: string,
  beforeSeconds: number,
  afterSeconds: number,
): Promise<number> {
  const speech = await readFile(path);
  const silence = (seconds: number): Buffer => Buffer.alloc(Math.round(seconds * SAMPLE_RATE) * 2);
  const padded = Buffer.concat([silence(beforeSeconds), speech, silence(afterSeconds)]);
  await writeFile(path, padded);
  return padded.length / 2 / SAMPLE_RATE;
}

beforeAll(async () => {
  if (!tools) return;
  microphone = await createFakeMicrophone(SPOKEN);
  microphoneSeconds = await padMicrophone(microphone.rawPath, 0.5, 1);
  [serve, browser] = await Promise.all([
    startServe({ env: { XDG_CONFIG_HOME: microphone.configHome } }),
    launchBrowser(),
  ]);
  api = await connectApi(serve.origin, serve.token);
  // The microphone speaks at 150 words a minute, espeak-ng's 175 stretched by 1.17.
  const synth = await runJob({
    kind: 'corpus-synth-words',
    params: {
      out: 'words',
      words: WORDS,
      engines: ['espeak-ng'],
      voices: ['en-us', 'en-us+f3', 'en+m3'],
      rates: [1, 1.17],
      pitches: [0],
      fractions: { train: 0.67, test: 0.33 },
      seed: 1,
    },
  });
  expect(synth.state, JSON.stringify(synth.error)).toBe('succeeded');
  const trained = await runJob({
    kind: 'speech-train',
    params: {
      config: {
        name: 'live-words',
        task: 'words',
        corpus: 'words',
        // Every voice is trained on (the microphone's included); this checks the live path.
        data: { train: { splits: ['train', 'test'] }, dev: null, test: { splits: ['test'] } },
        features: { kind: 'mfcc', cmvn: 'utterance' },
        model: { layers: [{ cell: 'gru', units: 16 }], pooling: 'mean' },
        training: { epochs: 12, batchSize: 4, optimizer: { kind: 'adam', learningRate: 0.01 } },
        seed: 3,
      },
    },
  });
  expect(trained.state, JSON.stringify(trained.error)).toBe('succeeded');
}, 90_000);

afterAll(async () => {
  api?.close();
  await browser?.close();
  await serve?.stop();
  await microphone?.dispose();
});

describe.runIf(tools)('the Live view', () => {
  it('recognises a word spoken into the microphone and shows it with its probability', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      const live = new LivePage(page);
      await shell.open(`${serve.url}#/live`);
      await shell.waitUntilConnected();
      expect(await shell.plannedPanel.count()).toBe(0);
      await live.start('live-words', microphone.device, microphoneSeconds);
      expect(await live.task.getAttribute('data-task')).toBe('words');

      // The result is shown as soon as live:word arrives: the spoken word on top.
      await live.result.waitFor({ timeout: 20_000 });
      const top = await live.topWords();
      expect(top.length).toBe(3);
      expect(top[0]?.label).toBe(SPOKEN);
      expect(top[0]?.probability).toBeGreaterThan(1 / WORDS.length);
      expect(top[0]!.probability).toBeGreaterThanOrEqual(top[1]!.probability);
      expect(await live.result.getAttribute('data-label')).toMatch(
        new RegExp(`^(${SPOKEN}|not sure)$`),
      );
      expect(await page.getByTestId('live-top').first().textContent()).toMatch(/\d+%/);

      // The recording ends by itself at its limit; the history keeps the word with its latency.
      await live.stopped.waitFor({ timeout: 20_000 });
      expect(await live.stopped.textContent()).toContain('time limit reached');
      expect(await live.historyRows.count()).toBe(1);
      expect(await live.historyRows.first().textContent()).toMatch(/\d+ ms/);
      expect(await live.state.getAttribute('data-state')).toBe('idle');
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it.runIf(canSynthesiseSentences)(
    'scrolls the posteriorgram of a unidirectional phone model under the live spectrogram',
    async () => {
      const synth = await runJob({
        kind: 'corpus-synth-sentences',
        params: {
          out: 'sentences',
          sentences: ['She had your dark suit.', 'Stop the clock.'],
          engines: ['flite'],
          voices: ['kal16', 'slt'],
          fractions: { train: 0.5, test: 0.5 },
          seed: 1,
        },
      });
      expect(synth.state, JSON.stringify(synth.error)).toBe('succeeded');
      const phonesConfig = (name: string, bidirectional: boolean): Record<string, unknown> => ({
        name,
        task: 'phones',
        corpus: 'sentences',
        data: { train: { splits: ['train', 'test'] }, dev: null, test: { splits: ['test'] } },
        features: { kind: 'fbank', cmvn: 'utterance' },
        model: {
          layers: [
            { cell: 'gru', units: 16, ...(bidirectional ? { bidirectional: 'concat' } : {}) },
          ],
        },
        training: { epochs: 2, batchSize: 2, optimizer: { kind: 'adam', learningRate: 0.01 } },
        seed: 1,
      });
      const [trained, trainedBidirectional] = await Promise.all([
        runJob({ kind: 'speech-train', params: { config: phonesConfig('live-phones', false) } }),
        runJob({ kind: 'speech-train', params: { config: phonesConfig('live-phones-bi', true) } }),
      ]);
      expect(trained.state, JSON.stringify(trained.error)).toBe('succeeded');
      expect(trainedBidirectional.state, JSON.stringify(trainedBidirectional.error)).toBe(
        'succeeded',
      );

      const { page, errors, close } = await openPage(browser);
      try {
        const shell = new ShellPage(page);
        const live = new LivePage(page);
        await shell.open(`${serve.url}#/live`);
        await shell.waitUntilConnected();
        // A bidirectional model needs the whole utterance: the server refuses it, and says why.
        await live.start('live-phones-bi', microphone.device, microphoneSeconds);
        await live.error.waitFor({ timeout: 20_000 });
        expect(await live.error.textContent()).toContain('SPEECH_NOT_STREAMABLE');
        expect(await live.error.textContent()).toContain('bidirectional');
        expect(await live.state.getAttribute('data-state')).toBe('idle');

        await live.start('live-phones', microphone.device, microphoneSeconds);
        expect(await live.task.getAttribute('data-task')).toBe('phones');

        // Every column received is drawn, and the canvas shows them.
        await live.stopped.waitFor({ timeout: 20_000 });
        const expectedColumns = Math.floor(microphoneSeconds * 100) - 2;
        await expect
          .poll(() => live.posteriorgramCounters(), { timeout: 5_000 })
          .toMatchObject({ dropped: 0 });
        const counters = await live.posteriorgramCounters();
        expect(counters.received).toBeGreaterThan(expectedColumns - 5);
        expect(counters.drawn).toBe(counters.received);
        expect(counters.painted).toBe(counters.received);
        expect(await RecordPage.litPixels(live.posteriorgram)).toBeGreaterThan(500);
        expect(await RecordPage.litPixels(live.spectrogram)).toBeGreaterThan(500);
        // The two canvases share the time axis: same left edge and width.
        const [spectrogramBox, posteriorBox] = await Promise.all([
          live.spectrogram.boundingBox(),
          live.posteriorgram.boundingBox(),
        ]);
        expect(Math.abs(spectrogramBox!.x - posteriorBox!.x)).toBeLessThan(1);
        expect(Math.abs(spectrogramBox!.width - posteriorBox!.width)).toBeLessThan(1);

        // The latency readout shows numbers (median and last over the window).
        expect(await live.latency.textContent()).toMatch(/median \d+ ms, last\s+\d+ ms/);
        expect(Number(await live.latency.getAttribute('data-median'))).toBeGreaterThan(0);
        expect(Number(await live.decoded.getAttribute('data-count'))).toBeGreaterThanOrEqual(0);
        expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
      } finally {
        await close();
      }
    },
    60_000,
  );
});
