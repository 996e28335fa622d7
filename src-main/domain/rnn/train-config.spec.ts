import { describe, expect, it } from 'vitest';
import { TrainConfigSchema } from './train-config';

const base = { epochs: 5, batchSize: 4, optimizer: { kind: 'adam', learningRate: 0.01 } };

describe('TrainConfigSchema', () => {
  it('takes a multistep schedule with milestones in increasing order, and refuses others', () => {
    const schedule = { kind: 'multistep', milestones: [2, 4], factor: 0.5 };
    expect(TrainConfigSchema.parse({ ...base, schedule }).schedule).toEqual(schedule);
    for (const milestones of [[4, 2], [2, 2], [], [0]]) {
      const parsed = TrainConfigSchema.safeParse({
        ...base,
        schedule: { ...schedule, milestones },
      });
      expect(parsed.success).toBe(false);
    }
    const unordered = TrainConfigSchema.safeParse({
      ...base,
      schedule: { ...schedule, milestones: [4, 2] },
    });
    expect(unordered.error?.issues[0]?.message).toBe(
      'milestones must be epochs in increasing order',
    );
  });

  it('takes a label smoothing from 0 to 0.5', () => {
    expect(TrainConfigSchema.parse({ ...base, labelSmoothing: 0.1 }).labelSmoothing).toBe(0.1);
    expect(TrainConfigSchema.safeParse({ ...base, labelSmoothing: 0.6 }).success).toBe(false);
  });
});
