import { EventEmitter } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import type { ChildProcess } from 'node:child_process';
import type { Recording, RecordOptions } from 'node-record-lpcm16';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { PcmChunk } from './recorder';
import { CAPTURE_PERIOD_MS, LOW_LATENCY_RECORDER, RecorderService } from './recorder';
import { decodeWav } from './wav';

/** A stand-in for node-record-lpcm16's Recording: a fake child process and its stdout. */
class FakeRecording {
  readonly stdout = new PassThrough();
  readonly child = Object.assign(new EventEmitter(), {
    stderr: new PassThrough(),
    exitCode: null as number | null,
    signalCode: null as string | null,
    pid: 1234,
    kill: (signal?: string): boolean => {
      this.exit(signal === 'SIGKILL' ? null : 1, signal ?? 'SIGTERM');
      return true;
    },
  });
  options: RecordOptions | null = null;
  stopCalls = 0;

  asRecording(): Recording {
    return {
      process: this.child as unknown as ChildProcess,
      stream: () => this.stdout,
      stop: () => {
        this.stopCalls++;
        // arecord answers SIGTERM with exit code 1, which the library reports as a string error.
        this.exit(1, null);
      },
      pause: () => undefined,
      resume: () => undefined,
      isPaused: () => false,
    };
  }

  exit(code: number | null, signal: string | null): void {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    setImmediate(() => {
      this.child.exitCode = code;
      this.child.signalCode = signal;
      if (code !== 0) this.stdout.emit('error', `arecord has exited with error code ${code}.`);
      this.child.emit('close', code, signal);
    });
  }

  send(samples: number[]): void {
    const bytes = new Uint8Array(new Int16Array(samples).buffer);
    this.stdout.write(Buffer.from(bytes));
  }
}

async function tick(): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve));
}

describe('RecorderService (with a fake recorder program)', () => {
  let folder: string;
  let fake: FakeRecording;
  let recorder: RecorderService;
  const env: NodeJS.ProcessEnv = {};

  beforeEach(async () => {
    folder = await mkdtemp(join(tmpdir(), 'unfold-recorder-spec-'));
    fake = new FakeRecording();
    recorder = new RecorderService({
      findProgram: async () => '/usr/bin/arecord',
      record: (options) => {
        fake.options = options;
        return fake.asRecording();
      },
      env,
    });
  });
  afterEach(async () => {
    await rm(folder, { recursive: true, force: true });
  });

  it('asks the library for raw mono 16 kHz from the chosen device', async () => {
    await recorder.start({ device: 'hw:1,0' });
    expect(fake.options).toEqual({
      recorder: LOW_LATENCY_RECORDER,
      program: 'arecord',
      periodMs: CAPTURE_PERIOD_MS,
      sampleRate: 16_000,
      channels: 1,
      audioType: 'raw',
      device: 'hw:1,0',
    });
    await recorder.stop();
  });

  it('rejoins samples split across chunks, drops audio while paused, and stops without an error', async () => {
    const chunks: PcmChunk[] = [];
    recorder.on('chunk', (chunk) => chunks.push(chunk));
    const outPath = join(folder, 'take.wav');
    await recorder.start({ outPath, vad: false });
    const bytes = new Uint8Array(new Int16Array([1000, -2000, 3000]).buffer);
    fake.stdout.write(Buffer.from(bytes.subarray(0, 3)));
    fake.stdout.write(Buffer.from(bytes.subarray(3)));
    await tick();
    recorder.pause();
    expect(recorder.state).toBe('paused');
    fake.send([9, 9, 9]);
    await tick();
    recorder.resume();
    fake.send([4000]);
    await tick();
    const result = await recorder.stop();
    expect(fake.stopCalls).toBe(1);
    expect(result).toMatchObject({ reason: 'stopped', samples: 4, path: outPath });
    expect(result.error).toBeUndefined();
    expect(chunks.flatMap((c) => Array.from(c.pcm))).toEqual([1000, -2000, 3000, 4000]);
    const decoded = decodeWav(await readFile(outPath), outPath).channels[0];
    expect(Array.from(decoded ?? []).map((v) => v * 32_768)).toEqual([1000, -2000, 3000, 4000]);
  });

  it('stops exactly at --seconds, cutting the last chunk', async () => {
    await recorder.start({ maxSeconds: 0.0005, vad: false }); // 8 samples at 16 kHz
    fake.send([1, 2, 3, 4, 5]);
    fake.send([6, 7, 8, 9, 10]);
    const result = await recorder.done;
    expect(result).toMatchObject({ reason: 'limit', samples: 8 });
  });

  it('stops after the first word when asked to (VAD endpointing)', async () => {
    const events: string[] = [];
    recorder.on('vad', (event) => events.push(event.type));
    await recorder.start({ stopAfterSpeech: true, vad: { hangoverMs: 100 } });
    const loud = Array.from({ length: 3200 }, (_, i) => (i % 2 ? 8000 : -8000));
    fake.send(new Array(1600).fill(0));
    fake.send(loud);
    fake.send(new Array(3200).fill(0));
    const result = await recorder.done;
    // Cut where the VAD decided: end of the word (0.3 s) + the 100 ms hangover.
    expect(result).toMatchObject({ reason: 'speech-end', samples: 6400 });
    expect(events).toEqual(['speechStart', 'speechEnd']);
  });

  it('refuses a second start while recording', async () => {
    await recorder.start({});
    await expect(recorder.start({})).rejects.toMatchObject({ code: 'RECORDER_BUSY' });
    await recorder.stop();
  });

  it('turns a non-string stream error into a coded failure', async () => {
    const failures: string[] = [];
    recorder.on('failed', (error) => failures.push(`${error.code}: ${error.message}`));
    await recorder.start({});
    fake.stdout.emit('error', 'device busy');
    const result = await recorder.done;
    expect(failures).toEqual(['RECORDER_FAILED: arecord failed: device busy']);
    expect(result.reason).toBe('failed');
  });

  it('judges an exit it did not ask for by what the program printed', async () => {
    await recorder.start({ vad: false });
    fake.send([5, 6]);
    await tick();
    fake.exit(1, null); // arecord -q interrupted by a signal: silent exit 1
    expect(await recorder.done).toMatchObject({ reason: 'stopped', samples: 2 });

    const second = new FakeRecording();
    const failing = new RecorderService({
      findProgram: async () => '/usr/bin/arecord',
      record: () => second.asRecording(),
      env,
    });
    await failing.start({ vad: false });
    second.send([5, 6]);
    second.child.stderr.write('arecord: pcm_read:2221: read error: No such device\n');
    await tick();
    second.exit(1, null);
    const result = await failing.done;
    expect(result.reason).toBe('failed');
    expect(result.error?.message).toBe(
      'arecord stopped unexpectedly (exit code 1): arecord: pcm_read:2221: read error: No such device. ' +
        'The capture device may have been unplugged; the audio captured so far was kept.',
    );
  });

  it('sets AUDIODEV only around the spawn for rec', async () => {
    let seen: string | undefined;
    const rec = new RecorderService({
      findProgram: async () => '/usr/bin/rec',
      record: () => {
        seen = env.AUDIODEV;
        return fake.asRecording();
      },
      env,
    });
    await rec.start({ program: 'rec', device: 'fakemic' });
    expect(seen).toBe('fakemic');
    expect(env.AUDIODEV).toBeUndefined();
    await rec.stop();
  });
});
