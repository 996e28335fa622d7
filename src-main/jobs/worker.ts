/**
 * Entry point of a job's process. It receives one job from the app, runs it, reports progress
 * and ends with exactly one terminal message. A crash here ends this process only.
 */
import type { FromWorkerMessage, ToWorkerMessage } from '../domain/jobs/worker-protocol';
import { isAbortError, toErrorData } from '../domain/errors';
import { runJob } from './job-kinds';

const controller = new AbortController();
let started = false;

function post(message: FromWorkerMessage, then?: () => void): void {
  if (!process.send) return;
  process.send(message, undefined, {}, () => then?.());
}

function end(message: FromWorkerMessage): void {
  post(message, () => process.exit(0));
}

process.on('message', (message: ToWorkerMessage) => {
  if (message.type === 'cancel') {
    controller.abort();
    return;
  }
  if (message.type !== 'start' || started) return;
  started = true;
  runJob(message.spec, {
    dataDir: message.dataDir,
    signal: controller.signal,
    onProgress: (progress) => post({ type: 'progress', progress }),
  }).then(
    (result) => end({ type: 'succeeded', result }),
    (error: unknown) =>
      end(
        controller.signal.aborted && isAbortError(error)
          ? { type: 'cancelled' }
          : { type: 'failed', error: toErrorData(error) },
      ),
  );
});

// The app went away: nothing will read our result, so stop.
process.on('disconnect', () => process.exit(0));
