import { describe, expect, it } from 'vitest';
import { formatEta, ThroughputMemory, trainingPace } from './training-pace';

const started = '2026-01-01T00:00:00.000Z';
const t0 = Date.parse(started);

describe('trainingPace', () => {
  it("uses the engine's throughput and ETA while batches run", () => {
    const pace = trainingPace(
      {
        state: 'running',
        startedAt: started,
        progress: { fraction: 0.5, metrics: { framesPerSecond: 12345.6, etaSeconds: 42 } },
      },
      t0 + 10_000,
    );
    expect(pace).toEqual({ throughput: '12,346 frames/s', etaSeconds: 42 });
  });

  it('extrapolates from the fraction and elapsed time without an engine ETA', () => {
    const pace = trainingPace(
      { state: 'running', startedAt: started, progress: { fraction: 0.25 } },
      t0 + 30_000,
    );
    expect(pace).toEqual({ throughput: null, etaSeconds: 90 });
  });

  it('says nothing when too early, unknown, or not running', () => {
    const early = { state: 'running' as const, startedAt: started, progress: { fraction: 0.01 } };
    expect(trainingPace(early, t0 + 5000).etaSeconds).toBeNull();
    const unknown = { state: 'running' as const, startedAt: started, progress: { fraction: null } };
    expect(trainingPace(unknown, t0 + 5000).etaSeconds).toBeNull();
    const done = {
      state: 'succeeded' as const,
      startedAt: started,
      progress: { fraction: 1, metrics: { etaSeconds: 3 } },
    };
    expect(trainingPace(done, t0)).toEqual({ throughput: null, etaSeconds: null });
  });
});

describe('formatEta', () => {
  it('formats seconds, minutes and hours', () => {
    expect(formatEta(null)).toBe('—');
    expect(formatEta(44.6)).toBe('45 s');
    expect(formatEta(185)).toBe('3 min 05 s');
    expect(formatEta(3720)).toBe('1 h 02 min');
  });
});

describe('ThroughputMemory', () => {
  it("keeps a running job's last throughput through reports without one, and forgets it after", () => {
    const memory = new ThroughputMemory();
    const none = { throughput: null, etaSeconds: null };
    expect(memory.shown('a', none, true)).toBeNull();
    expect(memory.shown('a', { throughput: '1,200 frames/s', etaSeconds: 3 }, true)).toBe(
      '1,200 frames/s',
    );
    expect(memory.shown('a', none, true)).toBe('1,200 frames/s');
    expect(memory.shown('b', none, true)).toBeNull();
    expect(memory.shown('a', none, false)).toBeNull();
  });
});
