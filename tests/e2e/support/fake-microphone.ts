import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeMicrophone {
  /** Pass as XDG_CONFIG_HOME to the server: ALSA reads `alsa/asoundrc` there. */
  configHome: string;
  /** The ALSA device id to pick in the UI. */
  device: string;
  /** The raw S16_LE 16 kHz mono samples the device delivers. */
  rawPath: string;
  dispose(): Promise<void>;
}

/**
 * An ALSA `type file` capture device fed with espeak-ng speech (see /work/shared/PITFALLS.md,
 * "Fake microphone"): arecord reads it bit-exactly, unpaced, so a take must stop by its limit.
 */
export async function createFakeMicrophone(text: string): Promise<FakeMicrophone> {
  const folder = await mkdtemp(join(tmpdir(), 'unfold-fakemic-'));
  const speech = join(folder, 'speech.wav');
  const rawPath = join(folder, 'speech.raw');
  execFileSync('espeak-ng', ['-v', 'en-us', '-s', '150', '-w', speech, text]);
  execFileSync('sox', [
    speech,
    '-t',
    'raw',
    '-r',
    '16000',
    '-c',
    '1',
    '-e',
    'signed-integer',
    '-b',
    '16',
    '-L',
    rawPath,
  ]);
  await mkdir(join(folder, 'alsa'));
  await writeFile(
    join(folder, 'alsa', 'asoundrc'),
    `pcm.fakemic {\n  type file\n  slave.pcm "null"\n  file "/dev/null"\n  infile "${rawPath}"\n  format "raw"\n` +
      `  hint { show on description "Unfold test microphone (espeak-ng speech)" }\n}\n`,
  );
  return {
    configHome: folder,
    device: 'fakemic',
    rawPath,
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
