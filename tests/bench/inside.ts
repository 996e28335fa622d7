/**
 * Speed of the Inside view (issue 16): `npm run bench:inside [-- --reps N] [--engines
 * auto,tensor-ops] [--cases NAMES]` (NAMES: parts of case names, separated by `;`).
 *
 * The trace of one long input (gates, states, ||dLoss/dh_t|| of every layer direction and the
 * output probabilities: traceExample, what `inside:trace` and `unfold inspect` run) for the
 * models the view shows, with random weights: a 2 x 256 LSTM, GRU and Elman phone transducer on
 * 10 s of 40-dim features (1,000 frames), the LSTM on 30 s (3,000 frames), and a 200-token
 * sentence through a bidirectional 2 x 128 LSTM tagger and a sentence classifier; and the path a
 * user takes with a recording: a synthesised 10 s WAV read from disk, its features (40 mel bands,
 * per-utterance CMVN: inside-model.ts's preparedSpeech) and the LSTM's trace. Each case runs
 * on each introspection engine (`auto`: the native addon when it loads, `tensor-ops`: the TF.js
 * kernels step by step), engines interleaved in every repetition after one warm-up run, and the
 * two traces are compared (the largest difference of any value). A case with a target (the
 * issue's 1 s for a 10 s utterance through the 2 x 256 LSTM) says whether the median of `auto`
 * met it. Then the dynamics slider (`inside:dynamics` on one input: inputDynamics): the first
 * request for an input (reads the WAV, traces it, runs the layer freely), a first request after
 * a trace of the input, and the later requests (other scales). Then the redraw of a 1,000-step
 * x 512-unit heatmap: the view's pure render function at its canvas size in Node (`node`), and
 * the real UnitHeatmap component in headless Chromium, each change of row order or series timed
 * to the end of its painted frame, with the hover read-out (`chromium`, which has the issue's
 * 50 ms target: inside-browser/heatmap-redraw.ts). `--cases` also picks these two parts by name
 * (`dynamics slider`, `heatmap redraw`): `--cases 'heatmap redraw'` runs the redraw alone.
 * Prints one JSON report with medians, ratios and the load average before and after.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { performance } from 'node:perf_hooks';
import { DYNAMICS_DEFAULT_STEPS, DYNAMICS_SCALE_RANGE } from '../../src-main/api/inside';
import type { DynamicsOptions, InsideInput } from '../../src-main/api/inside';
import { encodeWav, readAudioFile } from '../../src-main/domain/audio/wav';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import {
  inputDynamics,
  keptInputs,
  preparedSpeech,
  traceInput,
  type InsideModel,
} from '../../src-main/domain/inside/inside-model';
import { traceExample, type TracedExample } from '../../src-main/domain/inside/layer-traces';
import type { SequenceExample } from '../../src-main/domain/rnn/batching';
import { INTROSPECTION_ENGINES } from '../../src-main/domain/rnn/introspection';
import type { IntrospectionEngine } from '../../src-main/domain/rnn/introspection';
import { chooseRnnKernel } from '../../src-main/domain/rnn/kernels/native-sequence';
import { parseModelConfig } from '../../src-main/domain/rnn/model-config';
import { RnnModel } from '../../src-main/domain/rnn/rnn-model';
import { COLORMAPS } from '../../src-renderer/src/lib/plot/colormap';
import { heatmapHeight, heatmapWidth } from '../../src-renderer/src/lib/inside/heatmap-size';
import { renderUnitHeatmap } from '../../src-renderer/src/lib/inside/unit-heatmap';
import { machineLoad, median, round } from '../../src-main/domain/bench/side-by-side';
import { measureBrowserRedraw, spread } from './inside-browser/heatmap-redraw';

const { values } = parseArgs({
  options: {
    reps: { type: 'string', default: '3' },
    engines: { type: 'string', default: INTROSPECTION_ENGINES.join(',') },
    cases: { type: 'string' },
  },
});

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(2);
}

const reps = Number(values.reps);
if (!Number.isInteger(reps) || reps < 1) fail('--reps must be a positive integer');
const engines = values.engines.split(',') as IntrospectionEngine[];
const unknown = engines.find((e) => !(INTROSPECTION_ENGINES as readonly string[]).includes(e));
if (unknown) fail(`--engines: ${unknown} is not one of ${INTROSPECTION_ENGINES.join(', ')}`);

interface BenchCase {
  name: string;
  model: () => RnnModel;
  /** The input, made again for every run when the case times its preparation too. */
  example: () => SequenceExample | Promise<SequenceExample>;
  /** Whether every run makes the example (the path from a recording) or reuses one. */
  timesExample?: boolean;
  /** The target for the median of `auto`, when it sets one. */
  targetMs?: number;
}

