/**
 * Plays stretches of one WAV file through Web Audio: the whole utterance from the Play button,
 * or ~300 ms around a clicked frame. The file is decoded once, on the first play (which is a
 * user gesture, so the AudioContext may start). Web Audio rather than wavesurfer's
 * play(start, end): a click plays exactly its window, without a media element seeking (and
 * overshooting) under the hood, and nothing else in the view needs a media element.
 */

export interface PlayerState {
  playing: boolean;
  /** File seconds of the stretch playing or played last; null before the first play. */
  start: number | null;
  end: number | null;
  /** How many times playback started: lets a test tell one click's playback from the next. */
  count: number;
}

export class SegmentPlayer {
  #context: AudioContext | null = null;
  #buffer: Promise<AudioBuffer> | null = null;
  #source: AudioBufferSourceNode | null = null;
  #startedAt = 0;
  #state: PlayerState = { playing: false, start: null, end: null, count: 0 };

  constructor(
    private readonly bytes: Uint8Array,
    private readonly onchange: (state: PlayerState) => void,
  ) {}

  get state(): PlayerState {
    return this.#state;
  }

  /** Plays file seconds [start, end), stopping whatever plays now. */
  async play(start: number, end: number): Promise<void> {
    this.stop();
    this.#context ??= new AudioContext();
    const context = this.#context;
    // decodeAudioData detaches the buffer it is given: hand it a copy.
    this.#buffer ??= context.decodeAudioData(this.bytes.slice().buffer);
    const buffer = await this.#buffer;
    if (context.state === 'suspended') await context.resume();
    const from = Math.max(0, Math.min(start, buffer.duration));
    const length = Math.max(0, Math.min(end, buffer.duration) - from);
    const source = context.createBufferSource();
    source.buffer = buffer;
    source.connect(context.destination);
    source.onended = () => {
      if (this.#source !== source) return;
      this.#source = null;
      this.#set({ playing: false });
    };
    this.#source = source;
    this.#startedAt = context.currentTime - from;
    source.start(0, from, length);
    this.#set({ playing: true, start: from, end: from + length, count: this.#state.count + 1 });
  }

  /** File seconds now playing, or null when stopped. */
  position(): number | null {
    if (!this.#source || !this.#context) return null;
    return this.#context.currentTime - this.#startedAt;
  }

  stop(): void {
    const source = this.#source;
    if (!source) return;
    this.#source = null;
    source.onended = null;
    source.stop();
    this.#set({ playing: false });
  }

  dispose(): void {
    this.stop();
    void this.#context?.close();
    this.#context = null;
  }

  #set(patch: Partial<PlayerState>): void {
    this.#state = { ...this.#state, ...patch };
    this.onchange(this.#state);
  }
}
