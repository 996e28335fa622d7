import type { ApiClient } from '@api/client-core';
import { DEFAULT_REJECT_THRESHOLD } from '@api/experiment-config';
import type { ExperimentListItem } from '@api/experiments';
import type {
  LivePosteriorsPayload,
  LiveStarted,
  LiveStatus,
  LiveStopped,
  LiveWordPayload,
} from '@api/live';
import { errorText, type ErrorText } from '../format/error-text';
import { CaptureMonitor } from '../record/capture-monitor.svelte';
import { CaptureSettings } from '../record/capture-settings.svelte';
import { liveExperiments } from './experiment-choice';
import { drawnLatencyMs, LatencyWindow, type LatencySummary } from './latency-window';
import { PosteriorFeed, type PosteriorBatch } from './posterior-feed';
import { reconcileStatus, type LiveSessionState } from './session-status';
import { LatestValueSender } from './threshold-sync';
import { ViewLifetime } from './view-lifetime';
import { addToHistory, type WordHistoryEntry } from './word-results';

/**
 * The Live view's state: the trained experiments and devices to choose from, and one live
 * session driven by the server's events: live:word / live:posteriors for the results, and the
 * recorder's record:* events (level, voice activity, spectrogram frames) while it runs.
 */
export class LiveStore {
  experiments = $state.raw<ExperimentListItem[]>([]);
  experimentsLoaded = $state(false);
  experimentName = $state('');
  /** Device, recorder program and time limit, as in the Record view. */
  readonly capture = new CaptureSettings();
  /** Level, voice activity, elapsed time and spectrogram frames of the session's recording. */
  readonly monitor = new CaptureMonitor();
  /** The rejection threshold the slider shows and a session starts with (words mode). */
  threshold = $state(DEFAULT_REJECT_THRESHOLD);

  state = $state<LiveSessionState>('idle');
  /** What live:start answered: mode, labels, phone classes, hop; kept after the session ends. */
  session = $state.raw<LiveStarted | null>(null);
  /** A session this page did not start (another window, or before a reload). */
  foreign = $state.raw<LiveStatus | null>(null);
  current = $state.raw<LiveWordPayload | null>(null);
  history = $state.raw<WordHistoryEntry[]>([]);
  decoded = $state.raw<string[]>([]);
  latency = $state.raw<LatencySummary | null>(null);
  error = $state.raw<ErrorText | null>(null);
  stopped = $state.raw<LiveStopped | null>(null);
  /** Bumped when the posterior feed is replaced (a new session), so its canvas clears itself. */
  posteriorGeneration = $state(0);
  /** Not reactive: written by events, read by the posteriorgram's animation loop. */
  posteriors: PosteriorFeed | null = null;

  readonly selected = $derived(
    this.experiments.find((experiment) => experiment.name === this.experimentName) ?? null,
  );

  readonly #client: ApiClient;
  readonly #latencies = new LatencyWindow();
  readonly #lifetime: ViewLifetime;
  readonly #thresholds: LatestValueSender;

