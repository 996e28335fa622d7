/**
 * Kaldi's mel filter bank (mel-computations.cc), which torchaudio.compliance.kaldi copies:
 * - mel(f) = 1127 ln(1 + f / 700)  (the natural-log form of 2595 log10(1 + f / 700));
 * - band edges equally spaced in mel between lowFreq and highFreq, band b spanning edges
 *   b .. b+2;
 * - the triangles are linear in mel (not in Hz) and are evaluated at the FFT bin
 *   frequencies k * sampleRate / fftSize for k < fftSize / 2 (the Nyquist bin gets no weight);
 * - no area normalisation: every triangle peaks at 1.
 * meyda instead builds triangles linear in Hz between floor()-ed bin indices; we keep Kaldi's
 * so our features match Kaldi-trained systems.
 */
export function melScale(frequency: number): number {
  return 1127 * Math.log(1 + frequency / 700);
}

export function inverseMelScale(mel: number): number {
  return 700 * (Math.exp(mel / 1127) - 1);
}

/** A sparse filter bank: band b covers bins firstBin[b] .. firstBin[b] + width[b] - 1. */
export interface MelFilterBank {
  bands: number;
  firstBin: Int32Array;
  width: Int32Array;
  /** Start of band b's weights in `weights`. */
  offset: Int32Array;
  weights: Float64Array;
  /** Centre frequency of each band in Hz. */
  centerHz: Float64Array;
}

export function createMelFilterBank(
  bands: number,
  fftSize: number,
  sampleRate: number,
  lowFreq: number,
  highFreq: number,
): MelFilterBank {
  const nyquist = sampleRate / 2;
  const high = highFreq > 0 ? highFreq : nyquist + highFreq;
  const melLow = melScale(lowFreq);
  const melDelta = (melScale(high) - melLow) / (bands + 1);
  const binCount = fftSize / 2;
  const binWidth = sampleRate / fftSize;
  const firstBin = new Int32Array(bands);
  const width = new Int32Array(bands);
  const offset = new Int32Array(bands);
  const centerHz = new Float64Array(bands);
  const allWeights: number[] = [];
  for (let b = 0; b < bands; b++) {
    const left = melLow + b * melDelta;
    const center = left + melDelta;
    const right = center + melDelta;
    centerHz[b] = inverseMelScale(center);
    let first = -1;
    const bandWeights: number[] = [];
    for (let k = 0; k < binCount; k++) {
      const mel = melScale(binWidth * k);
      if (mel > left && mel < right) {
        if (first < 0) first = k;
        bandWeights.push(
          mel <= center ? (mel - left) / (center - left) : (right - mel) / (right - center),
        );
      }
    }
    firstBin[b] = Math.max(first, 0);
    width[b] = bandWeights.length;
    offset[b] = allWeights.length;
    allWeights.push(...bandWeights);
  }
  return { bands, firstBin, width, offset, weights: Float64Array.from(allWeights), centerHz };
}
