import { setImmediate as yieldToEventLoop } from 'node:timers/promises';
import type { FeatureConfigInput } from '../../domain/audio/feature-config';
import type { FeatureMatrix } from '../../domain/audio/feature-matrix';
import { StreamingFeatureExtractor } from '../../domain/audio/streaming-features';

/**
 * The batch features of a long file, computed slice by slice with the streaming extractor
 * (identical to the batch extractor by its contract) and a turn of the event loop between
 * slices, so that analysing a 10-minute file in main never holds up recording events or
 * other requests for more than a slice's worth of work (~0.1 s for 30 s of audio).
 */
export async function extractFeaturesInSlices(
  samples: Float32Array,
  config: FeatureConfigInput,
  sliceSamples = 480_000,
): Promise<FeatureMatrix> {
  const extractor = new StreamingFeatureExtractor(config);
  const parts: Float32Array[] = [];
  let frames = 0;
  for (let start = 0; start < samples.length; start += sliceSamples) {
    const batch = extractor.push(samples.subarray(start, start + sliceSamples));
    parts.push(batch.data);
    frames += batch.frames;
    await yieldToEventLoop();
  }
  const last = extractor.flush();
  parts.push(last.data);
  frames += last.frames;
  const data = new Float32Array(frames * extractor.dims);
  let offset = 0;
  for (const part of parts) {
    data.set(part, offset);
    offset += part.length;
  }
  return { data, frames, dims: extractor.dims };
}
