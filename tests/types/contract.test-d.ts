import { describe, expectTypeOf, it } from 'vitest';
import type { AppInfo, BackendStatus, DoctorReport } from '../../src-main/api/app';
import type { ApiClient } from '../../src-main/api/client-core';
import type {
  EventPayload,
  RequestChannel,
  RequestParams,
  RequestResult,
} from '../../src-main/api/contract';
import type { JobInfo } from '../../src-main/api/jobs';

// Pins every channel's signature: changing one is a deliberate edit of this file.
describe('the API contract', () => {
  it('lists exactly these request channels', () => {
    expectTypeOf<RequestChannel>().toEqualTypeOf<
      | 'app:info'
      | 'app:backend'
      | 'app:doctor'
      | 'jobs:list'
      | 'jobs:get'
      | 'jobs:start'
      | 'jobs:cancel'
    >();
  });

  it('types each request', () => {
    expectTypeOf<RequestParams<'app:info'>>().toEqualTypeOf<undefined>();
    expectTypeOf<RequestResult<'app:info'>>().toEqualTypeOf<AppInfo>();
    expectTypeOf<RequestResult<'app:backend'>>().toEqualTypeOf<BackendStatus>();
    expectTypeOf<RequestResult<'app:doctor'>>().toEqualTypeOf<DoctorReport>();
    expectTypeOf<RequestResult<'jobs:list'>>().toEqualTypeOf<JobInfo[]>();
    expectTypeOf<RequestParams<'jobs:get'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RequestResult<'jobs:get'>>().toEqualTypeOf<JobInfo>();
    expectTypeOf<RequestParams<'jobs:cancel'>>().toEqualTypeOf<{ id: string }>();
    expectTypeOf<RequestResult<'jobs:start'>>().toEqualTypeOf<JobInfo>();
    expectTypeOf<RequestParams<'jobs:start'>>().toEqualTypeOf<{
      kind: 'selftest';
      params?:
        | { steps?: number; units?: number; timeSteps?: number; batch?: number; seed?: number }
        | undefined;
    }>();
  });

  it('types each event', () => {
    expectTypeOf<EventPayload<'jobs:updated'>>().toEqualTypeOf<JobInfo>();
  });

  it('makes the client check arguments and results', () => {
    const client = {} as ApiClient;
    expectTypeOf(client.invoke<'app:info'>).parameters.toEqualTypeOf<['app:info', undefined?]>();
    expectTypeOf(client.invoke<'jobs:get'>).parameters.toEqualTypeOf<
      ['jobs:get', { id: string }]
    >();
    expectTypeOf(client.invoke<'jobs:get'>).returns.toEqualTypeOf<Promise<JobInfo>>();
  });
});
