/**
 * The Record view end to end: `unfold serve` records from a fake ALSA microphone (espeak-ng
 * speech in a `type file` PCM) through arecord, streams log-mel frames to the page, saves the
 * take in the data folder and shows it in the inspector.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { startServe, REPO_ROOT, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { ShellPage } from './support/shell-page';
import { RecordPage } from './support/record-page';
import { createFakeMicrophone, type FakeMicrophone } from '../support/fake-microphone';
import { summariseWavHeader } from '../../src-main/server/recording/recordings-list';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { connectApi } from './support/api-client';
import { runJob } from './support/jobs';

const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));

describe.runIf(tools)('the Record view in a browser', () => {
  let microphone: FakeMicrophone;
  let serve: RunningServe;
  let browser: Browser;

  beforeAll(async () => {
    microphone = await createFakeMicrophone('seven, two, nine. Recurrent networks unfold in time.');
    [serve, browser] = await Promise.all([
      startServe({ env: { XDG_CONFIG_HOME: microphone.configHome } }),
      launchBrowser(),
    ]);
  });

  afterAll(async () => {
    await browser?.close();
    await serve?.stop();
    await microphone?.dispose();
  });

  it('records 2 s from the fake microphone with a live spectrogram, saves the WAV and inspects it', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      const record = new RecordPage(page);
      await shell.open(`${serve.url}#/record`);
      await shell.waitUntilConnected();
      expect(await shell.plannedPanel.count()).toBe(0);
      // The device list comes from `arecord -L` in main.
      await record.deviceSelect
        .locator(`option[value="${microphone.device}"]`)
        .waitFor({ state: 'attached' });
      await record.deviceSelect.selectOption(microphone.device);
      await record.maxSeconds.fill('2');
      await record.recordButton.click();

      // The take ends by itself at 2 s of audio (the fake device is not paced).
      await record.lastTake.waitFor({ timeout: 20_000 });
      expect(await record.lastTake.textContent()).toContain('2.00 s');
      expect(await record.lastTake.textContent()).toContain('time limit reached');

      // Every streamed frame was drawn: 2 s at 10 ms hop with 25 ms frames is 198 frames.
      await expect
        .poll(() => record.liveCounters(), { timeout: 5_000 })
        .toMatchObject({
          received: 198,
          drawn: 198,
          dropped: 0,
          painted: 198,
        });
      expect(await RecordPage.litPixels(record.liveCanvas)).toBeGreaterThan(2_000);

      // The WAV is in the data folder with the right duration.
      const names = (await readdir(join(serve.dataDir, 'recordings'))).filter((n) =>
        n.endsWith('.wav'),
      );
      expect(names).toHaveLength(1);
      const bytes = await readFile(join(serve.dataDir, 'recordings', names[0]!));
      const header = summariseWavHeader(bytes);
      expect(header?.sampleRate).toBe(16_000);
      expect(header?.durationSeconds).toBeGreaterThan(1.9);
      expect(header?.durationSeconds).toBeLessThan(2.1);
      // arecord delivers the fake device's samples bit for bit.
      const source = await readFile(microphone.rawPath);
      expect(Buffer.from(bytes.subarray(44)).equals(source.subarray(0, 64_000))).toBe(true);

      // The take opens in the inspector: waveform, spectrogram and MFCC heatmap on one axis.
      await record.inspector.waitFor();
      expect(await page.getByTestId('audio-info').textContent()).toContain('2.00 s');
      await page
        .getByTestId('play-pause')
        .and(page.locator(':enabled'))
        .waitFor({ timeout: 10_000 });
      const waveformCanvas = page.getByTestId('waveform').locator('canvas').first();
      await waveformCanvas.waitFor();
      const spectrogram = page.getByTestId('spectrogram').locator('canvas[data-drawn]').first();
      const heatmap = page.getByTestId('mfcc-heatmap').locator('canvas[data-drawn]').first();
      await spectrogram.waitFor();
      await heatmap.waitFor();
      expect(await RecordPage.litPixels(spectrogram)).toBeGreaterThan(5_000);
      expect(await RecordPage.litPixels(heatmap)).toBeGreaterThan(2_000);
      // The strips share the waveform's width: the same time axis.
      const [waveBox, heatBox] = await Promise.all([
        page.getByTestId('waveform').boundingBox(),
        page.getByTestId('mfcc-heatmap').boundingBox(),
      ]);
      expect(Math.abs(waveBox!.x - heatBox!.x)).toBeLessThan(1);
      expect(Math.abs(waveBox!.width - heatBox!.width)).toBeLessThan(1);
      // Hovering the heatmap shows the shared cursor with the time under the pointer.
      await page.getByTestId('mfcc-heatmap').hover({ position: { x: heatBox!.width / 2, y: 20 } });
      expect(await page.getByTestId('hover-cursor').textContent()).toMatch(/^1\.0\d\d s$/);
      // A click on the heatmap seeks the player; the shared cursor follows to the same x.
      await page.getByTestId('mfcc-heatmap').click({ position: { x: heatBox!.width / 2, y: 20 } });
      await expect
        .poll(() => page.getByTestId('playback-time').textContent())
        .toMatch(/^0:01\.0 \//);
      const cursorBox = await page.getByTestId('playback-cursor').boundingBox();
      expect(Math.abs(cursorBox!.x - (heatBox!.x + heatBox!.width / 2))).toBeLessThan(3);
      // The take is listed for reopening.
      await expect
        .poll(() => page.getByTestId('recordings-list').locator('button').count())
        .toBe(1);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('opens a WAV from disk into the same view, saving a copy under imports/', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      const record = new RecordPage(page);
      await shell.open(`${serve.url}#/record`);
      await shell.waitUntilConnected();
      const fixture = resolve(REPO_ROOT, 'tests/fixtures/audio/tone3ch-s24.wav');
      await record.fileInput.setInputFiles(fixture);
      await record.inspector.waitFor();
      await expect.poll(() => page.getByTestId('audio-info').textContent()).toContain('3 ch');
      const copy = await readFile(join(serve.dataDir, 'imports', 'tone3ch-s24.wav'));
      expect(copy.equals(await readFile(fixture))).toBe(true);
      await page.getByTestId('mfcc-heatmap').locator('canvas[data-drawn]').first().waitFor();

      // A file that is not a WAV is refused with the decoder's message, and nothing is saved.
      await record.fileInput.setInputFiles({
        name: 'notes.wav',
        mimeType: 'audio/wav',
        buffer: Buffer.from('this is not audio'),
      });
      await record.error.waitFor();
      expect(await record.error.textContent()).toMatch(/AUDIO_/);
      expect(await readdir(join(serve.dataDir, 'imports'))).toEqual(['tone3ch-s24.wav']);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      await close();
    }
  });

  it('adds the open take to a corpus, with its label and speaker, from the take panel', async () => {
    // A one-utterance corpus to add to (imported from a folder per label).
    const source = await mkdtemp(join(tmpdir(), 'unfold-e2e-take-'));
    await mkdir(join(source, 'seven'));
    const samples = new Float32Array(4000).map((_, i) => 0.2 * Math.sin(i / 5));
    await writeFile(
      join(source, 'seven', 'a.wav'),
      encodeWav({ sampleRate: 16_000, samples }, { bitDepth: 16 }),
    );
    const api = await connectApi(serve.origin, serve.token);
    const { page, errors, close } = await openPage(browser);
    try {
      const job = await runJob(api.client, {
        kind: 'corpus-import',
        params: { format: 'folders', source, out: 'takes' },
      });
      expect(job.state).toBe('succeeded');
      const shell = new ShellPage(page);
      const record = new RecordPage(page);
      await shell.open(`${serve.url}#/record`);
      await shell.waitUntilConnected();
      await record.fileInput.setInputFiles(
        resolve(REPO_ROOT, 'tests/fixtures/audio/tone3ch-s24.wav'),
      );
      await record.inspector.waitFor();

      const panel = page.getByTestId('add-take');
      await expect.poll(() => panel.getByTestId('add-take-corpus').inputValue()).toBe('takes');
      // Nothing typed yet: the panel says what is missing and adds nothing.
      await panel.getByTestId('add-take-submit').click();
      expect(await panel.getByTestId('add-take-error').textContent()).toContain('label');
      await panel.getByTestId('add-take-label').fill('nine');
      await panel.getByTestId('add-take-speaker').fill('tester');
      await panel.getByTestId('add-take-submit').click();
      await panel.getByTestId('add-take-done').waitFor();

      const page1 = await api.client.invoke('corpus:utterances', {
        corpus: 'takes',
        filter: { speaker: 'tester' },
      });
      expect(page1.rows.map((r) => [r.text, r.speaker])).toEqual([['nine', 'tester']]);
      expect(await panel.getByTestId('add-take-done').textContent()).toContain(page1.rows[0]!.id);
      expect(errors.filter((error) => error.startsWith('pageerror'))).toEqual([]);
    } finally {
      api.close();
      await close();
      await rm(source, { recursive: true, force: true });
    }
  });

  it('shows the install hint when the recorder program is missing', async () => {
    // A server whose PATH has no arecord (node itself is started by absolute path).
    const bare = await startServe({
      env: { PATH: '/nonexistent', XDG_CONFIG_HOME: microphone.configHome },
    });
    const { page, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      const record = new RecordPage(page);
      await shell.open(`${bare.url}#/record`);
      await shell.waitUntilConnected();
      await record.recordButton.click();
      await record.error.waitFor();
      const text = await record.error.textContent();
      expect(text).toContain('RECORDER_NOT_FOUND');
      expect(text).toContain('apt install alsa-utils');
      expect(await record.state.textContent()).toContain('Ready');
    } finally {
      await close();
      await bare.stop();
    }
  });
});
