import { describe, expect, it } from 'vitest';
import { samplingSettings } from './sampling-settings';

const fields = { units: 20, temperature: 0.8, topK: 10, topP: 0.9, seed: 7 };

describe('the generation settings', () => {
  it('passes what is filled in, and fills what is empty', () => {
    expect(samplingSettings(fields, 40)).toEqual({ ok: true, value: fields });
    expect(
      samplingSettings(
        { units: null, temperature: 0, topK: null, topP: undefined, seed: null },
        40,
      ),
    ).toEqual({ ok: true, value: { units: 40, temperature: 0, topK: null, topP: null, seed: 1 } });
  });

  it('names the field that is wrong', () => {
    const wrong = (change: Partial<typeof fields> | Record<string, null>): string => {
      const check = samplingSettings({ ...fields, ...change }, 40);
      return check.ok ? 'ok' : check.error;
    };
    expect(wrong({ units: 0 })).toMatch(/How many/);
    expect(wrong({ units: 1001 })).toMatch(/1,000/);
    expect(wrong({ temperature: -0.1 })).toMatch(/temperature/);
    expect(wrong({ temperature: null })).toMatch(/temperature/);
    expect(wrong({ topK: 2.5 })).toMatch(/Top-k/);
    expect(wrong({ topP: 0 })).toMatch(/Top-p/);
    expect(wrong({ topP: 1.5 })).toMatch(/Top-p/);
    expect(wrong({ seed: -1 })).toMatch(/seed/);
  });
});
