import type { jobRequests } from '../../api/channels/job-channels';
import type { AreaHandlers, HandlerContext } from './handler-context';

export function createJobHandlers(context: HandlerContext): AreaHandlers<keyof typeof jobRequests> {
  const { jobs } = context;
  return {
    'jobs:list': () => jobs.list(),
    'jobs:get': ({ id }) => jobs.get(id),
    'jobs:start': (spec) => jobs.start(spec),
    'jobs:cancel': ({ id }) => jobs.cancel(id),
  };
}
