import type { liveRequests } from '../../api/channels/live-channels';
import { groupPhonesByClass } from '../../domain/speech/phone-classes';
import { LiveSession } from '../live/live-session';
import type { AreaHandlers, HandlerContext } from './handler-context';
import { recognizerCacheOf, recordingSessionOf } from './handler-context';

/**
 * The Live view's API: live recognition with a trained experiment over the app's one
 * recording (shared with the Record view's handlers). Results go to every client as live:*
 * events; the recording's own record:* events carry the level, VAD and spectrogram.
 */
export function createLiveHandlers(
  context: HandlerContext,
  session: LiveSession = new LiveSession({
    dataDir: context.dataDir,
    events: context.events,
    recording: recordingSessionOf(context),
    acquireRecognizer: (dir) => recognizerCacheOf(context).acquire(dir),
    groupPhones: groupPhonesByClass,
  }),
): AreaHandlers<keyof typeof liveRequests> {
  return {
    'live:start': (params) => session.start(params),
    'live:stop': () => session.stop(),
    'live:status': () => session.status(),
    'live:threshold': ({ threshold }) => session.setThreshold(threshold),
  };
}
