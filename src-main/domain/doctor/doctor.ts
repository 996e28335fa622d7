import type { BackendStatus, DoctorCheck, DoctorReport, RnnKernelStatus } from '../../api/app';
import type { BackendInfo } from '../backend/tf-backend';
import { NO_CAPTURE_DEVICE } from '../audio/capture-devices';
import { ELECTRON_BINARY_MISSING_HINT, type ElectronInstall } from './electron-install';
import type { SystemProbes } from './system-probes';

export interface DoctorInputs {
  nodeVersion: string;
  /** Set when running inside Electron. */
  runningElectronVersion: string | null;
  electron: ElectronInstall;
  dataDir: string;
  dataDirWritable: boolean;
  backend: () => Promise<BackendInfo>;
  /**
   * Which implementation runs the recurrent layers, and why (rnn/kernels/native-sequence.ts's
   * rnnKernelStatus: the native kernel with its thread count, the TF.js kernels with the reason
   * the native one did not load, or a bad UNFOLD_RNN_KERNEL).
   */
  rnnKernel: () => RnnKernelStatus;
  probes: SystemProbes;
}

/** How the native kernel gets built where it did not (binding.gyp's needs). */
const NATIVE_KERNEL_HINT =
  'Install the compiler and OpenBLAS (sudo apt-get install g++ make libopenblas-dev), then `npm ci` (or `node src-main/native/build.mjs` in a checkout) builds it; training and recognition run meanwhile on the slower TF.js kernels.';

const LOW_SPACE_BYTES = 1024 ** 3;
const MIN_NODE: [number, number] = [20, 19];

interface ProgramNeed {
  id: string;
  label: string;
  args: string[];
  debianPackage: string;
  usedFor: string;
}

const PROGRAMS: ProgramNeed[] = [
  {
    id: 'sox',
    label: 'sox',
    args: ['--version'],
    debianPackage: 'sox',
    usedFor: 'recording with the sox recorder and audio conversion',
  },
  {
    id: 'arecord',
    label: 'arecord',
    args: ['--version'],
    debianPackage: 'alsa-utils',
    usedFor: 'recording the microphone',
  },
  {
    id: 'espeak-ng',
    label: 'espeak-ng',
    args: ['--version'],
    debianPackage: 'espeak-ng',
    usedFor: 'synthesising word corpora',
  },
  {
    id: 'flite',
    label: 'flite',
    args: ['--version'],
    debianPackage: 'flite',
    usedFor: 'synthesising aligned speech',
  },
  {
    id: 'festival',
    label: 'festival',
    args: ['--version'],
    debianPackage: 'festival',
    usedFor: 'synthesising aligned speech',
  },
  {
    id: 'chromium',
    label: 'chromium',
    args: ['--version'],
    debianPackage: 'chromium',
    usedFor: 'the browser tests',
  },
];

function nodeIsRecentEnough(version: string): boolean {
  const [major = 0, minor = 0] = version.replace(/^v/, '').split('.').map(Number);
  return major > MIN_NODE[0] || (major === MIN_NODE[0] && minor >= MIN_NODE[1]);
}

export function formatBytes(bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'];
  let value = bytes;
  let unit = 0;
  while (value >= 1024 && unit < units.length - 1) {
    value /= 1024;
    unit++;
  }
  return `${value.toFixed(unit === 0 ? 0 : 1)} ${units[unit]}`;
}

/**
 * Tells the truth about this machine: what Unfold can use and what is missing, with what to
 * install. `ok` is false only when the app cannot run at all (old Node, no writable data
 * folder, no TF.js backend); a missing program only disables what needs it.
 */
