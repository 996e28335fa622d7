import type { jobRequests } from '../../api/channels/job-channels';
import { checkCorpusImportParams } from '../../jobs/corpus-jobs';
import { checkJobDataPlaces } from '../../jobs/job-data-paths';
import type { AreaHandlers, HandlerContext } from './handler-context';

export function createJobHandlers(context: HandlerContext): AreaHandlers<keyof typeof jobRequests> {
  const { jobs } = context;
  return {
    'jobs:list': () => jobs.list(),
    'jobs:get': ({ id }) => jobs.get(id),
    'jobs:start': async (spec) => {
      // Checks that need the file system run here, so a bad request fails before it is queued.
      if (spec.kind === 'corpus-import') await checkCorpusImportParams(spec.params);
      await checkJobDataPlaces(spec, context.dataDir);
      return jobs.start(spec);
    },
    'jobs:cancel': ({ id }) => jobs.cancel(id),
  };
}
