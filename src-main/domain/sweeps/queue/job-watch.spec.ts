import { describe, expect, it } from 'vitest';
import type { RunOrder } from '../run-sweep';
import { jobEnd } from './job-watch';
import { runEndError } from './queue-executor';

describe("a queued job's end as read from Redis", () => {
  it('is still on its way while waiting, delayed (a retry), prioritized or active', () => {
    for (const state of [
      'waiting',
      'delayed',
      'prioritized',
      'active',
      'waiting-children',
    ] as const)
      expect(jobEnd({ state, failedReason: '' })).toBeNull();
  });

  it('is finished when completed, failed with its reason when failed', () => {
    expect(jobEnd({ state: 'completed' })).toEqual({ kind: 'completed' });
    expect(jobEnd({ state: 'failed', failedReason: 'out of memory' })).toEqual({
      kind: 'failed',
      reason: 'out of memory',
    });
    expect(jobEnd({ state: 'failed', failedReason: '' })).toEqual({
      kind: 'failed',
      reason: 'no reason given',
    });
  });

  it('is lost when the job is gone, or in none of the lists', () => {
    expect(jobEnd(undefined)).toEqual({ kind: 'lost' });
    expect(jobEnd({ state: 'unknown' })).toEqual({ kind: 'lost' });
  });
});

describe("a queued run's error", () => {
  const order: RunOrder = {
    sweep: 'cells',
    index: 7,
    experiment: 'cells-07',
    config: {} as RunOrder['config'],
    mode: 'train',
  };

  it('is none when the job completed', () => {
    expect(runEndError(order, { kind: 'completed' }, 3)).toBeNull();
  });

  it("carries a failed job's reason", () => {
    const error = runEndError(order, { kind: 'failed', reason: 'bad bundle' }, 3);
    expect(error?.code).toBe('SWEEP_RUN_FAILED');
    expect(error?.message).toBe('Run 7 (cells-07) failed after 3 attempts at most: bad bundle');
  });

  it('says that the queue lost the run and how to continue it', () => {
    const error = runEndError(order, { kind: 'lost' }, 3);
    expect(error?.code).toBe('SWEEP_RUN_LOST');
    expect(error?.message).toContain('The queue lost run 7 (cells-07)');
    expect(error?.message).toContain('Redis restarted without its data?');
    expect(error?.message).toContain('`unfold sweep --out cells --resume`');
  });
});
