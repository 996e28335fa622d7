/**
 * `npm run bench:rnn -- --quick` as CI runs it: the report's shape, and every figure a finite
 * positive number (speed itself is the bench's business, not a test's).
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { initTfBackend } from '../../src-main/domain/backend/tf-backend';
import { loadRnnNative } from '../../src-main/native/rnn-native';
import type { RnnBenchReport } from '../bench/rnn-report';
import { RNN_BENCH_MODELS, rnnBenchDefaults, rnnBenchReport } from '../bench/rnn-report';

const positive = (x: unknown): boolean => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('bench:rnn --quick', () => {
  let report: RnnBenchReport;
  const log: string[] = [];
  const native = loadRnnNative().addon !== null;

  beforeAll(async () => {
    await initTfBackend();
    report = await rnnBenchReport({
      ...rnnBenchDefaults(true),
      command: 'npm run bench:rnn -- --quick',
      log: (message) => log.push(message),
    });
  });

  it('covers every cell at every thread count, without PyTorch unless asked', () => {
    expect(report.quick).toBe(true);
    expect(report.settings).toMatchObject({ reps: 2, warmup: 1, steps: 2, threads: [1, 2] });
    expect(report.sideBySide.map((m) => m.id)).toEqual(RNN_BENCH_MODELS.map((m) => m.id));
    expect(report.pytorch).toEqual({ available: false, reason: 'a quick run without --torch' });
    expect(report.unfold.kernel).toBe(native ? 'native' : 'tfjs');
    expect(report.machine.loadBefore).toHaveLength(3);
    expect(report.machine.loadAfter).toHaveLength(3);
    expect(report.textWorkloads).toContain('npm run bench:text');
    for (const model of report.sideBySide) {
      for (const summary of [model.training, model.inference]) {
        expect(Object.keys(summary)).toEqual(['x1', 'x2']);
        for (const figures of Object.values(summary)) {
          expect(positive(figures.unfold), JSON.stringify(figures)).toBe(true);
          expect(figures).toMatchObject({ pytorch: null, ratio: null });
        }
      }
      // Streaming is for the unidirectional stacks only.
      if (model.id === 'b-bilstm') expect(model.streamingMsPerFrame).toBeNull();
      else
        for (const figures of Object.values(model.streamingMsPerFrame ?? {}))
          expect(positive(figures.unfold)).toBe(true);
    }
  });

  it('keeps every measurement, interleaved, with the load after it', () => {
    const sides = native ? ['unfold x1', 'unfold x2'] : ['unfold'];
    for (const model of report.models) {
      expect(model.sizes).toMatchObject({ units: 16, batch: 4, time: 10 });
      const parts = [
        model.training,
        model.inference,
        ...(model.streaming ? [model.streaming] : []),
      ];
      for (const part of parts) {
        expect(part.measurements.map((m) => `${String(m.rep)} ${String(m.side)}`)).toEqual([
          ...sides.map((side) => `1 ${side}`),
          ...sides.map((side) => `2 ${side}`),
        ]);
        for (const m of part.measurements) {
          expect(positive(m.framesPerSecond), JSON.stringify(m)).toBe(true);
          expect(m.batches).toBeGreaterThan(0);
          expect(typeof m.load1 === 'number' && Number.isFinite(m.load1)).toBe(true);
        }
      }
      if (native) expect(model.streaming?.unfoldPath ?? 'native session').toBe('native session');
    }
    expect(log.some((line) => line.startsWith('a-lstm train: rep 1: unfold'))).toBe(true);
  });
});
