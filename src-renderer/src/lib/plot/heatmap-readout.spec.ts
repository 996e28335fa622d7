import { describe, expect, it } from 'vitest';
import type { HeatmapMatrix } from './heatmap';
import { cellCanvasLayout, stripLayout } from './heatmap-hover';
import {
  heatmapReadoutAt,
  mfccReadout,
  posteriorReadout,
  spectrogramReadout,
} from './heatmap-readout';
import { melBandCentreHz } from './mel-scale';

/** 10 ms frames of 25 ms, as the feature extractor makes them. */
function matrix(frames: number, dims: number, values: number[]): HeatmapMatrix {
  return {
    data: Float32Array.from(values),
    frames,
    dims,
    frameShiftSeconds: 0.01,
    frameLengthSeconds: 0.025,
  };
}

describe('heatmap read-outs', () => {
  it('puts a mel band at the centre of its triangular filter', () => {
    // 80 bands over 20-8,000 Hz (the spectrogram's): the lowest peaks at 42.5 Hz, the highest at 7,736 Hz.
    expect(melBandCentreHz(0, 80, 20, 8000)).toBeCloseTo(42.494, 3);
    expect(melBandCentreHz(39, 80, 20, 8000)).toBeCloseTo(1764.596, 3);
    expect(melBandCentreHz(79, 80, 20, 8000)).toBeCloseTo(7736.434, 3);
  });

  it('reads a spectrogram as the band centre in Hz and dB below the top of its colour range', () => {
    // 2 frames x 80 bands of ln power; the colour range tops at ln power 10.
    const values = new Array<number>(160).fill(0);
    values[80 + 79] = 10;
    values[0] = 10 - 1.5 * Math.LN10; // 15 dB below the top
    const spectrogram = matrix(2, 80, values);
    const source = spectrogramReadout(
      spectrogram,
      stripLayout(spectrogram, 1000, 0, 160),
      { lowHz: 20, highHz: 8000 },
      { min: -6, max: 10 },
    );
    // Bottom left: frame 0, band 0.
    expect(heatmapReadoutAt(source, 0, 159)).toMatchObject({
      frame: 0,
      row: 0,
      rowLabel: '42 Hz',
      valueText: '\u221215.0 dB re peak',
      seconds: 0.0125,
    });
    // Top of the last frame (the strip is 20 px wide): the loudest band, 0 dB.
    expect(heatmapReadoutAt(source, 19.5, 0)).toMatchObject({
      frame: 1,
      row: 79,
      rowLabel: '7736 Hz',
      valueText: '0.0 dB re peak',
    });
    expect(heatmapReadoutAt(source, 20, 0)).toBeNull();
  });

  it('reads MFCCs as their coefficient and standard scores', () => {
    const mfcc = matrix(1, 13, [-1.234, ...new Array<number>(11).fill(0), 2.5]);
    const source = mfccReadout(mfcc, stripLayout(mfcc, 1000, 0, 104));
    expect(heatmapReadoutAt(source, 3, 103)).toMatchObject({
      rowLabel: 'c0',
      valueText: '\u22121.23 σ from mean',
    });
    expect(heatmapReadoutAt(source, 3, 0)).toMatchObject({
      rowLabel: 'c12',
      valueText: '2.50 σ from mean',
    });
  });

  it('reads a posteriorgram as the phone of the row and its probability', () => {
    // 2 frames of phones a, b on a 100 x 20 CSS px canvas at ratio 2; rows b above a.
    const posteriors = { data: Float32Array.of(0.18, 0.82, 0.6, 0.4), frames: 2, dims: 2 };
    const layout = cellCanvasLayout({
      cssWidth: 100,
      cssHeight: 20,
      ratio: 2,
      seconds: 0.02,
      firstCentreSeconds: 0.005,
      shiftSeconds: 0.01,
      order: [1, 0],
    });
    const source = posteriorReadout(posteriors, layout, ['a', 'b']);
    expect(heatmapReadoutAt(source, 10, 5)).toMatchObject({
      frame: 0,
      rowLabel: 'b',
      value: Math.fround(0.82),
      valueText: '0.82 probability',
      seconds: 0.005,
    });
    expect(heatmapReadoutAt(source, 99.9, 19.9)).toMatchObject({
      frame: 1,
      rowLabel: 'a',
      valueText: '0.60 probability',
    });
  });
});
