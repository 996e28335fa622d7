import type { crossValidationRequests } from '../../api/channels/cross-validation-channels';
import { readCrossValidation } from '../../domain/experiments/cross-validation';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

export function createCrossValidationHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof crossValidationRequests> {
  return {
    'experiments:cross-validation': async ({ name }) => {
      const { plan, summary } = await readCrossValidation(
        await namedExperimentDir(context.dataDir, name),
      );
      return {
        name,
        task: plan.task,
        corpus: plan.corpus,
        folds: plan.folds,
        experiments: plan.experiments,
        summary,
      };
    },
  };
}
