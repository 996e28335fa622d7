import type { ApiClient } from '@api/client-core';
import type {
  AudioAnalysis,
  RecorderStateName,
  RecordingEntry,
  RecordingStopped,
} from '@api/audio';
import { errorText, type ErrorText } from '../format/error-text';
import { CaptureMonitor, DISPLAY_BANDS } from './capture-monitor.svelte';
import { CaptureSettings } from './capture-settings.svelte';
import { uploadAudioFile } from './upload-audio';

export interface OpenedAudio {
  analysis: AudioAnalysis;
  /** An object URL of the WAV's bytes, for the media element wavesurfer plays. */
  audioUrl: string;
}

/**
 * The Record view's state: devices, the recorder (driven by `record:*` events, so every
 * window sees the same recording), the live frame ring, the recordings of the data folder and
 * the file being inspected.
 */
export class RecordStore {
  /** Device, recorder program and time limit. */
  readonly capture = new CaptureSettings();
  /** Level, voice activity, elapsed time and live frames of the take being recorded. */
  readonly monitor = new CaptureMonitor();
  vadEnabled = $state(true);
  sampleRate = $state(16_000);
  /** Speech starts above this level and ends after the hangover below the end level (dBFS). */
  vadStartDbfs = $state(-35);
  vadEndDbfs = $state(-45);
  recorderState = $state<RecorderStateName>('idle');
  error = $state.raw<ErrorText | null>(null);
  recordings = $state.raw<RecordingEntry[]>([]);
  opened = $state.raw<OpenedAudio | null>(null);
  /** What is loading, for the busy message ("Analysing take.wav…"). */
  busy = $state<string | null>(null);
  lastTake = $state.raw<RecordingStopped | null>(null);
  readonly live = { lowHz: 20, highHz: 8000, bands: DISPLAY_BANDS };

  readonly #client: ApiClient;
  readonly #unsubscribe: (() => void)[];

  constructor(client: ApiClient) {
    this.#client = client;
    this.#unsubscribe = [
      client.on('record:state', ({ state }) => (this.recorderState = state)),
      ...this.monitor.listen(client),
      client.on(
        'record:error',
        (error) => (this.error = { code: error.code, message: error.message }),
      ),
      client.on('record:stopped', (result) => void this.#onStopped(result)),
    ];
  }

  get active(): boolean {
    return this.recorderState !== 'idle';
  }

  async load(): Promise<void> {
    await Promise.all([this.loadDevices(), this.loadRecordings(), this.#loadStatus()]);
  }

  async loadDevices(): Promise<void> {
    await this.#call(() => this.capture.loadDevices(this.#client));
  }

  async loadRecordings(): Promise<void> {
    try {
      this.recordings = await this.#client.invoke('audio:recordings');
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async #loadStatus(): Promise<void> {
    try {
      this.recorderState = (await this.#client.invoke('record:status')).state;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async start(): Promise<void> {
    this.error = null;
    this.monitor.reset();
    this.lastTake = null;
    try {
      const started = await this.#client.invoke('record:start', {
        ...this.capture.startOptions(),
        sampleRate: this.sampleRate,
        vad: this.vadEnabled
          ? { startThresholdDbfs: this.vadStartDbfs, endThresholdDbfs: this.vadEndDbfs }
          : false,
      });
      this.capture.rememberDevice();
      this.live.lowHz = started.lowHz;
      this.live.highHz = started.highHz;
      this.live.bands = started.melBands;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async pause(): Promise<void> {
    await this.#call(() => this.#client.invoke('record:pause'));
  }

  async resume(): Promise<void> {
    await this.#call(() => this.#client.invoke('record:resume'));
  }

  async stop(): Promise<void> {
    // The result also arrives as `record:stopped`, which opens the take.
    await this.#call(() => this.#client.invoke('record:stop'));
  }

  /** Opens a WAV of the data folder: analysis and bytes both come from main. */
  async open(path: string): Promise<void> {
    this.busy = `Analysing ${path.split('/').pop() ?? path}…`;
    try {
      const [analysis, audio] = await Promise.all([
        this.#client.invoke('audio:open', { path }),
        this.#client.invoke('audio:bytes', { path }),
      ]);
      // Both transports hand over bytes backed by a plain ArrayBuffer; no need to copy 20 MB.
      const blob = new Blob([audio.bytes as Uint8Array<ArrayBuffer>], { type: audio.mimeType });
      if (this.opened) URL.revokeObjectURL(this.opened.audioUrl);
      this.opened = { analysis, audioUrl: URL.createObjectURL(blob) };
      this.error = null;
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.busy = null;
    }
  }

  /** Sends a file picked on disk to main, which saves a copy under imports/, then opens it. */
  async importFile(file: File): Promise<void> {
    this.busy = `Importing ${file.name}…`;
    try {
      const entry = await uploadAudioFile(this.#client, file);
      await this.loadRecordings();
      await this.open(entry.path);
    } catch (error) {
      this.error = errorText(error);
      this.busy = null;
    }
  }

  dispose(): void {
    for (const unsubscribe of this.#unsubscribe) unsubscribe();
    if (this.opened) URL.revokeObjectURL(this.opened.audioUrl);
  }

  async #onStopped(result: RecordingStopped): Promise<void> {
    this.lastTake = result;
    this.monitor.inSpeech = false;
    if (result.error) this.error = { code: result.error.code, message: result.error.message };
    await this.loadRecordings();
    if (result.path) await this.open(result.path);
  }

  async #call(call: () => Promise<unknown>): Promise<void> {
    try {
      await call();
    } catch (error) {
      this.error = errorText(error);
    }
  }
}
