import { execFile } from 'node:child_process';
import { UnfoldError } from '../errors';

export interface CaptureDevice {
  /** What to pass as `device` (arecord -D, AUDIODEV for sox). */
  id: string;
  /** The first description line. */
  name: string;
  description: string;
}

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

/** Lists ALSA capture devices with `arecord -L` (the null device left out). */
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
  return parseArecordList(output).filter((device) => device.id !== 'null');
}
