import { describe, expect, it } from 'vitest';
import { formatConfigJson } from './config-json';

describe('formatConfigJson', () => {
  it('keeps arrays of plain values on one line and stays valid JSON', () => {
    const value = {
      data: { train: { splits: ['train', 'a, b'], speakers: [] }, dev: null },
      layers: [{ cell: 'lstm', units: 8 }],
      numbers: [1, -2.5e-3, true, null],
    };
    const text = formatConfigJson(value);
    expect(text).toContain('"splits": ["train", "a, b"]');
    expect(text).toContain('"numbers": [1, -0.0025, true, null]');
    // Arrays of objects keep one object per block.
    expect(text).toContain('"layers": [\n    {\n      "cell": "lstm"');
    expect(JSON.parse(text)).toEqual(value);
  });
});
