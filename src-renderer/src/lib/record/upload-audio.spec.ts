import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@api/client-core';
import type { RecordingEntry } from '@api/audio';
import { MAX_IMPORT_BYTES } from '@api/channels/audio-channels';
import { ApiError } from '@api/errors';
import { uploadAudioFile } from './upload-audio';

const ENTRY: RecordingEntry = {
  path: 'imports/take.wav',
  name: 'take.wav',
  folder: 'imports',
  sizeBytes: 3,
  modifiedMs: 1,
  durationSeconds: 0.1,
  sampleRate: 16_000,
};

/** A client that records the requests it is sent and answers `audio:import` with ENTRY. */
function recordingClient(): { client: ApiClient; sent: { channel: string; params: unknown }[] } {
  const sent: { channel: string; params: unknown }[] = [];
  const client = {
    invoke: (channel: string, params: unknown) => {
      sent.push({ channel, params });
      return Promise.resolve(ENTRY);
    },
  } as unknown as ApiClient;
  return { client, sent };
}

describe('uploading a WAV from the computer', () => {
  it('sends its name and bytes through audio:import and returns the stored entry', async () => {
    const { client, sent } = recordingClient();
    const file = new File([Uint8Array.from([1, 2, 3])], 'take.wav', { type: 'audio/wav' });
    expect(await uploadAudioFile(client, file)).toEqual(ENTRY);
    expect(sent).toEqual([
      { channel: 'audio:import', params: { name: 'take.wav', bytes: Uint8Array.from([1, 2, 3]) } },
    ]);
  });

  it('refuses a file over the upload limit without reading or sending it', async () => {
    const { client, sent } = recordingClient();
    const huge = {
      name: 'long.wav',
      size: MAX_IMPORT_BYTES + 1,
      arrayBuffer: () => Promise.reject(new Error('read')),
    } as unknown as File;
    const error = await uploadAudioFile(client, huge).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect((error as ApiError).code).toBe('AUDIO_TOO_LARGE');
    expect((error as ApiError).message).toBe(
      'long.wav is larger than 60 MB, the most one upload takes.',
    );
    expect(sent).toEqual([]);
  });
});