const FEATURES = 40;
const PHONES = 48;
const VOCAB = 5000;
/** The goal: a 10-second utterance through a 2 x 256 LSTM introspected in under 1 s. */
const TEN_SECOND_TARGET_MS = 1000;
/** What a speech experiment reads: 40 mel bands, each utterance normalised alone. */
const SPEECH_FEATURES = {
  features: { kind: 'fbank' as const, melBands: 40, cmvn: 'utterance' as const },
};

const speechModel = (cell: 'lstm' | 'gru' | 'rnn'): RnnModel =>
  new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: FEATURES },
      layers: [
        { cell, units: 256 },
        { cell, units: 256 },
      ],
      output: { size: PHONES },
      seed: 1,
    }),
  );

const speech = (cell: 'lstm' | 'gru' | 'rnn', frames: number): BenchCase => ({
  name: `speech ${cell} 2x256 transducer, ${frames} frames`,
  model: () => speechModel(cell),
  example: () => ({
    inputs: Float32Array.from({ length: frames * FEATURES }, (_, i) => Math.sin(0.37 * i)),
    length: frames,
    target: 0,
  }),
  ...(cell === 'lstm' && frames === 1000 ? { targetMs: TEN_SECOND_TARGET_MS } : {}),
});

/**
 * Ten seconds of something like speech at 16 kHz: syllables (4 per second) of a voiced sound
 * whose pitch glides between 100 and 180 Hz, harmonics shaped by two moving formants, a little
 * noise (a fixed LCG) and short pauses.
 */
function syntheticSpeech(seconds: number, sampleRate = 16_000): Float32Array {
  const samples = new Float32Array(seconds * sampleRate);
  let seed = 12345;
  const noise = (): number => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 30 - 1;
  };
  let phase = 0;
  for (let i = 0; i < samples.length; i++) {
    const t = i / sampleRate;
    const syllable = (t * 4) % 1;
    const envelope = syllable < 0.8 ? Math.sin((Math.PI * syllable) / 0.8) ** 2 : 0;
    const f0 = 140 + 40 * Math.sin(2 * Math.PI * 0.3 * t);
    phase += (2 * Math.PI * f0) / sampleRate;
    const formant1 = 500 + 300 * Math.sin(2 * Math.PI * 1.7 * t);
    const formant2 = 1500 + 700 * Math.sin(2 * Math.PI * 1.1 * t + 1);
    let voiced = 0;
    for (let k = 1; k * f0 < 4000; k++) {
      const f = k * f0;
      const gain =
        Math.exp(-(((f - formant1) / 200) ** 2)) + 0.5 * Math.exp(-(((f - formant2) / 300) ** 2));
      voiced += (gain / k) * Math.sin(k * phase);
    }
    samples[i] = 0.3 * envelope * voiced + 0.01 * noise();
  }
  return samples;
}

const workFolder = await mkdtemp(join(tmpdir(), 'unfold-bench-inside-'));
const wavPath = join(workFolder, 'ten-seconds.wav');
await writeFile(wavPath, encodeWav({ sampleRate: 16_000, samples: syntheticSpeech(10) }));

/** The WAV read and its features made as the Inside view prepares a recording. */
const wavExample = async (): Promise<SequenceExample> =>
  (await preparedSpeech(await readAudioFile(wavPath), SPEECH_FEATURES, [wavPath])).example;

const fromWav: BenchCase = {
  name: 'speech lstm 2x256 transducer, 10 s WAV -> features -> trace',
  model: () => speechModel('lstm'),
  example: wavExample,
  timesExample: true,
  targetMs: TEN_SECOND_TARGET_MS,
};

const text = (pattern: 'transducer' | 'encoder', tokens: number): BenchCase => ({
  name: `text ${pattern === 'transducer' ? 'tagger' : 'classifier'} BiLSTM 2x128, ${tokens} tokens`,
  model: () =>
    new RnnModel(
      parseModelConfig({
        pattern,
        input: { kind: 'tokens', vocabSize: VOCAB, embeddingSize: 100 },
        layers: [
          { cell: 'lstm', units: 128, bidirectional: 'concat' },
          { cell: 'lstm', units: 128, bidirectional: 'concat' },
        ],
        ...(pattern === 'encoder' ? { pooling: 'max' } : {}),
        output: { size: pattern === 'transducer' ? 17 : 2 },
        seed: 1,
      }),
    ),
  example: () => ({
    inputs: Int32Array.from({ length: tokens }, (_, t) => 2 + ((t * 7919) % (VOCAB - 2))),
    length: tokens,
    target: 0,
  }),
});

