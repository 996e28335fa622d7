import { describe, expect, it } from 'vitest';
import { LevelMeter } from './level-meter';
import { EnergyVad } from './vad';

function tone(samples: number, amplitude: number): Int16Array {
  return Int16Array.from({ length: samples }, (_, i) => Math.round(amplitude * Math.sin(i / 3)));
}

describe('EnergyVad', () => {
  it('marks a word between silences, backdated to its first loud frame, with hangover', () => {
    const vad = new EnergyVad(16_000, { hangoverMs: 200 });
    const events = [
      ...vad.push(new Int16Array(8000)), // 0.5 s silence
      ...vad.push(tone(4800, 10_000)), // 0.3 s word
      ...vad.push(new Int16Array(1600)), // 0.1 s gap: shorter than the hangover
      ...vad.push(tone(1600, 10_000)), // 0.1 s more word
      ...vad.push(new Int16Array(8000)),
    ];
    expect(events).toEqual([
      { type: 'speechStart', timeSeconds: 0.5, decidedAtSeconds: 0.53 },
      { type: 'speechEnd', startSeconds: 0.5, endSeconds: 1, decidedAtSeconds: 1.2 },
    ]);
  });

  it('ignores a click shorter than startFrames and closes an open segment on flush', () => {
    const vad = new EnergyVad(16_000);
    expect(
      vad.push(
        Int16Array.of(...new Array(160).fill(0), ...tone(320, 20_000), ...new Array(1600).fill(0)),
      ),
    ).toEqual([]);
    expect(vad.push(tone(1600, 10_000))[0]?.type).toBe('speechStart');
    expect(vad.flush()).toEqual([
      { type: 'speechEnd', startSeconds: 0.13, endSeconds: 0.23, decidedAtSeconds: 0.23 },
    ]);
  });
});

describe('LevelMeter', () => {
  it('reports RMS and peak in dBFS per 50 ms block and flags clipping', () => {
    const meter = new LevelMeter(16_000);
    const square = Int16Array.from({ length: 800 }, (_, i) => (i % 2 ? 16_384 : -16_384));
    const [half] = meter.push(square);
    expect(half?.rmsDbfs).toBeCloseTo(-6.02, 2);
    expect(half?.peakDbfs).toBeCloseTo(-6.02, 2);
    expect(half?.clipped).toBe(false);
    expect(half?.timeSeconds).toBe(0.05);
    const clipped = new Int16Array(800);
    clipped[10] = 32_767;
    const [reading] = meter.push(clipped);
    expect(reading?.clipped).toBe(true);
    const [silent] = meter.push(new Int16Array(800));
    expect(silent?.rmsDbfs).toBe(-Infinity);
  });
});
