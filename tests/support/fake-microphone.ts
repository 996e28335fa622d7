import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface FakeMicrophoneOptions {
  voice?: string;
  /** espeak-ng words per minute. */
  speed?: number;
  /** Also make it ALSA's default capture device. */
  asDefault?: boolean;
}

export interface InstalledFakeMicrophone {
  /** The ALSA device id. */
  device: string;
  /** The raw S16_LE 16 kHz mono samples the device delivers. */
  rawPath: string;
  raw: Buffer;
}

/**
 * An ALSA `type file` capture device fed with espeak-ng speech (see /work/shared/PITFALLS.md,
 * "Fake microphone"), written into `folder`: point XDG_CONFIG_HOME at `folder` and
 * `arecord -D fakemic` reads the speech back bit-exactly, unpaced, so a take must stop by its
 * limit.
 */
export function installFakeMicrophone(
  folder: string,
  text: string,
  options: FakeMicrophoneOptions = {},
): InstalledFakeMicrophone {
  const speech = join(folder, 'speech.wav');
  const rawPath = join(folder, 'speech.raw');
  const voice = [
    '-v',
    options.voice ?? 'en-us',
    ...(options.speed ? ['-s', String(options.speed)] : []),
  ];
  execFileSync('espeak-ng', [...voice, '-w', speech, text]);
  // prettier-ignore
  execFileSync('sox', [speech, '-t', 'raw', '-r', '16000', '-c', '1', '-e', 'signed-integer', '-b', '16', '-L', rawPath]);
  mkdirSync(join(folder, 'alsa'), { recursive: true });
  writeFileSync(
    join(folder, 'alsa', 'asoundrc'),
    `pcm.fakemic {\n  type file\n  slave.pcm "null"\n  file "/dev/null"\n  infile "${rawPath}"\n  format "raw"\n` +
      `  hint { show on description "Unfold test microphone (espeak-ng speech)" }\n}\n` +
      (options.asDefault ? `pcm.!default { type plug; slave.pcm "fakemic" }\n` : ''),
  );
  return { device: 'fakemic', rawPath, raw: readFileSync(rawPath) };
}

export interface FakeMicrophone {
  /** Pass as XDG_CONFIG_HOME to the server: ALSA reads `alsa/asoundrc` there. */
  configHome: string;
  /** The ALSA device id to pick in the UI. */
  device: string;
  rawPath: string;
  dispose(): Promise<void>;
}

/** A fake microphone in a folder of its own, for a server started with XDG_CONFIG_HOME. */
export async function createFakeMicrophone(
  text: string,
  options: FakeMicrophoneOptions = { speed: 150 },
): Promise<FakeMicrophone> {
  const folder = await mkdtemp(join(tmpdir(), 'unfold-fakemic-'));
  const { device, rawPath } = installFakeMicrophone(folder, text, options);
  return {
    configHome: folder,
    device,
    rawPath,
    dispose: () => rm(folder, { recursive: true, force: true }),
  };
}