const ALL_CASES: BenchCase[] = [
  speech('lstm', 1000),
  fromWav,
  speech('gru', 1000),
  speech('rnn', 1000),
  speech('lstm', 3000),
  text('transducer', 200),
  text('encoder', 200),
];
const wanted = values.cases?.split(';');
const cases = wanted ? ALL_CASES.filter((c) => wanted.some((w) => c.name.includes(w))) : ALL_CASES;
/** Whether `--cases` asks for the part named so (all parts run without it). */
const runs = (name: string): boolean => !wanted || wanted.some((w) => name.includes(w));

/** The largest absolute difference between two traces' values (gates, states, norms, outputs). */
function largestDifference(a: TracedExample, b: TracedExample): number {
  let worst = 0;
  const compare = (x: ArrayLike<number>, y: ArrayLike<number>): void => {
    for (let i = 0; i < x.length; i++) worst = Math.max(worst, Math.abs(x[i]! - y[i]!));
  };
  a.layers.forEach((layer, l) => {
    const other = b.layers[l]!;
    layer.series.forEach((series, s) => compare(series.data, other.series[s]!.data));
    compare(layer.gradNorm, other.gradNorm);
  });
  compare(a.outputs.values, b.outputs.values);
  return worst;
}

const log = (message: string): void => void process.stderr.write(`[bench:inside] ${message}\n`);

await initTfBackend();
const kernel = chooseRnnKernel();
const loadBefore = machineLoad();
const results = [];
for (const benchCase of cases) {
  const model = benchCase.model();
  const reused = benchCase.timesExample ? null : await benchCase.example();
  const run = async (
    engine: IntrospectionEngine,
  ): Promise<{ seconds: number; traced: TracedExample; length: number }> => {
    const start = performance.now();
    const example = reused ?? (await benchCase.example());
    const traced = traceExample(model, example, null, { engine });
    return { seconds: (performance.now() - start) / 1000, traced, length: example.length };
  };
  const traces = new Map<IntrospectionEngine, TracedExample>();
  let steps = 0;
  for (const engine of engines) {
    const warm = await run(engine);
    traces.set(engine, warm.traced);
    steps = warm.length;
  }
  const seconds = new Map<IntrospectionEngine, number[]>(engines.map((e) => [e, []]));
  for (let rep = 1; rep <= reps; rep++)
    for (const engine of engines) {
      const { seconds: s } = await run(engine);
      seconds.get(engine)?.push(s);
      log(`${benchCase.name}: rep ${rep} ${engine} ${s.toFixed(3)} s`);
    }
  const medians = Object.fromEntries(
    engines.map((e) => [e, round(median(seconds.get(e) ?? []), 3)]),
  );
  const auto = median(seconds.get('auto') ?? []);
  const ops = median(seconds.get('tensor-ops') ?? []);
  const [first, second] = engines.map((e) => traces.get(e)!);
  results.push({
    case: benchCase.name,
    steps,
    medianSeconds: medians,
    seconds: Object.fromEntries(
      engines.map((e) => [e, (seconds.get(e) ?? []).map((s) => round(s, 3))]),
    ),
    tensorOpsOverAuto: auto && ops ? round(ops / auto, 2) : null,
    largestDifference: first && second ? largestDifference(first, second) : null,
    targetMs: benchCase.targetMs ?? null,
    metTarget:
      benchCase.targetMs !== undefined && auto !== null ? auto * 1000 < benchCase.targetMs : null,
  });
  model.dispose();
}

/**
 * The dynamics slider on the 10 s WAV through the 2 x 256 LSTM (native kernels when they load):
 * each request as `inside:dynamics` runs it (inputDynamics on an opened model with its input
 * cache), from the top layer's state at the middle of the input, 300 free steps.
 */
