/**
 * Long audio through `unfold recognize EXP FILE.wav`: peak RSS and wall time of the built CLI
 * on a long synthetic recording (espeak-ng digit words, each followed by a second of silence,
 * repeated), made here in a temporary folder and deleted afterwards. The models are randomly
 * initialised ("digits, small LSTM" for words, a unidirectional "phones, 2x256 LSTM" for
 * phones): the cost of running a model does not depend on its weights.
 *
 * Run: npm run bench:long-audio -- [--minutes 60] [--task words|phones|both]
 * Prints one JSON object. Needs `npm run build` and espeak-ng, sox and /usr/bin/time.
 */
import { execFileSync, spawn } from 'node:child_process';
import { open, mkdtemp, rm } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { pcm16WavHeader, readAudioFile } from '../../src-main/domain/audio/wav';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { UNFOLD_BIN } from '../support/cli';
import { writeRandomExperiment } from '../support/random-experiment';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '60' },
    task: { type: 'string', default: 'both' },
  },
});
const minutes = Number(values.minutes);
const tasks = values.task === 'both' ? ['words', 'phones'] : [String(values.task)];
const RATE = 16_000;
const DIGITS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];

/** Writes `minutes` of words and silences as 16-bit PCM, block by block; returns the word count. */
async function writeLongRecording(path: string, folder: string): Promise<number> {
  const blocks: Int16Array[] = [];
  for (const word of DIGITS) {
    const wav = join(folder, `${word}.wav`);
    execFileSync('espeak-ng', ['-v', 'en-us', '-w', wav, word]);
    const samples = (await readAudioFile(wav, { sampleRate: RATE })).samples;
    const block = new Int16Array(samples.length + RATE);
    samples.forEach((v, i) => (block[i] = Math.round(v * 32_767)));
    blocks.push(block);
  }
  const total = minutes * 60 * RATE;
  const file = await open(path, 'w');
  try {
    await file.write(pcm16WavHeader(RATE, 1, total * 2), 0, 44, 0);
    let written = 0;
    let words = 0;
    for (let k = 0; written < total; k++) {
      const block = blocks[k % blocks.length] as Int16Array;
      const count = Math.min(block.length, total - written);
      await file.write(new Uint8Array(block.buffer, 0, count * 2), 0, count * 2, 44 + written * 2);
      written += count;
      if (count === block.length) words++;
    }
    return words;
  } finally {
    await file.close();
  }
}

interface Measured {
  seconds: number;
  peakRssMb: number;
  exitCode: number | null;
  stdout: string;
  stderrTail: string;
}

/** Runs the CLI under GNU time for its peak resident set size. */
function measure(args: string[], env: NodeJS.ProcessEnv): Promise<Measured> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(
      '/usr/bin/time',
      ['-f', 'UNFOLD_MAXRSS_KB=%M', process.execPath, UNFOLD_BIN, ...args],
      {
        env,
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
    child.on('error', reject);
    child.on('close', (code) => {
      const kb = Number(/UNFOLD_MAXRSS_KB=(\d+)/.exec(stderr)?.[1] ?? NaN);
      resolve({
        seconds: (performance.now() - started) / 1000,
        peakRssMb: kb / 1024,
        exitCode: code,
        stdout,
        stderrTail: stderr.replace(/UNFOLD_MAXRSS_KB=\d+\n?/, '').slice(-500),
      });
    });
  });
}

const root = await mkdtemp(join(tmpdir(), 'unfold-long-audio-'));
try {
  await initTfBackend();
  const env = { ...process.env, UNFOLD_DATA: join(root, 'data') };
  const wav = join(root, 'long.wav');
  const wordsSpoken = await writeLongRecording(wav, root);
  const loadBefore = loadavg()[0];
  const results: Record<string, unknown> = {};
  for (const task of tasks) {
    const exp = join(root, `${task}-exp`);
    if (task === 'words') await writeRandomExperiment(exp, 'words', 10, { labels: DIGITS });
    else await writeRandomExperiment(exp, 'phones', 40, { unidirectional: true });
    const run = await measure(
      ['recognize', exp, wav, '--json', '--npy', join(root, 'long.npy')],
      env,
    );
    const output =
      run.exitCode === 0 ? (JSON.parse(run.stdout) as Record<string, unknown>) : undefined;
    results[task] = {
      exitCode: run.exitCode,
      seconds: Number(run.seconds.toFixed(1)),
      realTimeFactor: Number(((minutes * 60) / run.seconds).toFixed(1)),
      peakRssMb: Number(run.peakRssMb.toFixed(0)),
      ...(task === 'words'
        ? { wordsFound: (output?.words as unknown[] | undefined)?.length ?? null, wordsSpoken }
        : { frames: output?.frames ?? null, streamed: output?.streamed ?? null }),
      ...(run.exitCode === 0 ? {} : { stderr: run.stderrTail }),
    };
  }
  process.stdout.write(
    JSON.stringify({
      audioMinutes: minutes,
      loadAverage1m: [Number(loadBefore?.toFixed(2)), Number(loadavg()[0]?.toFixed(2))],
      ...results,
    }) + '\n',
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
