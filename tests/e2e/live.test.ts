/**
 * The Live view end to end: `unfold serve` trains a tiny word model and a tiny unidirectional
 * phone model (through the job API, as the Train view would), then the page runs each on the
 * fake ALSA microphone: a word spoken by espeak-ng's en-us voice (one the word model was
 * trained on) must come out as the top result, and in phone mode posterior columns must be
 * drawn under the live spectrogram with a latency readout and a hover readout.
 * A second, paced microphone (a named pipe, tests/fixtures/live) lets the test speak word by
 * word into one session: the history lists the words in order, and the threshold moved while
 * the session runs turns the next word into "not sure".
 */
import { readFile, writeFile } from 'node:fs/promises';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { startApp, type E2eApp } from './support/app';
import { openPage } from './support/browser';
import { runJobsToSuccess } from './support/jobs';
import { ShellPage } from './support/shell-page';
import { LivePage } from './support/live-page';
import { RecordPage } from './support/record-page';
import { createFakeMicrophone, type FakeMicrophone } from '../support/fake-microphone';
import { installPacedMicrophone, silence, type PacedMicrophone } from './support/paced-microphone';
import { tinyPhonesConfig, tinyWordsConfig } from '../support/tiny-experiments';
import { TINY_SENTENCES, TINY_WORDS } from '../support/tiny-corpora';

const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));
const canSynthesiseSentences = which.sync('flite', { nothrow: true }) !== null;

const WORDS = ['yes', 'no', 'stop'];
const SPOKEN = 'stop';
const SAMPLE_RATE = 16_000;

let microphone: FakeMicrophone;
let pacedMicrophone: PacedMicrophone;
/** Seconds of audio the fake microphone holds: silence, the word, silence. */
let microphoneSeconds = 0;
let app: E2eApp;

/**
 * Runs `test` on a fresh page showing the Live view, then closes the page and stops any live
 * session: a failed test must not leave its session running for the next one (LIVE_IDLE is fine).
 */
async function withLiveView(
  test: (view: { page: Page; errors: string[]; shell: ShellPage; live: LivePage }) => Promise<void>,
): Promise<void> {
  const { page, errors, close } = await openPage(app.browser);
  try {
    const shell = new ShellPage(page);
    await shell.open(`${app.serve.url}#/live`);
    await shell.waitUntilConnected();
    await test({ page, errors, shell, live: new LivePage(page) });
  } finally {
    await close();
    await app.client.invoke('live:stop').catch(() => undefined);
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
  // Same voice and speed as the file-backed microphone; the server reads both devices.
  pacedMicrophone = await installPacedMicrophone(microphone.configHome, 'pacedmic', 'en-us');
  app = await startApp({ env: { XDG_CONFIG_HOME: microphone.configHome } });
  // The microphone speaks at 150 words a minute, espeak-ng's 175 stretched by 1.17.
  await runJobsToSuccess(app.client, {
    kind: 'corpus-synth-words',
    params: {
      out: 'words',
      ...TINY_WORDS,
      words: WORDS,
      rates: [1, 1.17],
      pitches: [0],
    },
  });
  await runJobsToSuccess(app.client, {
    kind: 'experiment-train',
    params: {
      config: tinyWordsConfig('live-words', 'words', {
        // Every voice is trained on (the microphone's included); this checks the live path.
        data: { train: { splits: ['train', 'test'] } },
        training: { epochs: 12 },
      }),
    },
  });
}, 90_000);

afterAll(async () => {
  await app?.close();
  await pacedMicrophone?.close();
  await microphone?.dispose();
});

