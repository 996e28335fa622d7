/**
 * The doctor's real queue probe: the sweeps' own connection check (queue-connection.ts) for
 * reachability, password and version, and BullMQ's list of the workers of Unfold's queue.
 */
import { Queue } from 'bullmq';
import type { QueueConnection } from '../sweeps/queue/queue-connection';
import {
  SWEEP_QUEUE_NAME,
  checkQueue,
  queueLabel,
  redisClient,
} from '../sweeps/queue/queue-connection';
import type { QueueProbe, QueueWorkerSeen } from './queue-check';

export function createQueueProbe(connection: QueueConnection): QueueProbe {
  return {
    label: queueLabel(connection),
    version: async () => (await checkQueue(connection)).redisVersion,
    async workers(): Promise<QueueWorkerSeen[]> {
      const client = redisClient({ ...connection });
      const queue = new Queue(SWEEP_QUEUE_NAME, { connection: client });
      queue.on('error', () => undefined);
      try {
        const clients = await queue.getWorkers();
        return clients.map((entry) => ({
          addr: entry.addr ?? 'unknown address',
          age: entry.age !== undefined && /^\d+$/.test(entry.age) ? Number(entry.age) : null,
        }));
      } finally {
        await queue.close();
        client.disconnect();
      }
    },
  };
}
