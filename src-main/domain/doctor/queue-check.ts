/**
 * `unfold doctor --queue URL`: whether a sweep queue (BullMQ over Redis) can be used from this
 * machine: reachable and logged in, its Redis version, and the `unfold worker`s it sees. The
 * talking to Redis comes in as a probe (queue-probe.ts), so the wording is tested without one.
 */
import type { DoctorCheck } from '../../api/app';
import { toErrorData } from '../errors';
import { QUEUE_PASSWORD_ENV } from '../sweeps/queue/queue-connection';

/** A BullMQ worker connection as Redis's CLIENT LIST shows it. */
export interface QueueWorkerSeen {
  /** host:port the worker connects from. */
  addr: string;
  /** Seconds the connection has been open. */
  age: number | null;
}

export interface QueueProbe {
  /** Where the queue is, as shown to people (never with a password). */
  label: string;
  /** Connects and logs in: the Redis version, or an error saying what went wrong. */
  version(): Promise<string>;
  /** The workers connected to Unfold's sweep queue. */
  workers(): Promise<QueueWorkerSeen[]>;
}

/** The doctor's checks of a queue; an unreachable or refused queue is an error. */
export async function queueChecks(probe: QueueProbe): Promise<DoctorCheck[]> {
  let version: string;
  try {
    version = await probe.version();
  } catch (error) {
    const { code, message } = toErrorData(error);
    return [
      {
        id: 'queue',
        label: `Sweep queue ${probe.label}`,
        status: 'error',
        detail: message,
        hint:
          code === 'QUEUE_AUTH'
            ? `Give the queue's password in ${QUEUE_PASSWORD_ENV} or --password-file (never in the URL).`
            : 'Start redis-server on that machine (Debian: apt-get install redis-server), let it listen on the lab address (`bind`), and open its port.',
      },
    ];
  }
  const checks: DoctorCheck[] = [
    {
      id: 'queue',
      label: `Sweep queue ${probe.label}`,
      status: 'ok',
      detail: `reachable, Redis ${version}`,
    },
  ];
  try {
    const workers = await probe.workers();
    checks.push(
      workers.length === 0
        ? {
            id: 'queue-workers',
            label: 'Sweep queue workers',
            status: 'warning',
            detail: 'none connected',
            hint: 'Start `unfold worker --queue URL` on each lab PC; runs wait in the queue until one takes them.',
          }
        : {
            id: 'queue-workers',
            label: 'Sweep queue workers',
            status: 'ok',
            detail: `${workers.length} connected: ${workers
              .map((w) => (w.age === null ? w.addr : `${w.addr} (for ${w.age} s)`))
              .join(', ')}`,
          },
    );
  } catch (error) {
    checks.push({
      id: 'queue-workers',
      label: 'Sweep queue workers',
      status: 'warning',
      detail: `cannot list them: ${toErrorData(error).message}`,
    });
  }
  return checks;
}