  constructor(client: ApiClient) {
    this.#client = client;
    this.#lifetime = new ViewLifetime(() => client.invoke('live:stop'));
    this.#thresholds = new LatestValueSender(
      (threshold) => client.invoke('live:threshold', { threshold }),
      (error) => {
        // LIVE_IDLE: the session ended while the request was on its way; nothing to tell.
        if (this.state === 'running') this.error = errorText(error);
      },
    );
    this.#lifetime.hold(
      client.on('live:word', (payload) => this.#onWord(payload)),
      client.on('live:posteriors', (payload) => this.#onPosteriors(payload)),
      client.on('live:error', (error) => {
        if (this.#listening || this.foreign)
          this.error = { code: error.code, message: error.message };
      }),
      client.on('live:stopped', (result) => this.#onStopped(result)),
      ...this.monitor.listen(client, () => this.#listening),
    );
  }

  /** True while a session this page started may be sending events. */
  get #listening(): boolean {
    return this.state !== 'idle';
  }

  get active(): boolean {
    return this.state !== 'idle';
  }

  async load(): Promise<void> {
    await Promise.all([this.loadExperiments(), this.loadDevices(), this.syncStatus()]);
  }

  async loadExperiments(): Promise<void> {
    try {
      this.experiments = liveExperiments(await this.#client.invoke('experiments:list'));
      if (!this.experiments.some((experiment) => experiment.name === this.experimentName))
        this.experimentName = this.experiments[0]?.name ?? '';
    } catch (error) {
      this.error = errorText(error);
    } finally {
      this.experimentsLoaded = true;
    }
  }

  async loadDevices(): Promise<void> {
    try {
      await this.capture.loadDevices(this.#client);
    } catch (error) {
      this.error = errorText(error);
    }
  }

  /**
   * Asks the server whether a session runs. After a dropped connection this finds out
   * whether ours survived; on opening the view it finds one started elsewhere.
   */
  async syncStatus(): Promise<void> {
    try {
      const status = await this.#client.invoke('live:status');
      const reconciled = reconcileStatus(this.state, status);
      if (reconciled.lost) {
        this.monitor.inSpeech = false;
        this.error = {
          code: null,
          message:
            'The live session ended while the connection to Unfold was down. Start it again.',
        };
      }
      this.state = reconciled.state;
      this.foreign = reconciled.foreign;
    } catch (error) {
      this.error = errorText(error);
    }
  }

  async start(): Promise<void> {
    if (this.active || this.experimentName === '') return;
    this.error = null;
    this.stopped = null;
    this.foreign = null;
    this.current = null;
    this.history = [];
    this.decoded = [];
    this.latency = null;
    this.#latencies.reset();
    this.monitor.reset();
    this.posteriors = null;
    this.posteriorGeneration++;
    this.session = null;
    this.state = 'starting';
    const requestedThreshold = this.threshold;
    try {
      const started = await this.#client.invoke('live:start', {
        experiment: this.experimentName,
        ...this.capture.startOptions(),
        vad: {},
        threshold: requestedThreshold,
      });
      // The view was left while starting: the lifetime has stopped the session again.
      if (this.#lifetime.startAnswered()) return;
      this.capture.rememberDevice();
      this.session = started;
      // A very short recording may already have ended (live:stopped came first).
      if (this.state === 'starting') this.state = 'running';
      // The slider moved while the session was starting: send where it is now.
      if (this.threshold === requestedThreshold) this.threshold = started.threshold;
      else if (this.state === 'running') void this.#thresholds.push(this.threshold);
    } catch (error) {
      this.state = 'idle';
      this.error = errorText(error);
    }
  }

  async stop(): Promise<void> {
    if (this.state !== 'running' && this.foreign === null) return;
    if (this.state === 'running') this.state = 'stopping';
    try {
      // The result also arrives as live:stopped, which ends the session either way.
      this.#onStopped(await this.#client.invoke('live:stop'));
    } catch (error) {
      if (this.state !== 'idle') this.error = errorText(error);
      this.state = 'idle';
    }
    this.foreign = null;
  }

  /**
   * Changes the rejection threshold; a running session applies it from the next word. While
   * the slider is dragged only the newest value is sent once the previous request returns.
   */
  setThreshold(threshold: number): Promise<void> {
    this.threshold = threshold;
    if (this.state !== 'running') return Promise.resolve();
    return this.#thresholds.push(threshold);
  }

  /** Called by the posteriorgram canvas with the batches it has just drawn. */
  noteDrawn(batches: readonly PosteriorBatch[], drawnAtEpochMs: number): void {
    if (batches.length === 0) return;
    for (const batch of batches) this.#latencies.push(drawnLatencyMs(batch, drawnAtEpochMs));
    this.latency = this.#latencies.summary();
  }

  /** Leaving the view ends a session it started: the microphone should not stay open unseen. */
  dispose(): void {
    this.#thresholds.clear();
    this.#lifetime.dispose(this.state === 'running' || this.state === 'starting');
  }

  #onWord(payload: LiveWordPayload): void {
    if (!this.#listening) return;
    this.current = payload;
    this.history = addToHistory(this.history, payload);
  }

  #onPosteriors(payload: LivePosteriorsPayload): void {
    if (!this.#listening || payload.frames <= 0) return;
    const phones = Math.round(payload.posteriors.length / payload.frames);
    if (this.posteriors?.phones !== phones) {
      this.posteriors = new PosteriorFeed(phones);
      this.posteriorGeneration++;
    }
    this.posteriors.push(payload);
    this.decoded = payload.decoded;
  }

  #onStopped(result: LiveStopped): void {
    if (this.state === 'idle' && this.stopped !== null) return;
    if (this.state === 'idle' && this.foreign === null) return;
    this.stopped = result;
    this.state = 'idle';
    this.#thresholds.clear();
    this.foreign = null;
    this.monitor.inSpeech = false;
    if (result.recording.error)
      this.error = { code: result.recording.error.code, message: result.recording.error.message };
  }
}