export async function runDoctor(inputs: DoctorInputs): Promise<DoctorReport> {
  const checks: DoctorCheck[] = [];
  const { probes } = inputs;

  checks.push(
    nodeIsRecentEnough(inputs.nodeVersion)
      ? { id: 'node', label: 'Node.js', status: 'ok', detail: inputs.nodeVersion }
      : {
          id: 'node',
          label: 'Node.js',
          status: 'error',
          detail: `${inputs.nodeVersion} is too old`,
          hint: `Install Node.js ${MIN_NODE.join('.')} or newer.`,
        },
  );

  if (inputs.runningElectronVersion) {
    checks.push({
      id: 'electron',
      label: 'Electron',
      status: 'ok',
      detail: `running ${inputs.runningElectronVersion}`,
    });
  } else if (!inputs.electron.version) {
    checks.push({
      id: 'electron',
      label: 'Electron',
      status: 'warning',
      detail: 'not installed',
      hint: 'Run `npm ci` in the Unfold folder; until then use `unfold serve`.',
    });
  } else if (!inputs.electron.binaryPath) {
    checks.push({
      id: 'electron',
      label: 'Electron',
      status: 'warning',
      detail: `electron ${inputs.electron.version} is installed but its binary was not downloaded`,
      hint: ELECTRON_BINARY_MISSING_HINT,
    });
  } else {
    checks.push({
      id: 'electron',
      label: 'Electron',
      status: 'ok',
      detail: `${inputs.electron.version} (${inputs.electron.binaryPath})`,
    });
  }

  const rnnKernel = inputs.rnnKernel();
  let backend: BackendStatus | null = null;
  try {
    const info = await inputs.backend();
    backend = {
      name: info.name,
      reason: info.reason,
      forced: info.forced,
      simd: info.simd,
      rnnKernel,
    };
    const simdNote =
      info.simd === null ? '' : info.simd ? ', WebAssembly SIMD on' : ', WebAssembly SIMD off';
    checks.push({
      id: 'backend',
      label: 'TensorFlow.js backend',
      status: info.name === 'cpu' && !info.forced ? 'warning' : 'ok',
      detail: `${info.name}${simdNote} — ${info.reason}`,
      ...(info.name === 'tensorflow'
        ? {}
        : {
            hint: 'Native TensorFlow (@tensorflow/tfjs-node) is faster; it installs with `npm ci` on a machine with internet.',
          }),
    });
  } catch (error) {
    checks.push({
      id: 'backend',
      label: 'TensorFlow.js backend',
      status: 'error',
      detail: (error as Error).message,
      hint: 'Reinstall with `npm ci`; unset UNFOLD_BACKEND to let Unfold choose.',
    });
  }

  checks.push(rnnKernelCheck(rnnKernel));

  for (const program of PROGRAMS) {
    const path = await probes.findProgram(program.id);
    if (!path) {
      checks.push({
        id: program.id,
        label: program.label,
        status: 'warning',
        detail: `not found; needed for ${program.usedFor}`,
        hint: `sudo apt-get install ${program.debianPackage}`,
      });
      continue;
    }
    const version = await probes.programVersion(path, program.args);
    checks.push({
      id: program.id,
      label: program.label,
      status: 'ok',
      detail: `${path}${version ? ` — ${version}` : ''}`,
    });
  }

  const devices = await probes.captureDevices();
  if (devices === null) {
    checks.push({
      id: 'capture',
      label: 'Audio capture devices',
      status: 'warning',
      detail: 'cannot list them: arecord is missing',
      hint: 'sudo apt-get install alsa-utils',
    });
  } else if (devices.length === 0) {
    checks.push({
      id: 'capture',
      label: 'Audio capture devices',
      status: 'warning',
      detail: NO_CAPTURE_DEVICE.message,
      hint: NO_CAPTURE_DEVICE.hint,
    });
  } else {
    checks.push({
      id: 'capture',
      label: 'Audio capture devices',
      status: 'ok',
      detail: devices.map((device) => device.id).join(', '),
    });
  }

  const free = await probes.freeBytes(inputs.dataDir);
  if (!inputs.dataDirWritable) {
    checks.push({
      id: 'data',
      label: 'Data folder',
      status: 'error',
      detail: `${inputs.dataDir} is not writable`,
      hint: 'Choose another folder with --data or UNFOLD_DATA.',
    });
  } else {
    const low = free !== null && free < LOW_SPACE_BYTES;
    checks.push({
      id: 'data',
      label: 'Data folder',
      status: low ? 'warning' : 'ok',
      detail: `${inputs.dataDir}${free === null ? '' : ` — ${formatBytes(free)} free`}`,
      ...(low
        ? { hint: 'Less than 1 GiB free: recordings, features and checkpoints may not fit.' }
        : {}),
    });
  }

  return {
    ok: checks.every((check) => check.status !== 'error'),
    checks,
    backend,
    captureDevices: (devices ?? []).map((device) => device.id),
    dataDir: inputs.dataDir,
    dataDirFreeBytes: free,
  };
}

function rnnKernelCheck(kernel: RnnKernelStatus): DoctorCheck {
  const label = 'Recurrent-layer kernel';
  if (kernel.implementation === null)
    return {
      id: 'rnn-kernel',
      label,
      status: 'error',
      detail: kernel.reason,
      hint: 'Unset UNFOLD_RNN_KERNEL to let Unfold choose.',
    };
  if (kernel.implementation === 'native')
    return { id: 'rnn-kernel', label, status: 'ok', detail: `native — ${kernel.reason}` };
  const forced = kernel.reason.startsWith('UNFOLD_RNN_KERNEL=');
  return {
    id: 'rnn-kernel',
    label,
    status: forced ? 'ok' : 'warning',
    detail: `TF.js kernels — ${kernel.reason}`,
    ...(forced ? {} : { hint: NATIVE_KERNEL_HINT }),
  };
}
