import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { loadRnnNative, loadRnnNativeFrom } from './rnn-native';

const scratch = mkdtempSync(join(tmpdir(), 'unfold-rnn-native-'));
afterAll(() => rmSync(scratch, { recursive: true, force: true }));

describe('loading the native RNN kernel', () => {
  it('returns null with a reason when the addon was not built', () => {
    const load = loadRnnNativeFrom([join(scratch, 'missing.node')], { parallel: 1, blas: 1 });
    expect(load.addon).toBeNull();
    expect(load.reason).toMatch(/^not built/);
  });

  it('returns null with a reason when the file is not a loadable addon (e.g. wrong platform)', () => {
    const bogus = join(scratch, 'bogus.node');
    writeFileSync(bogus, 'not an ELF file');
    const load = loadRnnNativeFrom([bogus], { parallel: 1, blas: 1 });
    expect(load.addon).toBeNull();
    expect(load.reason).toMatch(/^failed to load .*bogus\.node/);
  });

  const built = loadRnnNative();
  it.skipIf(!built.addon)('loads the built addon with its BLAS threads set', () => {
    expect(built.reason).toBeNull();
    expect(built.threads).toBeGreaterThanOrEqual(1);
    expect(built.addon?.info().blas).toMatch(/OpenBLAS/);
    expect(built.addon?.setParallel(1)).toBe(1);
    expect(built.addon?.setParallel(built.threads)).toBe(built.threads);
    expect(built.addon?.info().parallel).toBe(built.threads);
  });
});

describe.runIf(loadRnnNative().addon)('the native character CNN at its boundary', () => {
  const addon = loadRnnNative().addon!;
  // 1 token of 3 positions "a b _" over a 3-row table, emb 1, 1 filter, width 2.
  const table = Float32Array.from([0.5, 1, 2]); // id 0 (padding) embeds as 0.5
  const kernel = Float32Array.from([1, -1]);
  const bias = Float32Array.from([0]);
  const dims: [number, number, number, number, number, number] = [1, 3, 3, 1, 1, 2];

  it('takes the first positive window max and routes its gradient there', () => {
    // windows: p0 = (1, 2) -> 1 - 2 = -1; p1 = (2, 0) -> 2 - 0.5 = 1.5; p2 is padding.
    const [features, best] = addon.charCnnForward(
      dims,
      Int32Array.from([1, 2, 0]),
      table,
      kernel,
      bias,
    );
    expect(Array.from(features)).toEqual([1.5]);
    expect(Array.from(best)).toEqual([1]);
    const [dTable, dKernel, dBias] = addon.charCnnBackward(
      dims,
      Int32Array.from([1, 2, 0]),
      table,
      kernel,
      best,
      Float32Array.from([2]),
    );
    expect(Array.from(dBias)).toEqual([2]);
    expect(Array.from(dKernel)).toEqual([4, 1]); // 2 * (emb of 2, emb of 0)
    expect(Array.from(dTable)).toEqual([-2, 0, 2]); // 2 * kernel row of each char's slot
  });

  it('routes the gradient of long sequences by their winning windows alone, as the dense products do', () => {
    // One sequence of 12 rows has 12 windows: at 8 or more per sequence the backward sums over
    // the winners; with three empty sequences beside it (3 per sequence) it multiplies densely.
    const [vocab, emb, filters, width, positions] = [13, 4, 5, 3, 12];
    const values = (n: number, scale: number): Float32Array =>
      Float32Array.from({ length: n }, (_, k) => Math.sin(k * 1.7 + scale) * scale);
    const rows = values(vocab * emb, 1);
    rows.fill(0, 0, emb); // row 0: the padding
    const filterBank = values(width * emb * filters, 0.5);
    const noBias = new Float32Array(filters);
    const one = Int32Array.from({ length: positions }, (_, p) => 1 + p);
    const withEmpty = new Int32Array(4 * positions);
    withEmpty.set(one, 2 * positions);
    const gradientsOf = (ids: Int32Array, tokens: number, dyOf: (f: number) => number) => {
      const shape: [number, number, number, number, number, number] = [
        tokens,
        positions,
        vocab,
        emb,
        filters,
        width,
      ];
      const [, best] = addon.charCnnForward(shape, ids, rows, filterBank, noBias);
      const dy = new Float32Array(tokens * filters);
      for (let t = 0; t < tokens; t++)
        for (let f = 0; f < filters; f++) dy[t * filters + f] = dyOf(f);
      return { best, grads: addon.charCnnBackward(shape, ids, rows, filterBank, best, dy) };
    };
    const sparse = gradientsOf(one, 1, (f) => f - 1.5);
    const dense = gradientsOf(withEmpty, 4, (f) => f - 1.5);
    expect(Array.from(sparse.best).some((p) => p > 0)).toBe(true);
    expect(Array.from(dense.best.subarray(2 * filters, 3 * filters))).toEqual(
      Array.from(sparse.best),
    );
    for (let i = 0; i < 3; i++) {
      const [a, b] = [sparse.grads[i] as Float32Array, dense.grads[i] as Float32Array];
      expect(a.length).toBe(b.length);
      expect(Array.from(a).some((v) => v !== 0)).toBe(true);
      for (let n = 0; n < a.length; n++) expect(a[n]).toBeCloseTo(b[n] as number, 5);
    }
  });

  it('adds the table gradient into a given array and returns that array', () => {
    const ids = Int32Array.from([1, 2, 0]);
    const [, best] = addon.charCnnForward(dims, ids, table, kernel, bias);
    const backward = (into: Float32Array) =>
      addon.charCnnBackward(dims, ids, table, kernel, best, Float32Array.from([2]), into);
    const into = Float32Array.from([10, 20, 30]);
    const [dTable] = backward(into);
    expect(dTable).toBe(into);
    expect(Array.from(into)).toEqual([8, 20, 32]); // + (-2, 0, 2)
    expect(() => backward(new Float32Array(2))).toThrow(/dTableInto: expected 3 elements, got 2/);
  });

  it('gives zeros and no position to a token without chars or with only negative windows', () => {
    const [features, best] = addon.charCnnForward(
      [2, 3, 3, 1, 1, 2],
      Int32Array.from([0, 0, 0, 1, 2, 0]),
      table,
      kernel,
      Float32Array.from([-5]),
    );
    expect(Array.from(features)).toEqual([0, 0]);
    expect(Array.from(best)).toEqual([-1, -1]);
  });

  it('rejects an id outside the table, wrong lengths and a best position on padding', () => {
    expect(() =>
      addon.charCnnForward(dims, Int32Array.from([1, 3, 0]), table, kernel, bias),
    ).toThrow(/id 3 at position 1 is outside the table of 3 rows/);
    expect(() => addon.charCnnForward(dims, Int32Array.from([1, 2]), table, kernel, bias)).toThrow(
      /ids: expected 3 elements, got 2/,
    );
    expect(() =>
      addon.charCnnForward(dims, Int32Array.from([1, 2, 0]), table, Float32Array.from([1]), bias),
    ).toThrow(/kernel: expected 2 elements, got 1/);
    expect(() =>
      addon.charCnnBackward(
        dims,
        Int32Array.from([1, 2, 0]),
        table,
        kernel,
        Int32Array.from([2]),
        Float32Array.from([1]),
      ),
    ).toThrow(/best: entry 0 is not a window of a real char/);
  });
});

