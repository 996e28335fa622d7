import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { NativeDims, RnnNativeAddon } from './rnn-native';
import { loadRnnNative } from './rnn-native';
import { chooseThreads } from './thread-calibration';

/**
 * The kernel at 2 threads while a busy loop takes the other core returns exactly the 1-thread
 * numbers (its helper thread may get no CPU at all; the calling thread then does the helper's
 * pieces). Speed is for `npm run bench:rnn-threads -- --busy`, not for this test.
 */

const load = loadRnnNative();
const addon = load.addon;
if (!addon) console.warn(`native thread tests skipped: ${load.reason}`);

// 16 sequences of 100 steps: 4 chunks of 32 steps, so both threads share every call.
const [T, B, I, N] = [100, 16, 5, 24];

function values(count: number, seed: number): Float32Array {
  return Float32Array.from({ length: count }, (_, i) => 0.3 * Math.sin(seed * 7.1 + i * 0.37));
}

/** The first index where a and b differ (bits, lengths), or -1. */
function firstDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Math.min(a.length, b.length);
  const x = new Uint32Array(a.buffer, a.byteOffset, a.length);
  const y = new Uint32Array(b.buffer, b.byteOffset, b.length);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return i;
  return -1;
}

/** Forward + backward of every cell family, every output array concatenated in order. */
function allOutputs(native: RnnNativeAddon): Float32Array[] {
  const out: Float32Array[] = [];
  const x = values(T * B * I, 1);
  const h0 = values(B * N, 2);
  const dOut = values(T * B * N, 3);
  const mask = Float32Array.from({ length: T * B }, (_, i) =>
    Math.floor(i / B) < T - (i % B) ? 1 : 0,
  );
  for (const [family, blocks] of [
    ['lstm', 4],
    ['gru', 3],
    ['elman', 1],
  ] as const) {
    const dims: NativeDims = [T, B, I, N, N, 4];
    const w = values(I * blocks * N, 4);
    const u = values(N * blocks * N, 5);
    const b = values(blocks * N, 6);
    if (family === 'lstm') {
      const cache = native.lstmForward(dims, [x, w, u, b, null, null, h0, h0, mask]);
      out.push(...cache);
      out.push(...native.lstmBackward(dims, [x, w, u, b, null, null, mask, dOut, null, ...cache]));
    } else {
      const forward = family === 'gru' ? native.gruForward : native.elmanForward;
      const backward = family === 'gru' ? native.gruBackward : native.elmanBackward;
      const cache = forward.call(native, dims, [x, w, u, b, h0, mask]);
      out.push(...cache);
      out.push(...backward.call(native, dims, [x, w, u, mask, dOut, ...cache]));
    }
  }
  return out;
}

describe.runIf(addon)('the native kernel with one core busy', () => {
  const native = addon!;
  let busy: ChildProcess | null = null;
  const before = native.info().parallel;

  beforeAll(async () => {
    busy = spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' });
    await new Promise((resolve) => setTimeout(resolve, 200));
  });

  afterAll(() => {
    native.setParallel(before);
    busy?.kill();
  });

  it('gives at 2 threads bit for bit the 1-thread results of every cell, forward and backward', () => {
    native.setParallel(1);
    const one = allOutputs(native);
    native.setParallel(2);
    for (let run = 0; run < 3; run++) {
      const two = allOutputs(native);
      expect(two.length).toBe(one.length);
      two.forEach((array, k) => expect(firstDifference(array, one[k] as Float32Array)).toBe(-1));
    }
  });
});

describe.runIf(addon)('choosing the thread count', () => {
  const native = addon!;
  const scratch = mkdtempSync(join(tmpdir(), 'unfold-threads-'));
  afterAll(() => rmSync(scratch, { recursive: true, force: true }));

  it('takes UNFOLD_RNN_THREADS over any measurement', () => {
    const file = join(scratch, 'unused.json');
    expect(chooseThreads(native, { UNFOLD_RNN_THREADS: '1' }, file)).toEqual({
      parallel: 1,
      chosenBy: 'UNFOLD_RNN_THREADS=1',
    });
    expect(() => readFileSync(file)).toThrow();
  });

  it('measures once, caches the choice and reuses it', () => {
    const file = join(scratch, 'config', 'native-threads.json');
    const first = chooseThreads(native, { UNFOLD_RNN_THREADS: 'measure' }, file);
    expect([1, 2]).toContain(first.parallel);
    expect(first.chosenBy).toMatch(/^measured now/);
    const cached = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    expect(cached).toMatchObject({ parallel: first.parallel });
    expect(cached.msOneThread).toBeGreaterThan(0);
    const again = chooseThreads(native, {}, file);
    expect(again.parallel).toBe(first.parallel);
    expect(again.chosenBy).toContain(file);
  });
});
