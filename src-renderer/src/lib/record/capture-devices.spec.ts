import { describe, expect, it } from 'vitest';
import type { ApiClient } from '@api/client-core';
import type { CaptureDeviceInfo } from '@api/audio';
import {
  chooseCaptureDevice,
  loadDeviceChoice,
  rememberCaptureDevice,
  rememberedCaptureDevice,
  REMEMBERED_DEVICE_KEY,
  type DeviceMemory,
} from './capture-devices';

const devices: CaptureDeviceInfo[] = [
  { id: 'hw:0,0', name: 'Built-in', description: 'Built-in microphone' },
  { id: 'fakemic', name: 'Test', description: 'Unfold test microphone' },
];

function memory(
  initial: Record<string, string> = {},
): DeviceMemory & { values: Map<string, string> } {
  const values = new Map(Object.entries(initial));
  return {
    values,
    getItem: (key) => values.get(key) ?? null,
    setItem: (key, value) => void values.set(key, value),
  };
}

describe('chooseCaptureDevice', () => {
  it('keeps a current choice that is still listed', () => {
    expect(chooseCaptureDevice(devices, 'fakemic', 'hw:0,0')).toBe('fakemic');
  });

  it('falls back to the remembered device, then to the system default', () => {
    expect(chooseCaptureDevice(devices, '', 'fakemic')).toBe('fakemic');
    expect(chooseCaptureDevice(devices, 'unplugged', 'fakemic')).toBe('fakemic');
    expect(chooseCaptureDevice(devices, 'unplugged', 'gone too')).toBe('');
    expect(chooseCaptureDevice(devices, '', null)).toBe('');
    expect(chooseCaptureDevice([], 'fakemic', 'fakemic')).toBe('');
  });
});

describe('the remembered device', () => {
  it('round-trips through the storage', () => {
    const store = memory();
    expect(rememberedCaptureDevice(store)).toBeNull();
    rememberCaptureDevice(store, 'fakemic');
    expect(store.values.get(REMEMBERED_DEVICE_KEY)).toBe('fakemic');
    expect(rememberedCaptureDevice(store)).toBe('fakemic');
  });

  it('survives a storage that throws, or none at all', () => {
    const broken: DeviceMemory = {
      getItem: () => {
        throw new Error('SecurityError');
      },
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(rememberedCaptureDevice(broken)).toBeNull();
    expect(() => rememberCaptureDevice(broken, 'x')).not.toThrow();
    expect(rememberedCaptureDevice(null)).toBeNull();
  });
});

describe('loadDeviceChoice', () => {
  it('asks audio:devices once and preselects the remembered device', async () => {
    const calls: string[] = [];
    const client = {
      invoke: (channel: string) => {
        calls.push(channel);
        return Promise.resolve(devices);
      },
    } as unknown as Pick<ApiClient, 'invoke'>;
    const choice = await loadDeviceChoice(
      client,
      '',
      memory({ [REMEMBERED_DEVICE_KEY]: 'fakemic' }),
    );
    expect(calls).toEqual(['audio:devices']);
    expect(choice).toEqual({ devices, device: 'fakemic' });
  });
});
