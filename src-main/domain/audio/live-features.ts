import type { FeatureConfig, FeatureConfigInput } from './feature-config';
import type { RecorderService } from './recorder';
import type { FeatureBatch } from './streaming-features';
import { StreamingFeatureExtractor } from './streaming-features';

/**
 * Feeds a recorder's PCM chunks into a streaming feature extractor (for a live spectrogram
 * or live recognition) and flushes it when the recording stops. `onFrames` receives
 * Float32Array batches with their dims and start frame, ready to cross IPC as typed arrays.
 * Returns a function that detaches the listeners.
 */
export function streamFeaturesFromRecorder(
  recorder: Pick<RecorderService, 'on' | 'off'>,
  config: FeatureConfig | FeatureConfigInput,
  onFrames: (batch: FeatureBatch) => void,
): () => void {
  let extractor = new StreamingFeatureExtractor(config);
  const onChunk = ({ pcm }: { pcm: Int16Array }): void => {
    const batch = extractor.push(pcm);
    if (batch.frames > 0) onFrames(batch);
  };
  const onStopped = (): void => {
    const batch = extractor.flush();
    if (batch.frames > 0) onFrames(batch);
    // A new recording with the same recorder starts a new stream.
    extractor = new StreamingFeatureExtractor(config);
  };
  recorder.on('chunk', onChunk);
  recorder.on('stopped', onStopped);
  return () => {
    recorder.off('chunk', onChunk);
    recorder.off('stopped', onStopped);
  };
}
