/**
 * A fake microphone the test speaks into word by word. The file-backed fake microphone
 * (tests/support/fake-microphone.ts) is unpaced: the whole take arrives at once, so nothing
 * can happen "between two words". Here ALSA's `type file` plugin reads a named pipe instead:
 * arecord blocks until the test writes, so each `speak` delivers one word (and the silence
 * after it) when the test chooses. The pipe is opened read-write by the test, which on Linux
 * never blocks and keeps the pipe open across the recorder's open/close (no EOF, which the
 * plugin would answer with an endless burst of stale samples).
 *
 * Audio is synthesised at test time with espeak-ng (no audio is committed): raw S16_LE mono
 * 16 kHz, as the plugin expects (see /work/shared/PITFALLS.md, "Fake microphone").
 */
import { execFileSync } from 'node:child_process';
import { appendFile, mkdir, open, type FileHandle } from 'node:fs/promises';
import { join } from 'node:path';

export const SAMPLE_RATE = 16_000;

/** espeak-ng speech as raw S16_LE mono 16 kHz samples. */
export function synthesiseWord(word: string, folder: string, voice = 'en-us', speed = 150): Buffer {
  const wav = join(folder, `word-${word.replace(/[^a-z0-9]+/gi, '_')}.wav`);
  execFileSync('espeak-ng', ['-v', voice, '-s', String(speed), '-w', wav, word]);
  // prettier-ignore
  return execFileSync('sox', [wav, '-t', 'raw', '-r', String(SAMPLE_RATE), '-c', '1', '-e', 'signed-integer', '-b', '16', '-L', '-']);
}

/** Digital silence of the given length. */
export function silence(seconds: number): Buffer {
  return Buffer.alloc(Math.round(seconds * SAMPLE_RATE) * 2);
}

export interface PacedMicrophone {
  /** The ALSA device id to pick in the UI. */
  device: string;
  /** Writes samples into the pipe; resolves once the pipe has taken them. */
  write(samples: Buffer): Promise<void>;
  /** Writes a synthesised word followed by `silenceAfterSeconds` of silence. */
  speak(word: string, silenceAfterSeconds?: number): Promise<void>;
  close(): Promise<void>;
}

/**
 * Adds an ALSA device `name` reading the pipe `<configHome>/<name>.fifo` to the asoundrc of a
 * fake microphone's config folder (the server must be started with XDG_CONFIG_HOME there).
 */
export async function installPacedMicrophone(
  configHome: string,
  name = 'pacedmic',
  voice = 'en-us',
): Promise<PacedMicrophone> {
  const fifo = join(configHome, `${name}.fifo`);
  execFileSync('mkfifo', [fifo]);
  await mkdir(join(configHome, 'alsa'), { recursive: true });
  await appendFile(
    join(configHome, 'alsa', 'asoundrc'),
    `pcm.${name} {\n  type file\n  slave.pcm "null"\n  file "/dev/null"\n  infile "${fifo}"\n  format "raw"\n` +
      `  hint { show on description "Unfold test microphone (paced by the test)" }\n}\n`,
  );
  const handle: FileHandle = await open(fifo, 'r+');
  const words = new Map<string, Buffer>();
  const write = async (samples: Buffer): Promise<void> => {
    // A pipe takes 64 KiB; write in pieces so a long buffer streams while the recorder reads.
    for (let offset = 0; offset < samples.length; offset += 16_384) {
      await handle.write(samples.subarray(offset, Math.min(samples.length, offset + 16_384)));
    }
  };
  return {
    device: name,
    write,
    async speak(word, silenceAfterSeconds = 0.8) {
      let speech = words.get(word);
      if (!speech) {
        speech = synthesiseWord(word, configHome, voice);
        words.set(word, speech);
      }
      await write(Buffer.concat([speech, silence(silenceAfterSeconds)]));
    },
    close: () => handle.close(),
  };
}
