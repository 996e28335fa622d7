/**
 * `unfold recognize EXP FILE.wav` on recordings that are not one isolated word: several words
 * (found by the voice-activity detector, each with its times), a long recording for a phones
 * model (streamed to the .npy), and audio with NaN samples (refused unless repaired). The
 * models are randomly initialised: what is checked is where the words are, not what they are.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import which from 'which';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { decodeNpy } from '../../src-main/domain/audio/npy';
import { encodeWav, readAudioFile } from '../../src-main/domain/audio/wav';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { runCli } from '../support/cli';
import { writeRandomExperiment } from '../support/random-experiment';

const tools = ['espeak-ng'].every((tool) => which.sync(tool, { nothrow: true }));
const RATE = 16_000;
const WORDS = ['yes', 'no', 'seven'];
const GAP_SECONDS = 0.8;

describe.runIf(tools)('unfold recognize on files', () => {
  let folder: string;
  let env: NodeJS.ProcessEnv;
  let wordsExp: string;
  /** Where each spoken word was placed in the multi-word recording, in seconds. */
  const placed: { start: number; end: number }[] = [];
  let multiWord: string;

  beforeAll(async () => {
    folder = mkdtempSync(join(tmpdir(), 'unfold-recognize-files-'));
    env = { ...process.env, UNFOLD_DATA: join(folder, 'data') };
    wordsExp = join(folder, 'words-exp');
    await initTfBackend();
    await writeRandomExperiment(wordsExp, 'words', 3, { labels: WORDS });
    // Each word spoken on its own, trimmed by espeak-ng's own silence, then laid out with gaps.
    const spoken: Float32Array[] = [];
    for (const word of WORDS) {
      const path = join(folder, `${word}.wav`);
      execFileSync('espeak-ng', ['-v', 'en-us', '-w', path, word]);
      spoken.push((await readAudioFile(path, { sampleRate: RATE })).samples);
    }
    const gap = Math.round(GAP_SECONDS * RATE);
    const total = spoken.reduce((n, s) => n + s.length + gap, gap);
    const samples = new Float32Array(total);
    let at = gap;
    for (const word of spoken) {
      samples.set(word, at);
      placed.push({ start: at / RATE, end: (at + word.length) / RATE });
      at += word.length + gap;
    }
    multiWord = join(folder, 'three-words.wav');
    writeFileSync(multiWord, encodeWav({ sampleRate: RATE, samples }));
  });

  afterAll(() => {
    rmSync(folder, { recursive: true, force: true });
  });

  it('finds each word of a multi-word recording with its times, in order (text and --json)', async () => {
    const json = await runCli(['recognize', wordsExp, multiWord, '--json'], env);
    expect(json.stderr).toBe('');
    expect(json.code).toBe(0);
    const result = JSON.parse(json.stdout) as {
      segmentation: string;
      words: { word: string; startSeconds: number; endSeconds: number; top: unknown[] }[];
    };
    expect(result.segmentation).toBe('vad');
    expect(result.words).toHaveLength(WORDS.length);
    result.words.forEach((word, k) => {
      const where = placed[k] as { start: number; end: number };
      // The detector's times fall inside the stretch where the word was put.
      expect(word.startSeconds).toBeGreaterThanOrEqual(where.start - 0.05);
      expect(word.endSeconds).toBeLessThanOrEqual(where.end + 0.05);
      expect(word.endSeconds).toBeGreaterThan(word.startSeconds);
      expect([...WORDS, 'not sure']).toContain(word.word);
      expect(word.top).toHaveLength(3);
    });
    const text = await runCli(['recognize', wordsExp, multiWord], env);
    expect(text.code).toBe(0);
    const lines = text.stdout.trim().split('\n');
    expect(lines).toHaveLength(WORDS.length);
    lines.forEach((line, k) => {
      const word = result.words[k] as { startSeconds: number; endSeconds: number };
      expect(line).toMatch(
        new RegExp(`^${word.startSeconds.toFixed(2)}-${word.endSeconds.toFixed(2)} s\\t\\S`),
      );
    });
  });

  it('classifies a single-word file whole, as before, with its times', async () => {
    const single = join(folder, 'yes.wav');
    const result = JSON.parse(
      (await runCli(['recognize', wordsExp, single, '--json'], env)).stdout,
    );
    expect(result).toMatchObject({ segmentation: 'whole-file' });
    expect(result.words).toHaveLength(1);
    expect(result.words[0].endSeconds).toBeGreaterThan(result.words[0].startSeconds);
  });

  it('streams a long recording through a unidirectional phones model into the .npy', async () => {
    const phonesExp = join(folder, 'phones-exp');
    await writeRandomExperiment(phonesExp, 'phones', 5, {
      unidirectional: true,
      labels: ['sil', 'aa', 'b', 'k', 'iy'],
    });
    const long = join(folder, 'long.wav');
    const one = (await readAudioFile(multiWord)).samples;
    const copies = Math.ceil(65 / (one.length / RATE));
    const samples = new Float32Array(one.length * copies);
    for (let k = 0; k < copies; k++) samples.set(one, k * one.length);
    writeFileSync(long, encodeWav({ sampleRate: RATE, samples }));
    const npy = join(folder, 'long.npy');
    const run = await runCli(['recognize', phonesExp, long, '--npy', npy, '--json'], env);
    expect(run.code).toBe(0);
    const result = JSON.parse(run.stdout) as { frames: number; streamed: boolean };
    expect(result.streamed).toBe(true);
    const matrix = decodeNpy(new Uint8Array(readFileSync(npy)), npy);
    expect(matrix.dims).toBe(5);
    expect(matrix.frames).toBe(result.frames);
    // 10 ms frames over the whole file (a 25 ms window, as the batch extractor counts them).
    expect(matrix.frames).toBe(1 + Math.floor((samples.length - 400) / 160));

    const bidirectional = join(folder, 'phones-bi');
    await writeRandomExperiment(bidirectional, 'phones', 5, { bidirectional: true });
    const refused = await runCli(['recognize', bidirectional, long, '--npy', npy], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toMatch(
      /error \[SPEECH_TOO_LONG\]: .*long\.wav is 1\.\d min long, .*bidirectional.*--no-bidirectional/,
    );
  });

  it('refuses a float WAV with NaN samples (recognize, features, corpus import) unless asked to repair', async () => {
    const samples = (await readAudioFile(join(folder, 'yes.wav'))).samples.slice();
    samples[1234] = NaN;
    samples[2000] = NaN;
    const nanDir = join(folder, 'nan');
    mkdirSync(nanDir);
    const nan = join(nanDir, 'yes_s1_1.wav');
    writeFileSync(nan, encodeWav({ sampleRate: RATE, samples }, { bitDepth: '32f' }));
    const message = new RegExp(
      `error \\[AUDIO_NONFINITE\\]: ${nan.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: sample 1234 \\(0\\.077 s\\) is NaN`,
    );

    const refused = await runCli(['recognize', wordsExp, nan], env);
    expect(refused.code).toBe(1);
    expect(refused.stdout).toBe('');
    expect(refused.stderr).toMatch(message);
    const repaired = await runCli(
      ['recognize', wordsExp, nan, '--repair-nonfinite', '--json'],
      env,
    );
    expect(repaired.code).toBe(0);
    const result = JSON.parse(repaired.stdout);
    expect(result.repairedNonFinite).toBe(2);
    expect(Number.isFinite(result.words[0].probability)).toBe(true);

    const features = await runCli(['features', nan, '--no-cache'], env);
    expect(features.code).toBe(1);
    expect(features.stderr).toMatch(message);
    const fixedFeatures = await runCli(['features', nan, '--repair-nonfinite'], env);
    expect(fixedFeatures.code).toBe(0);
    expect(fixedFeatures.stderr).toMatch(/2 non-finite sample\(s\) set to 0/);

    const importArgs = ['corpus', 'import', nanDir, '--format', 'pattern'];
    const pattern = ['--pattern', '{label}_{speaker}_{take}.wav'];
    const strict = await runCli([...importArgs, ...pattern, '--out', 'strict', '--strict'], env);
    expect(strict.code).toBe(1);
    expect(strict.stderr).toMatch(message);
    const fixed = await runCli(
      [...importArgs, ...pattern, '--out', 'fixed', '--repair-nonfinite', '--json'],
      env,
    );
    expect(fixed.code).toBe(0);
    expect(JSON.parse(fixed.stdout).repaired).toEqual([{ path: nan, nonFiniteSamples: 2 }]);
  });
});
