import { describe, expect, it } from 'vitest';
import { UnfoldError } from '../errors';
import { queueChecks, type QueueProbe } from './queue-check';

const probe = (over: Partial<QueueProbe>): QueueProbe => ({
  label: 'redis://lab-pc:6379',
  version: () => Promise.resolve('7.0.15'),
  workers: () => Promise.resolve([]),
  ...over,
});

describe('queueChecks', () => {
  it('reports the version and every worker seen', async () => {
    const checks = await queueChecks(
      probe({
        workers: () =>
          Promise.resolve([
            { addr: '10.0.0.5:41234', age: 12 },
            { addr: '10.0.0.6:50000', age: null },
          ]),
      }),
    );
    expect(checks.map((c) => [c.id, c.status])).toEqual([
      ['queue', 'ok'],
      ['queue-workers', 'ok'],
    ]);
    expect(checks[0]?.detail).toBe('reachable, Redis 7.0.15');
    expect(checks[1]?.detail).toBe('2 connected: 10.0.0.5:41234 (for 12 s), 10.0.0.6:50000');
  });

  it('warns when no worker is connected', async () => {
    const [, workers] = await queueChecks(probe({}));
    expect(workers?.status).toBe('warning');
    expect(workers?.hint).toContain('unfold worker');
  });

  it('fails with the password hint on a refused password, and checks nothing further', async () => {
    const checks = await queueChecks(
      probe({
        version: () => Promise.reject(new UnfoldError('QUEUE_AUTH', 'refused the password')),
      }),
    );
    expect(checks).toHaveLength(1);
    expect(checks[0]?.status).toBe('error');
    expect(checks[0]?.detail).toBe('refused the password');
    expect(checks[0]?.hint).toContain('UNFOLD_REDIS_PASSWORD');
  });

  it('fails with the redis-server hint when unreachable', async () => {
    const [check] = await queueChecks(
      probe({ version: () => Promise.reject(new UnfoldError('QUEUE_UNREACHABLE', 'no route')) }),
    );
    expect(check?.status).toBe('error');
    expect(check?.hint).toContain('redis-server');
  });
});
