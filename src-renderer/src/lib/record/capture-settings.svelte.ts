import type { ApiClient } from '@api/client-core';
import type { CaptureDeviceInfo, RecorderProgramName } from '@api/audio';
import { defaultDeviceMemory, loadDeviceChoice, rememberCaptureDevice } from './capture-devices';

/** The capture options record:start and live:start share. */
export interface CaptureStartOptions {
  device?: string;
  program: RecorderProgramName;
  maxSeconds?: number;
}

/**
 * What the Record and the Live view both let the user choose before capturing: the device
 * (preselected as capture-devices.ts says), the recorder program and an optional time limit.
 */
export class CaptureSettings {
  devices = $state.raw<CaptureDeviceInfo[]>([]);
  devicesLoaded = $state(false);
  device = $state('');
  program = $state<RecorderProgramName>('arecord');
  /** Empty means no limit. */
  maxSeconds = $state<number | null>(null);

  /** Fetches the devices and picks the one to select. Throws what `audio:devices` throws. */
  async loadDevices(client: Pick<ApiClient, 'invoke'>): Promise<void> {
    try {
      ({ devices: this.devices, device: this.device } = await loadDeviceChoice(
        client,
        this.device,
      ));
    } finally {
      this.devicesLoaded = true;
    }
  }

  /** The options of a start request; '' (the system default) and no limit are left out. */
  startOptions(): CaptureStartOptions {
    return {
      ...(this.device ? { device: this.device } : {}),
      program: this.program,
      ...(this.maxSeconds ? { maxSeconds: this.maxSeconds } : {}),
    };
  }

  /** Called once a capture has started: the next visit to either view preselects its device. */
  rememberDevice(): void {
    rememberCaptureDevice(defaultDeviceMemory(), this.device);
  }
}
