import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { UnfoldError } from '../errors';

export const BACKEND_NAMES = ['tensorflow', 'wasm', 'cpu'] as const;
export type BackendName = (typeof BACKEND_NAMES)[number];

export interface BackendAttempt {
  name: BackendName;
  ok: boolean;
  error?: string;
}

export interface BackendInfo {
  name: BackendName;
  /** Why this backend: forced by UNFOLD_BACKEND, or the first of tensorflow, wasm, cpu that worked. */
  reason: string;
  forced: boolean;
  /** WebAssembly SIMD, for the wasm backend; null for the others. */
  simd: boolean | null;
  attempts: BackendAttempt[];
}

// A variable specifier keeps bundlers and the type checker from requiring the optional package.
const TFJS_NODE = '@tensorflow/tfjs-node';

async function tryTensorflow(): Promise<void> {
  // tfjs-node registers the 'tensorflow' backend in the shared tfjs-core registry when loaded.
  await import(/* @vite-ignore */ TFJS_NODE);
  if (!(await tf.setBackend('tensorflow')))
    throw new Error('tfjs-node loaded but its backend did not start');
}

async function tryWasm(): Promise<void> {
  const require = createRequire(import.meta.url);
  const wasmPackage = require.resolve('@tensorflow/tfjs-backend-wasm/package.json');
  setWasmPaths(join(dirname(wasmPackage), 'dist') + '/');
  shareDataOnWasmClone();
  if (!(await tf.setBackend('wasm'))) throw new Error('the wasm backend did not start');
}

/**
 * The wasm backend's Identity kernel (tf.clone, and every tensor the engine saves for a
 * gradient) copies the tensor's memory; the cpu backend's, like the wasm backend's own reshape,
 * shares the data and counts one more reference. TF.js kernels never write their inputs, and
 * the one place that writes tensor memory in place (updateInPlace in rnn/sparse-rows.ts) copies
 * shared data first, so sharing is safe: it saves a copy of each saved tensor (1.7% of the EWT
 * tagger's training step).
 */
function shareDataOnWasmClone(): void {
  tf.unregisterKernel(tf.Identity, 'wasm');
  tf.registerKernel({
    kernelName: tf.Identity,
    backendName: 'wasm',
    kernelFunc: ({ inputs, backend }) => {
      const x = inputs.x as tf.TensorInfo;
      (backend as unknown as { incRef(dataId: tf.DataId): void }).incRef(x.dataId);
      return { dataId: x.dataId, shape: x.shape, dtype: x.dtype };
    },
  });
}

async function tryCpu(): Promise<void> {
  if (!(await tf.setBackend('cpu'))) throw new Error('the cpu backend did not start');
}

const STARTERS: Record<BackendName, () => Promise<void>> = {
  tensorflow: tryTensorflow,
  wasm: tryWasm,
  cpu: tryCpu,
};

export function parseBackendName(value: string | undefined): BackendName | undefined {
  if (value === undefined || value === '') return undefined;
  if ((BACKEND_NAMES as readonly string[]).includes(value)) return value as BackendName;
  throw new UnfoldError(
    'BAD_BACKEND',
    `UNFOLD_BACKEND=${value} is not a backend; use one of ${BACKEND_NAMES.join(', ')}.`,
  );
}

let current: Promise<BackendInfo> | undefined;

/**
 * Starts TF.js on the best backend this machine has: tfjs-node (native TensorFlow) where it
 * installed, else wasm (SIMD), else the plain JS cpu backend. `UNFOLD_BACKEND` forces one, and
 * then a failure is an error rather than a silent fallback. Idempotent within a process.
 */
export function initTfBackend(env: NodeJS.ProcessEnv = process.env): Promise<BackendInfo> {
  current ??= startBackend(env);
  return current;
}

async function startBackend(env: NodeJS.ProcessEnv): Promise<BackendInfo> {
  const forcedName = parseBackendName(env.UNFOLD_BACKEND);
  const order: BackendName[] = forcedName ? [forcedName] : [...BACKEND_NAMES];
  const attempts: BackendAttempt[] = [];
  for (const name of order) {
    try {
      await STARTERS[name]();
      await tf.ready();
      attempts.push({ name, ok: true });
      const simd =
        name === 'wasm' ? Boolean(await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) : null;
      const failed = attempts.filter((a) => !a.ok).map((a) => `${a.name}: ${a.error}`);
      const reason = forcedName
        ? `forced by UNFOLD_BACKEND=${forcedName}`
        : failed.length === 0
          ? `${name} is the fastest backend available`
          : `${failed.join('; ')}`;
      return { name, reason, forced: forcedName !== undefined, simd, attempts };
    } catch (error) {
      attempts.push({ name, ok: false, error: describeLoadError(name, error) });
    }
  }
  const detail = attempts.map((a) => `${a.name}: ${a.error}`).join('; ');
  throw new UnfoldError('BACKEND_UNAVAILABLE', `No TensorFlow.js backend could start (${detail}).`);
}

function describeLoadError(name: BackendName, error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  if (name === 'tensorflow' && /Cannot find (module|package)/.test(message)) {
    return '@tensorflow/tfjs-node is not installed (its installer needs internet to fetch libtensorflow)';
  }
  return message.split('\n')[0] ?? message;
}
