import type { audioRequests } from '../../api/channels/audio-channels';
import { listCaptureDevices } from '../../domain/audio/capture-devices';
import type { RecorderService } from '../../domain/audio/recorder';
import { readAudioBytes } from '../../domain/audio/wav';
import { analyseAudioFile } from '../recording/analyse-audio';
import { AnalysisCache } from '../recording/analysis-cache';
import { resolveExistingDataPath, toDataRelative } from '../recording/data-paths';
import { importAudio } from '../recording/import-audio';
import { listRecordings } from '../recording/recordings-list';
import type { AreaHandlers, HandlerContext } from './handler-context';
import { recordingSessionOf } from './handler-context';

/**
 * The Record view's API: capture devices, one recording at a time (events go to every
 * client), and WAV files of the data folder. Every path from a client is confined to the
 * data folder.
 */
export function createAudioHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof audioRequests> {
  const session = recordingSessionOf(context);
  const recorder = session.recorder;
  const analyses = new AnalysisCache();
  const status = (): { state: RecorderService['state'] } => ({ state: recorder.state });
  return {
    'audio:devices': () => listCaptureDevices(context.env),
    'audio:recordings': () => listRecordings(context.dataDir),
    'audio:open': async ({ path }) => {
      const full = await resolveExistingDataPath(context.dataDir, path);
      return analyses.get(full, () =>
        analyseAudioFile(full, toDataRelative(context.dataDir, full)),
      );
    },
    'audio:bytes': async ({ path }) => {
      const full = await resolveExistingDataPath(context.dataDir, path);
      return {
        path: toDataRelative(context.dataDir, full),
        bytes: await readAudioBytes(full),
        mimeType: 'audio/wav',
      };
    },
    'audio:import': ({ name, bytes }) => importAudio(context.dataDir, name, bytes),
    'record:start': (params) => session.start(params),
    'record:pause': () => {
      recorder.pause();
      return status();
    },
    'record:resume': () => {
      recorder.resume();
      return status();
    },
    'record:stop': () => session.stop(),
    'record:status': status,
  };
}
