/**
 * Live latency figures (issue 6), printed as JSON; not run in CI.
 *
 *   npx tsx tests/eval/live-latency.ts [--words-exp DIR] [--phones-exp DIR] [--chunk-ms 100]
 *
 * phones: audio chunk in -> posterior columns out through StreamingPhoneRecognizer (streaming
 * features, running CMVN, one transducer step with carried state); goal < 100 ms per chunk.
 * words: end of a 1 s word -> top 3 through Recognizer.recognizeWord (features, CMVN, encoder);
 * goal < 300 ms. Without experiment folders, randomly initialised models of the preset sizes
 * ("phones, 2x256 LSTM" and "digits, small LSTM") are timed: the cost does not depend on the
 * weights.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { loadRecognizer } from '../../src-main/domain/speech';
import { writeRandomExperiment } from '../support/random-experiment';

const { values } = parseArgs({
  options: {
    'words-exp': { type: 'string' },
    'phones-exp': { type: 'string' },
    'chunk-ms': { type: 'string', default: '100' },
    seconds: { type: 'string', default: '5' },
  },
});

const backend = await initTfBackend();
const scratch = await mkdtemp(join(tmpdir(), 'unfold-latency-'));

/** An experiment folder with a randomly initialised model of a preset's size. */
async function fakeExperiment(task: 'words' | 'phones', classes: number): Promise<string> {
  const dir = join(scratch, task);
  await writeRandomExperiment(dir, task, classes);
  return dir;
}

function summary(times: number[]): Record<string, number> {
  const sorted = [...times].sort((a, b) => a - b);
  const at = (q: number): number =>
    sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))] ?? 0;
  return {
    count: sorted.length,
    medianMs: at(0.5),
    p95Ms: at(0.95),
    maxMs: sorted[sorted.length - 1] ?? 0,
  };
}

/** Speech-like test signal: a few harmonics with a moving pitch plus a little noise. */
function signal(seconds: number, rate: number): Float32Array {
  const out = new Float32Array(Math.round(seconds * rate));
  let phase = 0;
  for (let i = 0; i < out.length; i++) {
    const f0 = 120 + 40 * Math.sin((2 * Math.PI * i) / rate);
    phase += (2 * Math.PI * f0) / rate;
    out[i] =
      0.2 * (Math.sin(phase) + 0.5 * Math.sin(2 * phase) + 0.3 * Math.sin(3 * phase)) +
      0.01 * (Math.random() - 0.5);
  }
  return out;
}

const report: Record<string, unknown> = { backend: backend.name };
try {
  const phonesDir = values['phones-exp'] ?? (await fakeExperiment('phones', 46));
  const phones = await loadRecognizer(phonesDir);
  const rate = phones.features.sampleRate;
  const chunk = Math.round((Number(values['chunk-ms']) / 1000) * rate);
  const audio = signal(Number(values.seconds), rate);
  const pcm = Int16Array.from(audio, (s) => Math.round(s * 32767));
  const live = phones.createStreamingPhoneRecognizer();
  live.push(pcm.subarray(0, chunk)); // warm-up (kernels compile on first use)
  const times: number[] = [];
  for (let i = chunk; i + chunk <= pcm.length; i += chunk) {
    const t0 = performance.now();
    const out = live.push(pcm.subarray(i, i + chunk));
    if (out.frames > 0) times.push(performance.now() - t0);
  }
  live.flush();
  report.phones = {
    experiment: values['phones-exp'] ?? 'random 2x256 LSTM',
    chunkMs: Number(values['chunk-ms']),
    ...summary(times),
  };
  phones.dispose();

  const wordsDir = values['words-exp'] ?? (await fakeExperiment('words', 10));
  const words = await loadRecognizer(wordsDir);
  const word = {
    sampleRate: words.features.sampleRate,
    samples: signal(1, words.features.sampleRate),
  };
  await words.recognizeWord(word);
  const wordTimes: number[] = [];
  for (let k = 0; k < 20; k++) {
    const t0 = performance.now();
    await words.recognizeWord(word);
    wordTimes.push(performance.now() - t0);
  }
  report.words = {
    experiment: values['words-exp'] ?? 'random bidirectional LSTM 64',
    wordSeconds: 1,
    ...summary(wordTimes),
  };
  words.dispose();
} finally {
  await rm(scratch, { recursive: true, force: true });
}
process.stdout.write(JSON.stringify(report, null, 2) + '\n');
