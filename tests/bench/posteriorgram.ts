/**
 * experiments:posteriorgram latency: how long opening one utterance in the posteriorgram view
 * takes on the server, from the evaluation's saved posteriors and by running the model, on a
 * corpus of N tone "sentences" (3 s, 20 phone intervals each) and a 2x64 LSTM trained for one
 * epoch. Prints one JSON line. Run: npx tsx tests/bench/posteriorgram.ts [N=300]
 */
import { copyFile, mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { trainExperiment } from '../support/builtin-experiments';
import { createExperimentHandlers } from '../../src-main/server/handlers/experiment-handlers';
import type { HandlerContext } from '../../src-main/server/handlers/handler-context';
import { importTonesCorpus } from '../support/tones-corpus';
import { tinyPhonesConfig } from '../support/tiny-experiments';

const utterances = Number(process.argv[2] ?? 300);
const seconds = 3;
const sampleRate = 16000;
const root = await mkdtemp(join(tmpdir(), 'pg-bench-'));
const dataDir = join(root, 'data');

/** 20 equal phone intervals cycling through five phones. */
const PHONES: [number, number, string][] = Array.from({ length: 20 }, (_, k) => [
  (k * seconds) / 20,
  ((k + 1) * seconds) / 20,
  ['aa', 's', 'k', 'iy', 'pau'][k % 5]!,
]);

/** A tone whose pitch steps up 100 Hz every 0.3 s. */
function steppedTone(): Float32Array {
  const samples = new Float32Array(seconds * sampleRate);
  for (let j = 0; j < samples.length; j++)
    samples[j] =
      0.3 * Math.sin((2 * Math.PI * (200 + Math.floor(j / 4800) * 100) * j) / sampleRate);
  return samples;
}

try {
  const samples = steppedTone();
  await importTonesCorpus(
    dataDir,
    Array.from({ length: utterances }, (_, i) => ({
      name: `t${i}`,
      samples,
      tiers: { phones: PHONES },
    })),
    sampleRate,
  );
  await trainExperiment(
    tinyPhonesConfig('ph', 'tones', {
      data: { test: { splits: ['train'] } },
      model: {
        layers: [
          { cell: 'lstm', units: 64 },
          { cell: 'lstm', units: 64 },
        ],
      },
      training: { epochs: 1, batchSize: 32, bptt: { kind: 'full' } },
    }),
    { dataDir },
  );
  const api = createExperimentHandlers({ dataDir } as HandlerContext);
  const open = async (k: number): Promise<unknown> =>
    api['experiments:posteriorgram']({ name: 'ph', split: 'train', utteranceId: `ann-t${k}` });
  const time = async (f: () => unknown): Promise<number> => {
    const start = performance.now();
    await f();
    return Math.round((performance.now() - start) * 10) / 10;
  };
  const savedFirstMs = await time(() => open(0));
  const savedMs = [await time(() => open(1)), await time(() => open(2)), await time(() => open(3))];
  await rm(join(dataDir, 'experiments/ph/eval/train/posteriors'), { recursive: true });
  const modelFirstMs = await time(() => open(4));
  const modelMs = [await time(() => open(5)), await time(() => open(6)), await time(() => open(7))];
  await mkdir(join(dataDir, 'recordings'));
  await copyFile(
    join(dataDir, 'corpora/tones/audio/ann-t0.wav'),
    join(dataDir, 'recordings/x.wav'),
  );
  const fileMs = await time(() =>
    api['experiments:posteriorgram']({ name: 'ph', path: 'recordings/x.wav' }),
  );
  console.log(
    JSON.stringify({
      bench: 'posteriorgram',
      utterances,
      secondsPerUtterance: seconds,
      model: '2x64 lstm',
      savedFirstMs,
      savedMs,
      modelFirstMs,
      modelMs,
      fileMs,
    }),
  );
} finally {
  await rm(root, { recursive: true, force: true });
}