describe.runIf(loadRnnNative().addon)('the native optimizer step at its boundary', () => {
  const addon = loadRnnNative().addon!;
  const hyper = Float64Array.of(0.1, 0.9, 0.999, 1e-7, 0);

  it('updates the weights and slots in place by the kind’s rule', () => {
    const w = Float32Array.of(1, -1);
    const velocity = Float32Array.of(0.5, 0);
    addon.optimizerStep(1, hyper, w, velocity, null, Float32Array.of(1, 2));
    // momentum: v = 0.9 v + g = (1.45, 2); w -= 0.1 v
    expect(Array.from(velocity)).toEqual([expect.closeTo(1.45, 6), 2]);
    expect(Array.from(w)).toEqual([expect.closeTo(0.855, 6), expect.closeTo(-1.2, 6)]);
    const plain = Float32Array.of(1);
    addon.optimizerStep(
      0,
      Float64Array.of(0.5, 0, 0, 0, 0.2),
      plain,
      null,
      null,
      Float32Array.of(2),
    );
    expect(plain[0]).toBeCloseTo(1 - 0.5 * (2 + 0.2 * 1), 6); // weight decay joins the gradient
  });

  it('updates only the given rows with ids, and refuses an id outside the rows', () => {
    const w = Float32Array.of(1, 1, 2, 2, 3, 3); // 3 rows of 2
    const sgd = Float64Array.of(0.5, 0, 0, 0, 0);
    addon.optimizerStep(0, sgd, w, null, null, Float32Array.of(2, 4), Int32Array.of(1));
    expect(Array.from(w)).toEqual([1, 1, 1, 0, 3, 3]);
    expect(() =>
      addon.optimizerStep(0, sgd, w, null, null, Float32Array.of(2, 4), Int32Array.of(3)),
    ).toThrow(/id 3 at position 0 is outside the 3 rows/);
    expect(() =>
      addon.optimizerStep(0, sgd, w, null, null, Float32Array.of(2, 4, 5), Int32Array.of(0, 1)),
    ).toThrow(/g: expected ids x dim elements, got 3/);
  });

  it('refuses a missing slot, another length and an unknown kind', () => {
    const w = new Float32Array(3);
    const g = new Float32Array(3);
    expect(() => addon.optimizerStep(4, hyper, w, new Float32Array(3), null, g)).toThrow(
      /a slot this kind updates is missing/,
    );
    expect(() => addon.optimizerStep(3, hyper, w, new Float32Array(2), null, g)).toThrow(
      /s1: expected 3 elements, got 2/,
    );
    expect(() => addon.optimizerStep(0, hyper, w, null, null, new Float32Array(4))).toThrow(
      /g: expected 3 elements, got 4/,
    );
    expect(() => addon.optimizerStep(7, hyper, w, null, null, g)).toThrow(/kind must be 0/);
  });
});
