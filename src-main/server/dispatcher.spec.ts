import { describe, expect, it } from 'vitest';
import { createDispatcher, type RequestHandlers } from './dispatcher';
import { UnfoldError } from '../domain/errors';
import type { JobInfo } from '../api/jobs';
import type { SweepData } from '../api/sweeps';

const job: JobInfo = {
  id: 'job-1',
  kind: 'selftest',
  title: 'Self-test',
  subject: null,
  state: 'queued',
  progress: { fraction: 0 },
  createdAt: '2026-01-01T00:00:00.000Z',
};

function handlers(overrides: Partial<RequestHandlers> = {}): RequestHandlers {
  const fail = (): never => {
    throw new Error('not called in this test');
  };
  return {
    'app:info': fail,
    'app:backend': fail,
    'app:doctor': fail,
    'jobs:list': () => [job],
    'jobs:get': ({ id }) => {
      throw new UnfoldError('JOB_NOT_FOUND', `There is no job with id ${id}.`);
    },
    'jobs:start': (spec) => ({
      ...job,
      title: `steps=${spec.kind === 'selftest' ? spec.params.steps : 0}`,
    }),
    'jobs:cancel': fail,
    'audio:devices': fail,
    'audio:recordings': fail,
    'audio:open': fail,
    'audio:bytes': fail,
    'audio:import': fail,
    'record:start': fail,
    'record:pause': fail,
    'record:resume': fail,
    'record:stop': fail,
    'record:status': fail,
    'corpus:list': fail,
    'corpus:overview': fail,
    'corpus:utterances': fail,
    'corpus:sentences': fail,
    'corpus:utterance': fail,
    'corpus:edit': fail,
    'corpus:tier-edit': fail,
    'corpus:add-recording': fail,
    'corpus:undo': fail,
    'corpus:redo': fail,
    'corpus:reload': fail,
    'corpus:split': fail,
    'corpus:voices': fail,
    'experiments:list': fail,
    'experiments:get': fail,
    'experiments:evaluation': fail,
    'experiments:presets': fail,
    'experiments:posteriorgram': fail,
    'live:start': fail,
    'live:stop': fail,
    'live:status': fail,
    'live:threshold': fail,
    'text:tag': fail,
    'sentiment:classify': fail,
    'inside:trace': fail,
    'inside:dynamics': fail,
    'experiments:cross-validation': fail,
    'experiments:cross-validations': fail,
    'lm:read': fail,
    'lm:generate': fail,
    'lm:stop': fail,
    'lm:polysemy': fail,
    'lm:token-index': fail,
    'seq2seq:translate': fail,
    'sweeps:list': fail,
    'sweeps:get': fail,
    'sweeps:start': fail,
    'sweeps:stop': fail,
    'sweeps:resume': fail,
    ...overrides,
  };
}

describe('dispatcher', () => {
  const dispatch = createDispatcher(handlers());

  it('returns results as data', async () => {
    expect(await dispatch('jobs:list', undefined)).toEqual({ ok: true, result: [job] });
  });

  it('applies schema defaults before the handler runs', async () => {
    expect(await dispatch('jobs:start', { kind: 'selftest' })).toMatchObject({
      ok: true,
      result: { title: 'steps=60' },
    });
  });

  it('rejects unknown channels, including inherited property names', async () => {
    for (const channel of ['nope', '__proto__', 'toString', 42, null]) {
      expect(await dispatch(channel, undefined)).toMatchObject({
        ok: false,
        error: { code: 'UNKNOWN_CHANNEL' },
      });
    }
  });

  it('validates parameters and says which field is wrong', async () => {
    const response = await dispatch('jobs:start', { kind: 'selftest', params: { steps: 0 } });
    expect(response).toMatchObject({ ok: false, error: { code: 'INVALID_PARAMS' } });
    expect(!response.ok && response.error.message).toMatch(/steps/);
    expect(await dispatch('jobs:list', { surprise: 1 })).toMatchObject({
      ok: false,
      error: { code: 'INVALID_PARAMS' },
    });
  });

  it("validates a sweep's queue: its defaults applied, a password or a bad host refused", async () => {
    const given: unknown[] = [];
    const sweep: SweepData = {
      name: 'cells',
      task: 'words',
      corpus: 'digits',
      fields: [],
      runs: [],
      states: [],
      summary: null,
      active: null,
      lastError: null,
    };
    const record = (params: unknown): SweepData => {
      given.push(params);
      return sweep;
    };
    const sweeps = createDispatcher(handlers({ 'sweeps:start': record, 'sweeps:resume': record }));
    const spec = { corpus: 'digits' };
    expect(
      await sweeps('sweeps:start', {
        name: 'cells',
        spec,
        queue: { url: ' redis://queue-pc:6379 ', serveHost: '0.0.0.0' },
      }),
    ).toEqual({ ok: true, result: sweep });
    expect(
      await sweeps('sweeps:resume', {
        name: 'cells',
        queue: { url: 'redis://queue-pc', passwordSource: 'none', sharedData: true },
      }),
    ).toEqual({ ok: true, result: sweep });
    expect(await sweeps('sweeps:start', { name: 'cells', spec })).toEqual({
      ok: true,
      result: sweep,
    });
    expect(given).toEqual([
      {
        name: 'cells',
        spec,
        replace: false,
        queue: {
          url: 'redis://queue-pc:6379',
          passwordSource: 'environment',
          serveHost: '0.0.0.0',
          sharedData: false,
        },
      },
      {
        name: 'cells',
        queue: { url: 'redis://queue-pc', passwordSource: 'none', sharedData: true },
      },
      { name: 'cells', spec, replace: false },
    ]);

    const refused = [
      { url: 'redis://queue-pc', password: 'secret' },
      { url: 'redis://queue-pc', passwordSource: 'file' },
      { url: '' },
      { url: 'redis://queue-pc', serveHost: 'http://0.0.0.0:80/' },
      { url: 'redis://queue-pc', advertiseHost: '' },
      { serveHost: '0.0.0.0' },
    ];
    for (const queue of refused) {
      const response = await sweeps('sweeps:start', { name: 'cells', spec, queue });
      expect(response, JSON.stringify(queue)).toMatchObject({
        ok: false,
        error: { code: 'INVALID_PARAMS' },
      });
      expect(!response.ok && response.error.message).toMatch(/queue/);
    }
    expect(given).toHaveLength(3);
  });

  it('turns thrown errors into error data with their code', async () => {
    expect(await dispatch('jobs:get', { id: 'x' })).toEqual({
      ok: false,
      error: { code: 'JOB_NOT_FOUND', message: 'There is no job with id x.' },
    });
    const crashing = createDispatcher(
      handlers({ 'jobs:list': () => Promise.reject(new TypeError('boom')) }),
    );
    expect(await crashing('jobs:list', undefined)).toEqual({
      ok: false,
      error: { code: 'INTERNAL', message: 'boom' },
    });
  });
});
