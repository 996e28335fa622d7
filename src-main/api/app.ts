export interface BackendStatus {
  name: 'tensorflow' | 'wasm' | 'cpu';
  reason: string;
  forced: boolean;
  simd: boolean | null;
}

export interface AppInfo {
  name: 'Unfold';
  version: string;
  dataDir: string;
  platform: string;
  nodeVersion: string;
  electronVersion: string | null;
}

export type CheckStatus = 'ok' | 'warning' | 'error';

export interface DoctorCheck {
  id: string;
  label: string;
  status: CheckStatus;
  detail: string;
  /** What to do about a warning or an error. */
  hint?: string;
}

export interface DoctorReport {
  /** True when the app can run; warnings disable features, errors stop the app. */
  ok: boolean;
  checks: DoctorCheck[];
  backend: BackendStatus | null;
  /** The ids of the capture devices `audio:devices` lists (never ALSA's silent "null"). */
  captureDevices: string[];
  dataDir: string;
  dataDirFreeBytes: number | null;
}
