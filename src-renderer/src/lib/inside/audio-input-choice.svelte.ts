/**
 * What a speech model is shown in the Inside view: an utterance of its corpus, or a recording of
 * the data folder (takes made in Record, WAVs opened from the computer, which land in `imports/`).
 */
import type { ApiClient } from '@api/client-core';
import type { RecordingEntry } from '@api/audio';
import type { UtteranceRowData } from '@api/corpus';
import type { InsideInput } from '@api/inside';
import { uploadAudioFile } from '../record/upload-audio';
import { recordingChoices } from './inside-input';

export type AudioSource = 'utterance' | 'recording';

/** How many of the corpus's utterances the chooser lists. */
const UTTERANCE_CHOICES = 200;

export class AudioInputChoice {
  source = $state<AudioSource>('utterance');
  utterances = $state.raw<UtteranceRowData[]>([]);
  utterance = $state('');
  recordings = $state.raw<RecordingEntry[]>([]);
  /** The chosen recording's path in the data folder. */
  recording = $state('');
  /** The file being uploaded, for the button's busy text. */
  uploading = $state<string | null>(null);

  readonly input = $derived<InsideInput | null>(
    this.source === 'utterance'
      ? this.utterance === ''
        ? null
        : { kind: 'utterance', utterance: this.utterance }
      : this.recording === ''
        ? null
        : { kind: 'wav', path: this.recording },
  );

  readonly #client: ApiClient;
  /** The corpus whose utterances were last asked for: a late answer for another is dropped. */
  #corpus: string | null = null;

  constructor(client: ApiClient) {
    this.#client = client;
  }

  /** The corpus's first utterances (none for no corpus), keeping the choice when still listed. */
  async loadUtterances(corpus: string | null): Promise<void> {
    this.#corpus = corpus;
    this.utterances = [];
    if (!corpus) return;
    const page = await this.#client.invoke('corpus:utterances', {
      corpus,
      limit: UTTERANCE_CHOICES,
    });
    if (this.#corpus !== corpus) return;
    this.utterances = page.rows;
    if (!page.rows.some((u) => u.id === this.utterance)) this.utterance = page.rows[0]?.id ?? '';
  }

  /** The data folder's readable WAVs, keeping the choice when still listed. */
  async loadRecordings(): Promise<void> {
    this.recordings = recordingChoices(await this.#client.invoke('audio:recordings'));
    if (!this.recordings.some((r) => r.path === this.recording))
      this.recording = this.recordings[0]?.path ?? '';
  }

  /** Uploads a WAV from the computer (`audio:import`) and chooses it; its input to trace. */
  async upload(file: File): Promise<InsideInput> {
    this.uploading = file.name;
    try {
      const entry = await uploadAudioFile(this.#client, file);
      await this.loadRecordings();
      this.source = 'recording';
      this.recording = entry.path;
      return { kind: 'wav', path: entry.path };
    } finally {
      this.uploading = null;
    }
  }
}