describe.runIf(tools)('the Live view', () => {
  it('recognises a word spoken into the microphone and shows it with its probability', async () => {
    await withLiveView(async ({ page, errors, shell, live }) => {
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
    });
  });

  it('lists the words of a session in order, and applies a threshold moved while it runs', async () => {
    await withLiveView(async ({ errors, live }) => {
      // A safety limit only: the test stops the session itself.
      await live.start('live-words', pacedMicrophone.device, 60);
      await expect.poll(() => live.state.getAttribute('data-state')).toBe('running');
      expect(await live.thresholdValue.textContent()).toBe('50%');

      await pacedMicrophone.write(silence(0.3));
      await pacedMicrophone.speak('yes');
      await expect.poll(() => live.historyRows.count(), { timeout: 15_000 }).toBe(1);
      await pacedMicrophone.speak('no');
      await expect.poll(() => live.historyRows.count(), { timeout: 15_000 }).toBe(2);

      // Raise the threshold mid-session to the slider's top: the server has it before the next
      // word is spoken. (Not 0.99: this tiny model is 99.4% sure of the spoken word.)
      await live.setThreshold(1);
      expect(await live.thresholdValue.textContent()).toBe('100%');
      await expect
        .poll(async () => (await app.client.invoke('live:status')).threshold, { timeout: 5_000 })
        .toBe(1);
      await pacedMicrophone.speak(SPOKEN);
      await expect.poll(() => live.historyRows.count(), { timeout: 15_000 }).toBe(3);

      // The newest result is below the threshold: "not sure", with the word still in the top 3.
      expect(await live.result.getAttribute('data-kind')).toBe('not-sure');
      expect((await live.result.textContent())?.trim()).toBe('not sure');
      const top = await live.topWords();
      expect(top.map((word) => word.label)).toContain(SPOKEN);
      expect(top[0]?.label).toBe(SPOKEN);
      expect(top[0]!.probability).toBeLessThan(1);

      // Newest first: the third word (not sure, guessed as the spoken word), then no, then yes.
      const history = await live.history();
      expect(history.map((row) => row.kind)).toEqual(['not-sure', 'word', 'word']);
      expect(history.map((row) => row.text)).toEqual([`not sure (${SPOKEN})`, 'no', 'yes']);

      await live.stopButton.click();
      await live.stopped.waitFor({ timeout: 10_000 });
      expect(await live.stopped.textContent()).toContain('3 words recognised');
      expect(await live.historyRows.count()).toBe(3);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    });
  });

  it('stops the session it started when the user leaves the view', async () => {
    await withLiveView(async ({ page, live }) => {
      await live.start('live-words', pacedMicrophone.device, 60);
      await expect.poll(() => live.state.getAttribute('data-state')).toBe('running');
      expect((await app.client.invoke('live:status')).active).toBe(true);
      await page.evaluate(() => (window.location.hash = '#/record'));
      await expect
        .poll(async () => (await app.client.invoke('live:status')).active, { timeout: 10_000 })
        .toBe(false);
      // Back again: no session, and the view starts from a clean state.
      await page.evaluate(() => (window.location.hash = '#/live'));
      await expect.poll(() => live.state.getAttribute('data-state')).toBe('idle');
      expect(await page.getByTestId('live-foreign').count()).toBe(0);
    });
  });

  it.runIf(canSynthesiseSentences)(
    'scrolls the posteriorgram of a unidirectional phone model under the live spectrogram',
    async () => {
      await runJobsToSuccess(app.client, {
        kind: 'corpus-synth-sentences',
        params: {
          out: 'sentences',
          ...TINY_SENTENCES,
          sentences: ['She had your dark suit.', 'Stop the clock.'],
        },
      });
      const phones = {
        data: { train: { splits: ['train', 'test'] } },
        model: { layers: [{ cell: 'gru' as const, units: 16 }] },
        training: { bptt: { kind: 'full' as const } },
      };
      await runJobsToSuccess(
        app.client,
        {
          kind: 'experiment-train',
          params: { config: tinyPhonesConfig('live-phones', 'sentences', phones) },
        },
        {
          kind: 'experiment-train',
          params: {
            config: tinyPhonesConfig('live-phones-bi', 'sentences', {
              ...phones,
              bidirectional: true,
            }),
          },
        },
      );

      await withLiveView(async ({ page, errors, live }) => {
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

        // Hovering a column reads out its most likely phones and its time; columns are 1 px
        // (10 ms) wide, so 50 px further left is 50 frames earlier.
        const near = await live.hoverPosteriorgram(20);
        expect(near.phones).toHaveLength(5);
        for (let i = 1; i < near.phones.length; i++)
          expect(near.phones[i]!.probability).toBeLessThanOrEqual(near.phones[i - 1]!.probability);
        expect(near.phones.reduce((sum, phone) => sum + phone.probability, 0)).toBeLessThanOrEqual(
          1 + 1e-5,
        );
        expect(near.seconds).toBeCloseTo(near.frame * 0.01 + 0.0125, 3);
        expect(near.frame).toBeGreaterThan(counters.received - 40);
        expect(near.frame).toBeLessThan(counters.received);
        const far = await live.hoverPosteriorgram(70);
        expect(far.frame).toBe(near.frame - 50);
        await page.mouse.move(0, 0);
        await live.hover.waitFor({ state: 'detached' });

        // Every phone row is labelled, and no two class names overlap.
        const rows = Number(await page.getByTestId('live-row-axis').getAttribute('data-rows'));
        const labelTexts = await live.rowLabels.allTextContents();
        expect(rows).toBeGreaterThan(10);
        expect(labelTexts).toHaveLength(rows);
        const nameBoxes = await live.classNames.evaluateAll((names) =>
          names.map((name) => name.getBoundingClientRect()).map((box) => [box.top, box.bottom]),
        );
        expect(nameBoxes.length).toBeGreaterThan(3);
        for (let i = 1; i < nameBoxes.length; i++)
          expect(nameBoxes[i]![0]!).toBeGreaterThanOrEqual(nameBoxes[i - 1]![1]! - 0.5);

        // The latency readout shows numbers (median and last over the window).
        expect(await live.latency.textContent()).toMatch(/median \d+ ms, last\s+\d+ ms/);
        expect(Number(await live.latency.getAttribute('data-median'))).toBeGreaterThan(0);
        expect(Number(await live.decoded.getAttribute('data-count'))).toBeGreaterThanOrEqual(0);

        // While a session runs, the readout follows the columns scrolling under a still
        // pointer: the paced microphone delivers audio only when the test writes it.
        await live.start('live-phones', pacedMicrophone.device, 60);
        await expect.poll(() => live.state.getAttribute('data-state')).toBe('running');
        await pacedMicrophone.write(silence(0.3));
        await pacedMicrophone.speak('stop', 0.3);
        await expect
          .poll(async () => (await live.posteriorgramCounters()).drawn, { timeout: 10_000 })
          .toBeGreaterThan(80);
        const before = await live.hoverPosteriorgram(20, 30);
        const drawnBefore = (await live.posteriorgramCounters()).drawn;
        await pacedMicrophone.write(silence(0.5));
        await expect
          .poll(async () => (await live.posteriorgramCounters()).drawn, { timeout: 10_000 })
          .toBeGreaterThan(drawnBefore + 40);
        await expect
          .poll(async () => (await live.readHover()).frame, { timeout: 5_000 })
          .toBeGreaterThan(before.frame + 30);
        const after = await live.readHover();
        expect(after.phones).toHaveLength(5);
        expect(after.seconds).toBeCloseTo(after.frame * 0.01 + 0.0125, 3);
        await live.stopButton.click();
        await live.stopped.waitFor({ timeout: 10_000 });
        expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
      });
    },
    60_000,
  );
});
