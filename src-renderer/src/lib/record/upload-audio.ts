/**
 * A WAV picked on the user's computer, sent to main through `audio:import`: main checks it is a
 * readable WAV, keeps a copy as `imports/<name>` and returns its entry. The Record and Inside
 * views both upload this way.
 */
import type { ApiClient } from '@api/client-core';
import type { RecordingEntry } from '@api/audio';
import { MAX_IMPORT_BYTES } from '@api/channels/audio-channels';
import { ApiError } from '@api/errors';

/** The file's copy in the data folder; a file over the upload limit is refused before it is read. */
export async function uploadAudioFile(client: ApiClient, file: File): Promise<RecordingEntry> {
  if (file.size > MAX_IMPORT_BYTES)
    throw new ApiError({
      code: 'AUDIO_TOO_LARGE',
      message: `${file.name} is larger than ${MAX_IMPORT_BYTES / 1024 / 1024} MB, the most one upload takes.`,
    });
  const bytes = new Uint8Array(await file.arrayBuffer());
  return client.invoke('audio:import', { name: file.name, bytes });
}
