// node-record-lpcm16 1.0.1 ships no types; this covers what recorder.ts uses.
declare module 'node-record-lpcm16' {
  import type { ChildProcess } from 'node:child_process';
  import type { Readable } from 'node:stream';

  export interface RecordOptions {
    sampleRate?: number;
    channels?: number;
    /** A recorder name of the library, or the absolute path of a recorder module. */
    recorder?: string;
    /** Read by our own recorder module (resources/recorders/low-latency.cjs). */
    program?: 'sox' | 'rec' | 'arecord';
    periodMs?: number;
    device?: string;
    audioType?: string;
    endOnSilence?: boolean;
    threshold?: number;
    silence?: string;
  }

  export interface Recording {
    process: ChildProcess;
    stream(): Readable;
    stop(): void;
    pause(): void;
    resume(): void;
    isPaused(): boolean;
  }

  export function record(options?: RecordOptions): Recording;
  const recordModule: { record: typeof record };
  export default recordModule;
}
