import { describe, expect, it } from 'vitest';
import { addMetrics, batchesFromMessage, emptyHistory, historyFromLog } from './history';

describe('addMetrics', () => {
  it('places batch points inside their epoch and epoch points at the epoch', () => {
    let h = emptyHistory();
    h = addMetrics(h, { epoch: 1, batch: 1, loss: 2, accuracy: 0.1 }, 4);
    h = addMetrics(h, { epoch: 2, batch: 2, loss: 1.5, accuracy: 0.3 }, 4);
    h = addMetrics(h, { epoch: 1, loss: 1.8, accuracy: 0.2, devLoss: 1.9, devAccuracy: 0.15 });
    expect(h.batchLoss).toEqual([
      { x: 0.25, y: 2 },
      { x: 1.5, y: 1.5 },
    ]);
    expect(h.epochAccuracy).toEqual([{ x: 1, y: 0.2 }]);
    expect(h.devLoss).toEqual([{ x: 1, y: 1.9 }]);
  });

  it('keeps the learning rate of batch reports and epoch records, once per x', () => {
    let h = emptyHistory();
    h = addMetrics(h, { epoch: 1, batch: 1, loss: 2, learningRate: 0.01 }, 2);
    h = addMetrics(h, { epoch: 1, batch: 2, loss: 2, learningRate: 0.01 }, 2);
    h = addMetrics(h, { epoch: 1, loss: 1.8, learningRate: 0.01 });
    h = addMetrics(h, { epoch: 2, loss: 1.5, learningRate: 0.005 });
    expect(h.learningRate).toEqual([
      { x: 0.5, y: 0.01 },
      { x: 1, y: 0.01 },
      { x: 2, y: 0.005 },
    ]);
  });

  it('ignores repeated reports and reports without an epoch', () => {
    const once = addMetrics(emptyHistory(), { epoch: 1, loss: 1, accuracy: 0.5 });
    expect(addMetrics(once, { epoch: 1, loss: 1, accuracy: 0.5 })).toBe(once);
    expect(addMetrics(once, { loss: 3 })).toBe(once);
  });
});

describe('historyFromLog', () => {
  it('takes the epoch lines only', () => {
    const h = historyFromLog([
      { type: 'start', time: 't' },
      { type: 'epoch', time: 't', epoch: 1, loss: 2, accuracy: 0.4, devAccuracy: null },
      {
        type: 'epoch',
        time: 't',
        epoch: 2,
        loss: 1,
        accuracy: 0.6,
        devAccuracy: 0.5,
        learningRate: 0.1,
      },
      { type: 'end', time: 't' },
    ]);
    expect(h.epochLoss.map((p) => p.y)).toEqual([2, 1]);
    expect(h.devAccuracy).toEqual([{ x: 2, y: 0.5 }]);
    expect(h.learningRate).toEqual([{ x: 2, y: 0.1 }]);
  });
});

describe('batchesFromMessage', () => {
  it('reads the batch count of an epoch', () => {
    expect(batchesFromMessage('epoch 1/3, batch 2/5')).toBe(5);
    expect(batchesFromMessage('epoch 1/3 done')).toBeNull();
  });
});
