import { describe, expect, it } from 'vitest';
import { RealPowerSpectrum } from './real-fft';
import { noise } from './testing/signals';

/** |X_k|^2 by the definition, in float64. */
function naivePower(frame: Float64Array): Float64Array {
  const n = frame.length;
  const power = new Float64Array(n / 2 + 1);
  for (let k = 0; k <= n / 2; k++) {
    let re = 0;
    let im = 0;
    for (let t = 0; t < n; t++) {
      re += (frame[t] as number) * Math.cos((2 * Math.PI * k * t) / n);
      im -= (frame[t] as number) * Math.sin((2 * Math.PI * k * t) / n);
    }
    power[k] = re * re + im * im;
  }
  return power;
}

describe('RealPowerSpectrum', () => {
  // 4 and 8: the smallest sizes; 16 and 256: radix-2 first stage (log2(N/2) odd); 512, 2048: not.
  it.each([4, 8, 16, 64, 256, 512, 2048])('equals the DFT definition at N = %i', (size) => {
    const frame = new Float64Array(size);
    // Zero padding as the front end has it: a frame of 78% of the size, then zeros.
    frame.set(Float64Array.from(noise(Math.ceil(size * 0.78), 3000, size)));
    const power = new Float64Array(size / 2 + 1);
    new RealPowerSpectrum(size).compute(frame, power);
    const expected = naivePower(frame);
    const peak = Math.max(...expected);
    for (let k = 0; k <= size / 2; k++)
      expect(Math.abs((power[k] as number) - (expected[k] as number))).toBeLessThan(peak * 1e-12);
  });

  it('puts a cosine at bin k into bin k only', () => {
    const size = 512;
    const frame = Float64Array.from({ length: size }, (_, t) =>
      Math.cos((2 * Math.PI * 37 * t) / size),
    );
    const power = new Float64Array(size / 2 + 1);
    new RealPowerSpectrum(size).compute(frame, power);
    expect(power[37]).toBeCloseTo((size / 2) ** 2, 6);
    power[37] = 0;
    expect(Math.max(...power)).toBeLessThan(1e-12);
  });

  it('rejects a size that is not a power of two', () => {
    expect(() => new RealPowerSpectrum(400)).toThrow(/power of two/);
  });
});
