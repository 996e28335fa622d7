/**
 * The capture devices both the Record and the Live view offer, and which one to preselect:
 * the device last used to start a recording or a live session (remembered in the browser's
 * storage, so it carries across views and reloads) when it is still plugged in, else the
 * system default ('').
 */
import type { ApiClient } from '@api/client-core';
import type { CaptureDeviceInfo } from '@api/audio';

/** The storage key of the device last used to capture. */
export const REMEMBERED_DEVICE_KEY = 'unfold.captureDevice';

/** The part of the Web Storage API used here; tests hand in a Map-backed fake. */
export type DeviceMemory = Pick<Storage, 'getItem' | 'setItem'>;

export function loadCaptureDevices(
  client: Pick<ApiClient, 'invoke'>,
): Promise<CaptureDeviceInfo[]> {
  return client.invoke('audio:devices');
}

/**
 * The device to select once the list is known: the current choice if it is still listed, else
 * the remembered one if listed, else '' (the system default). A choice that has vanished
 * (unplugged) falls back rather than starting a recording that would fail.
 */
export function chooseCaptureDevice(
  devices: readonly CaptureDeviceInfo[],
  current: string,
  remembered: string | null,
): string {
  const listed = (id: string | null): id is string =>
    id !== null && id !== '' && devices.some((device) => device.id === id);
  if (listed(current)) return current;
  if (listed(remembered)) return remembered;
  return '';
}

/** The browser's localStorage, or null where there is none or it is blocked. */
export function defaultDeviceMemory(): DeviceMemory | null {
  try {
    return typeof localStorage === 'undefined' ? null : localStorage;
  } catch {
    return null;
  }
}

export function rememberedCaptureDevice(memory: DeviceMemory | null): string | null {
  try {
    return memory?.getItem(REMEMBERED_DEVICE_KEY) ?? null;
  } catch {
    return null;
  }
}

/** Remembers the device a capture was started with ('' = the system default). */
export function rememberCaptureDevice(memory: DeviceMemory | null, device: string): void {
  try {
    memory?.setItem(REMEMBERED_DEVICE_KEY, device);
  } catch {
    // A full or blocked storage only loses the preselection.
  }
}

/**
 * Fetches the devices and picks the one to select: what both stores' `loadDevices` do.
 * Throws what `audio:devices` throws.
 */
export async function loadDeviceChoice(
  client: Pick<ApiClient, 'invoke'>,
  current: string,
  memory: DeviceMemory | null = defaultDeviceMemory(),
): Promise<{ devices: CaptureDeviceInfo[]; device: string }> {
  const devices = await loadCaptureDevices(client);
  return {
    devices,
    device: chooseCaptureDevice(devices, current, rememberedCaptureDevice(memory)),
  };
}
