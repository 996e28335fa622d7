import { execFile } from 'node:child_process';
import { NO_CAPTURE_DEVICE } from '../../api/audio';
import { UnfoldError } from '../errors';

export { NO_CAPTURE_DEVICE };

export interface CaptureDevice {
  /** What to pass as `device` (arecord -D, AUDIODEV for sox). */
  id: string;
  /** The first description line. */
  name: string;
  description: string;
}

/**
 * ALSA's "null" PCM captures endless zeros: listing it would offer a "microphone" that records
 * silence, so no list shown to a user contains it.
 */
const SILENT_DEVICE_IDS = new Set(['null']);

/** Parses `arecord -L`: an unindented line is a device id, indented lines describe it. */
export function parseArecordList(output: string): CaptureDevice[] {
  const devices: CaptureDevice[] = [];
  for (const line of output.split('\n')) {
    if (line.trim() === '') continue;
    if (!/^\s/.test(line)) {
      devices.push({ id: line.trim(), name: '', description: '' });
      continue;
    }
    const device = devices[devices.length - 1];
    if (!device) continue;
    const text = line.trim();
    if (device.name === '') device.name = text;
    device.description = device.description ? `${device.description} ${text}` : text;
  }
  return devices.map((device) => ({ ...device, name: device.name || device.id }));
}

/** The devices a user can record from, out of `arecord -L`'s output. */
export function usableCaptureDevices(output: string): CaptureDevice[] {
  return parseArecordList(output).filter((device) => !SILENT_DEVICE_IDS.has(device.id));
}

/** The error `unfold audio devices` ends with when the list is empty. */
export function noCaptureDeviceError(): UnfoldError {
  return new UnfoldError(
    'NO_CAPTURE_DEVICE',
    `${NO_CAPTURE_DEVICE.message} ${NO_CAPTURE_DEVICE.hint}`,
  );
}

/**
 * The one list of capture devices (`arecord -L` without the null device) that the CLI, the
 * doctor, the API's `audio:devices` and hence the device pickers all show. Throws
 * RECORDER_NOT_FOUND when arecord is missing and DEVICE_LIST_FAILED when it fails.
 */
export async function listCaptureDevices(
  env: NodeJS.ProcessEnv = process.env,
): Promise<CaptureDevice[]> {
  const output = await new Promise<string>((resolve, reject) => {
    execFile('arecord', ['-L'], { env, timeout: 10_000 }, (error, stdout, stderr) => {
      if (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          reject(
            new UnfoldError(
              'RECORDER_NOT_FOUND',
              'arecord not found: install it with `sudo apt install alsa-utils`.',
            ),
          );
        } else {
          reject(
            new UnfoldError(
              'DEVICE_LIST_FAILED',
              `arecord -L failed: ${stderr.trim() || error.message}`,
            ),
          );
        }
        return;
      }
      resolve(stdout);
    });
  });
  return usableCaptureDevices(output);
}
