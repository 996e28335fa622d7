/**
 * Which implementation runs the recurrent layers: the native kernel (C over OpenBLAS) or the
 * TF.js kernels, and why; null when UNFOLD_RNN_KERNEL names neither (the reason says so).
 */
export interface RnnKernelStatus {
  implementation: 'native' | 'tfjs' | null;
  reason: string;
}

export interface BackendStatus {
  name: 'tensorflow' | 'wasm' | 'cpu';
  reason: string;
  forced: boolean;
  simd: boolean | null;
  rnnKernel: RnnKernelStatus;
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
