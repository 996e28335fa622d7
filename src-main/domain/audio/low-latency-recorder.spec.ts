import { createRequire } from 'node:module';
import recordModule from 'node-record-lpcm16';
import which from 'which';
import { describe, expect, it } from 'vitest';
import { CAPTURE_PERIOD_MS, LOW_LATENCY_RECORDER } from './recorder';

interface RecorderCommand {
  cmd: string;
  args: string[];
  spawnOptions?: { env?: NodeJS.ProcessEnv };
}
type RecorderModule = (options: Record<string, unknown>) => RecorderCommand;

const lowLatency = createRequire(import.meta.url)(LOW_LATENCY_RECORDER) as RecorderModule;
const base = { sampleRate: 16_000, channels: 1, audioType: 'raw', periodMs: CAPTURE_PERIOD_MS };
const hasArecord = (await which('arecord', { nothrow: true })) !== null;

describe('the low-latency recorder module', () => {
  it('asks arecord for a 20 ms period on the chosen device', () => {
    const { cmd, args } = lowLatency({ ...base, program: 'arecord', device: 'hw:1,0' });
    expect(cmd).toBe('arecord');
    expect(args.slice(0, 2)).toEqual(['-D', 'hw:1,0']);
    expect(args).toContain('--period-time=20000');
    expect(args).toContain('--buffer-time=200000');
    expect(args.at(-1)).toBe('-');
  });

  it('gives SoX a 20 ms buffer (640 bytes of 16 kHz mono) and the device in AUDIODEV', () => {
    const sox = lowLatency({ ...base, program: 'sox', device: 'plughw:0' });
    expect(sox.args.slice(0, 2)).toEqual(['--buffer', '640']);
    expect(sox.spawnOptions?.env?.AUDIODEV).toBe('plughw:0');
    const rec = lowLatency({ ...base, program: 'rec', sampleRate: 48_000 });
    expect(rec.args.slice(0, 2)).toEqual(['--buffer', '1920']);
  });

  it('refuses an unknown program', () => {
    expect(() => lowLatency({ ...base, program: 'parecord' })).toThrow(/No such recorder/);
  });

  it.skipIf(!hasArecord)('is loaded by node-record-lpcm16 from its absolute path', async () => {
    const recording = recordModule.record({
      ...base,
      recorder: LOW_LATENCY_RECORDER,
      program: 'arecord',
      device: 'null',
    });
    // The library reports arecord's exit on SIGTERM (code 1) as a stream error.
    const closed = new Promise((resolve) => recording.process.on('close', resolve));
    recording.stream().on('error', () => undefined);
    const bytes = await new Promise<number>((resolve) => {
      let total = 0;
      recording.stream().on('data', (data: Buffer) => {
        total += data.length;
        if (total >= 3200) {
          recording.stop();
          resolve(total);
        }
      });
    });
    await closed;
    expect(recording.process.spawnargs).toContain('--period-time=20000');
    expect(bytes).toBeGreaterThanOrEqual(3200);
  });
});
