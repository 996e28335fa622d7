/**
 * A prompted recording session in the Corpora view: `unfold serve` records from a fake ALSA
 * microphone (espeak-ng speech), the detected speech is kept, and the take is saved into the
 * corpus with its prompt as label, driven from the keyboard.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { ApiClient } from '@api/client-core';
import { encodeWav } from '../../src-main/domain/audio/wav';
import { startServe, type RunningServe } from './support/serve';
import { launchBrowser, openPage } from './support/browser';
import { connectApi } from './support/api-client';
import { ShellPage } from './support/shell-page';
import { CorporaPage } from './support/corpora-page';
import { createFakeMicrophone, type FakeMicrophone } from '../support/fake-microphone';

const tools = ['arecord', 'sox', 'espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));

describe.runIf(tools)('prompted recording into a corpus', () => {
  let microphone: FakeMicrophone;
  let serve: RunningServe;
  let browser: Browser;
  let api: { client: ApiClient; close(): void };
  let sourceDir: string;

  beforeAll(async () => {
    sourceDir = await mkdtemp(join(tmpdir(), 'unfold-e2e-prompts-'));
    await mkdir(join(sourceDir, 'seven'));
    const samples = new Float32Array(4000).map((_, i) => 0.2 * Math.sin(i / 5));
    await writeFile(
      join(sourceDir, 'seven', 'a.wav'),
      encodeWav({ sampleRate: 16_000, samples }, { bitDepth: 16 }),
    );
    microphone = await createFakeMicrophone('seven');
    [serve, browser] = await Promise.all([
      startServe({ env: { XDG_CONFIG_HOME: microphone.configHome } }),
      launchBrowser(),
    ]);
    api = await connectApi(serve.origin, serve.token);
    const job = await api.client.invoke('jobs:start', {
      kind: 'corpus-import',
      params: { format: 'folders', source: sourceDir, out: 'mine' },
    });
    for (;;) {
      const state = (await api.client.invoke('jobs:get', { id: job.id })).state;
      if (state === 'succeeded') break;
      if (state === 'failed' || state === 'cancelled') throw new Error(`import ${state}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }, 90_000);

  afterAll(async () => {
    api?.close();
    await browser?.close();
    await serve?.stop();
    await microphone?.dispose();
    if (sourceDir) await rm(sourceDir, { recursive: true, force: true });
  });

  it('records a prompt with space, accepts it with enter and saves it trimmed', async () => {
    const { page, errors, close } = await openPage(browser);
    try {
      const shell = new ShellPage(page);
      const corpora = new CorporaPage(page);
      await shell.open(`${serve.url}#/corpora`);
      await shell.waitUntilConnected();
      await corpora.corpus('mine').click();
      await expect.poll(() => corpora.total()).toBe(1);

      await page.getByTestId('open-session').click();
      const session = page.getByTestId('prompt-session');
      await session.waitFor();
      await session.getByTestId('session-speaker').fill('tester');
      await session.getByTestId('session-prompts').fill('seven');
      const device = session.getByTestId('session-device');
      await device.locator(`option[value="${microphone.device}"]`).waitFor({ state: 'attached' });
      await device.selectOption(microphone.device);
      await session.getByLabel('Longest take (s)').fill('2');
      await session.getByTestId('session-start').click();
      await expect.poll(() => session.getByTestId('session-prompt').textContent()).toBe('seven');

      await session.getByTestId('session-stage').click();
      await page.keyboard.press('Space');
      // The fake device is not paced: the take ends at its limit, then waits for review.
      const stage = session.getByTestId('session-stage');
      await expect.poll(() => stage.getAttribute('data-phase'), { timeout: 30_000 }).toBe('review');
      // The voice-activity detector found the spoken word inside the 2 s take.
      const review = (await session.getByTestId('session-state').textContent()) ?? '';
      const speech = /speech ([\d.]+)–([\d.]+) s/.exec(review);
      expect(speech, review).not.toBeNull();
      // The server keeps 0.1 s before and 0.15 s after the speech, within the take.
      const kept = Math.min(Number(speech?.[2]) + 0.15, 2) - Math.max(Number(speech?.[1]) - 0.1, 0);
      await page.keyboard.press('Enter');
      await expect.poll(() => stage.getAttribute('data-phase'), { timeout: 30_000 }).toBe('done');

      const rows = await api.client.invoke('corpus:utterances', {
        corpus: 'mine',
        filter: { speaker: 'tester' },
      });
      expect(rows.total).toBe(1);
      expect(rows.rows[0]?.text).toBe('seven');
      expect(rows.rows[0]?.duration).toBeGreaterThan(0.2);
      expect(rows.rows[0]?.duration).toBeLessThanOrEqual(2.01);
      expect(rows.rows[0]?.duration).toBeCloseTo(kept, 1);
      await page.keyboard.press('Escape');
      await expect.poll(() => corpora.total()).toBe(2);
      expect(errors.filter((e) => e.startsWith('pageerror'))).toEqual([]);
    } finally {
      await close();
    }
  });
});