async function sliderTimings(): Promise<object> {
  const model = speechModel('lstm');
  const opened = (): InsideModel => ({
    dir: workFolder,
    name: 'bench',
    task: 'phones',
    model,
    labels: [],
    reads: 'audio',
    prepare: async (input) => {
      if (input.kind !== 'wav') throw new Error('the bench reads a WAV');
      return preparedSpeech(await readAudioFile(input.path), SPEECH_FEATURES, [input.path]);
    },
    inputs: keptInputs(),
    dispose: () => undefined,
  });
  const input: InsideInput = { kind: 'wav', path: wavPath };
  const resolveCorpus = (name: string): Promise<string> => Promise.resolve(name);
  const request = (scale: number): DynamicsOptions => ({
    layer: 'encoder/layer1/fw',
    startStep: 500,
    drive: { kind: 'zero' },
    scale,
    steps: DYNAMICS_DEFAULT_STEPS,
  });
  const timed = async (work: () => Promise<unknown>): Promise<number> => {
    const start = performance.now();
    await work();
    return performance.now() - start;
  };
  await inputDynamics(opened(), input, { ...request(1), resolveCorpus }); // warm-up
  const first: number[] = [];
  const afterTrace: number[] = [];
  const later: number[] = [];
  for (let rep = 1; rep <= reps; rep++) {
    const cold = opened();
    first.push(await timed(() => inputDynamics(cold, input, { ...request(1), resolveCorpus })));
    // The slider's next steps: other scales on the same input.
    for (let k = 1; k <= 5; k++) {
      const scale = DYNAMICS_SCALE_RANGE.default + k * DYNAMICS_SCALE_RANGE.step;
      later.push(
        await timed(() => inputDynamics(cold, input, { ...request(scale), resolveCorpus })),
      );
    }
    const traced = opened();
    await traceInput(traced, input, { resolveCorpus });
    afterTrace.push(
      await timed(() => inputDynamics(traced, input, { ...request(1), resolveCorpus })),
    );
    log(
      `dynamics slider: rep ${rep} first ${first.at(-1)?.toFixed(0)} ms, later ${later
        .slice(-5)
        .map((ms) => ms.toFixed(0))
        .join(', ')} ms`,
    );
  }
  model.dispose();
  const summary = (ms: number[]): object => ({
    medianMs: round(median(ms), 1),
    ms: ms.map((v) => round(v, 1)),
  });
  return {
    input: '10 s WAV (synthesised), 2 x 256 LSTM, top layer from step 500',
    steps: DYNAMICS_DEFAULT_STEPS,
    firstRequest: summary(first),
    firstRequestAfterTrace: summary(afterTrace),
    laterRequests: summary(later),
  };
}
const slider = runs('dynamics slider') ? await sliderTimings() : null;

/** The goal: a 1,000-step x 512-unit heatmap redrawn in under 50 ms. */
const REDRAW_TARGET_MS = 50;

/**
 * The view's heatmap of a 1,000-step x 512-unit series at its canvas size: the pure render
 * function alone in Node (the same input every draw, 10 draws after one), then the component in
 * Chromium (20 redraws cycling through 4 inputs, after 8).
 */
async function heatmapRedraw(): Promise<object> {
  const loadAtStart = machineLoad();
  const steps = 1000;
  const units = 512;
  const width = heatmapWidth(steps);
  const height = heatmapHeight(units);
  const series = {
    data: Float32Array.from({ length: steps * units }, (_, i) => Math.sin(i * 0.001)),
    steps,
    units,
  };
  const order = Int32Array.from({ length: units }, (_, u) => units - 1 - u);
  const pixels = new Uint8ClampedArray(width * height * 4);
  const draw = (): number => {
    const start = performance.now();
    renderUnitHeatmap(series, order, { min: -1, max: 1 }, COLORMAPS.blueWhiteRed, {
      data: pixels,
      width,
      height,
    });
    return performance.now() - start;
  };
  draw();
  const drawMs = Array.from({ length: 10 }, draw);
  const chromium = await measureBrowserRedraw({
    redraws: 20,
    warmups: 8,
    targetMs: REDRAW_TARGET_MS,
    log,
  });
  return {
    steps,
    units,
    pixels: [width, height],
    node: {
      what: 'renderUnitHeatmap alone in Node, into a pixel buffer (no canvas, no component)',
      ...spread(drawMs),
      ms: drawMs.map((ms) => round(ms, 1)),
    },
    chromium,
    load: { before: loadAtStart, after: machineLoad() },
  };
}
const redraw = runs('heatmap redraw') ? await heatmapRedraw() : null;

process.stdout.write(
  `${JSON.stringify(
    {
      bench: 'inside',
      backend: (await import('@tensorflow/tfjs')).getBackend(),
      rnnKernel: { implementation: kernel.implementation, reason: kernel.reason },
      reps,
      engines,
      traces: results,
      dynamicsSlider: slider,
      heatmapRedraw: redraw,
      load: { before: loadBefore, after: machineLoad() },
    },
    null,
    2,
  )}\n`,
);
await rm(workFolder, { recursive: true, force: true });
