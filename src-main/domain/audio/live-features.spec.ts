import { describe, expect, it } from 'vitest';
import { extractFeatures } from './feature-extractor';
import { streamFeaturesFromRecorder } from './live-features';
import { RecorderService } from './recorder';
import type { FeatureBatch } from './streaming-features';
import { noise } from './testing/signals';

describe('streamFeaturesFromRecorder', () => {
  it('turns recorder chunks into the same frames as the batch extractor, flushing on stop', () => {
    const recorder = new RecorderService();
    const batches: FeatureBatch[] = [];
    const detach = streamFeaturesFromRecorder(recorder, { kind: 'fbank' }, (batch) =>
      batches.push(batch),
    );
    const pcm = Int16Array.from(noise(8000, 0.3, 2), (v) => Math.round(v * 32_768));
    for (let start = 0; start < pcm.length; start += 1234) {
      recorder.emit('chunk', {
        pcm: pcm.subarray(start, start + 1234),
        startSample: start,
        sampleRate: 16_000,
      });
    }
    recorder.emit('stopped', {
      path: null,
      sampleRate: 16_000,
      samples: pcm.length,
      durationSeconds: 0.5,
      reason: 'stopped',
    });
    detach();
    const expected = extractFeatures(
      { sampleRate: 16_000, samples: Float32Array.from(pcm, (v) => v / 32_768) },
      { kind: 'fbank' },
    );
    const frames = batches.reduce((n, b) => n + b.frames, 0);
    expect(frames).toBe(expected.frames);
    const joined = new Float32Array(frames * 40);
    for (const batch of batches) joined.set(batch.data, batch.startFrame * 40);
    expect(joined).toEqual(expected.data);
    expect(recorder.listenerCount('chunk')).toBe(0);
  });
});
