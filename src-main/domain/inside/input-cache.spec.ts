import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DynamicsOptions, InsideInput } from '../../api/inside';
import { initTfBackend } from '../backend/tf-backend';
import type { SequenceExample } from '../rnn/batching';
import { parseModelConfig } from '../rnn/model-config';
import { RnnModel } from '../rnn/rnn-model';
import { InputCache } from './input-cache';
import {
  inputDynamics,
  keptInputs,
  traceInput,
  type ExampleTracer,
  type InsideModel,
  type PreparedInput,
} from './inside-model';
import { layerDynamics } from './layer-dynamics';
import { traceExample } from './layer-traces';

/**
 * The dynamics slider asks again for every step: only the first request for an input prepares
 * and traces it (or none, after a trace of it), and the later ones run the free dynamics from
 * the kept states.
 */

let folder = '';

beforeAll(async () => {
  await initTfBackend();
  folder = await mkdtemp(join(tmpdir(), 'unfold-input-cache-'));
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

const FEATURES = 3;
const STEPS = 12;

function exampleOf(seed: number): SequenceExample {
  return {
    inputs: Float32Array.from({ length: STEPS * FEATURES }, (_, i) => Math.sin(0.7 * i + seed)),
    length: STEPS,
    target: 0,
  };
}

/** A small LSTM transducer opened as the Inside view opens one, with counting stand-ins. */
function countingModel(sourcesOf: (input: InsideInput) => string[] = () => []): {
  inside: InsideModel;
  prepared: string[];
  traced: number[];
  trace: ExampleTracer;
} {
  const model = new RnnModel(
    parseModelConfig({
      pattern: 'transducer',
      input: { kind: 'features', size: FEATURES },
      layers: [{ cell: 'lstm', units: 6 }],
      output: { size: 2 },
      seed: 3,
    }),
  );
  const prepared: string[] = [];
  const traced: number[] = [];
  const inside: InsideModel = {
    dir: '/experiments/tiny',
    name: 'tiny',
    task: 'phones',
    model,
    labels: ['a', 'b'],
    reads: 'audio',
    prepare: (input) => {
      const path = input.kind === 'wav' ? input.path : '';
      prepared.push(path);
      const result: PreparedInput = {
        example: exampleOf(path.length),
        axis: { kind: 'frames', frameShiftSeconds: 0.01 },
        features: null,
        sources: sourcesOf(input),
      };
      return Promise.resolve(result);
    },
    inputs: keptInputs(),
    dispose: () => model.dispose(),
  };
  const trace: ExampleTracer = (...args) => {
    traced.push(args[1].length);
    return traceExample(...args);
  };
  return { inside, prepared, traced, trace };
}

const resolveCorpus = (name: string): Promise<string> => Promise.resolve(name);
const LAYER = 'encoder/layer0/fw';

function slider(scale: number, startStep: number | null = 7): DynamicsOptions {
  return { layer: LAYER, startStep, drive: { kind: 'zero' }, scale, steps: 40 };
}

describe('the dynamics of a kept input', () => {
  it('traces once: a second request with another scale runs the free dynamics alone', async () => {
    const { inside, prepared, traced, trace } = countingModel();
    const input: InsideInput = { kind: 'wav', path: '/data/one.wav' };
    const first = await inputDynamics(inside, input, { ...slider(1), resolveCorpus, trace });
    const second = await inputDynamics(inside, input, { ...slider(0.6), resolveCorpus, trace });
    expect(prepared).toEqual(['/data/one.wav']);
    expect(traced).toEqual([STEPS]);
    // The right trajectory: the layer run from its traced state after step 7, weights x 0.6.
    const { layers } = traceExample(inside.model, exampleOf('/data/one.wav'.length), null);
    const expected = layerDynamics(inside.model, layers, slider(0.6));
    expect(second.scale).toBe(0.6);
    expect(Array.from(second.points)).toEqual(Array.from(expected.points));
    expect(Array.from(second.norms)).toEqual(Array.from(expected.norms));
    expect(second.behaviour).toEqual(expected.behaviour);
    expect(Array.from(first.norms)).toEqual(
      Array.from(layerDynamics(inside.model, layers, slider(1)).norms),
    );
    expect(Array.from(first.norms)).not.toEqual(Array.from(second.norms));
    inside.dispose();
  });

  it('traces none after a trace of the same input, and none to start from zeros', async () => {
    const { inside, prepared, traced, trace } = countingModel();
    const input: InsideInput = { kind: 'wav', path: '/data/two.wav' };
    const shown = await traceInput(inside, input, { resolveCorpus, trace, outputStep: 3 });
    expect(shown.layers[0]?.series.map((s) => s.name)).toContain('forget');
    await inputDynamics(inside, input, { ...slider(2), resolveCorpus, trace });
    const fromZeros = await inputDynamics(
      inside,
      { kind: 'wav', path: '/data/three.wav' },
      {
        ...slider(2, null),
        resolveCorpus,
        trace,
      },
    );
    expect(traced).toEqual([STEPS]);
    expect(prepared).toEqual(['/data/two.wav', '/data/three.wav']);
    expect(Array.from(fromZeros.norms)).toEqual(
      Array.from(layerDynamics(inside.model, null, slider(2, null)).norms),
    );
    inside.dispose();
  });

  it('prepares and traces again when the audio file has changed', async () => {
    const wav = join(folder, 'changing.wav');
    await writeFile(wav, 'first take');
    const { inside, prepared, traced, trace } = countingModel(() => [wav]);
    const input: InsideInput = { kind: 'wav', path: wav };
    await inputDynamics(inside, input, { ...slider(1), resolveCorpus, trace });
    await inputDynamics(inside, input, { ...slider(1.5), resolveCorpus, trace });
    await writeFile(wav, 'a longer second take');
    await inputDynamics(inside, input, { ...slider(1.5), resolveCorpus, trace });
    expect(prepared).toEqual([wav, wav]);
    expect(traced).toEqual([STEPS, STEPS]);
    inside.dispose();
  });
});

describe('the input cache', () => {
  it('keeps the last few inputs, dropping the least recently used', async () => {
    const cache = new InputCache<string>({ sourcesOf: () => [], capacity: 2 });
    const made: string[] = [];
    const get = (key: string): Promise<string> =>
      cache.get(key, () => {
        made.push(key);
        return Promise.resolve(`value of ${key}`);
      });
    expect(await get('a')).toBe('value of a');
    await get('b');
    await get('a'); // a is now the most recent: b goes first
    await get('c');
    await get('a');
    await get('b');
    expect(made).toEqual(['a', 'b', 'c', 'b']);
    expect(cache.size).toBe(2);
  });

  it('keeps no failed make: the next request tries again', async () => {
    const cache = new InputCache<string>({ sourcesOf: () => [] });
    await expect(cache.get('a', () => Promise.reject(new Error('no such file')))).rejects.toThrow(
      'no such file',
    );
    expect(await cache.get('a', () => Promise.resolve('read'))).toBe('read');
  });

  it('shares one make between requests that arrive together', async () => {
    const cache = new InputCache<number>({ sourcesOf: () => [] });
    let makes = 0;
    const make = async (): Promise<number> => {
      makes++;
      await new Promise((resolve) => setTimeout(resolve, 5));
      return 42;
    };
    expect(await Promise.all([cache.get('a', make), cache.get('a', make)])).toEqual([42, 42]);
    expect(makes).toBe(1);
  });
});
