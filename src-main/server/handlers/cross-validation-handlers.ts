import type { crossValidationRequests } from '../../api/channels/cross-validation-channels';
import type { CrossValidationData } from '../../api/cross-validation';
import {
  listCrossValidations,
  readCrossValidation,
} from '../../domain/experiments/cross-validation';
import type { CrossValidationPlan } from '../../domain/experiments/cross-validation';
import type { CrossValidationSummary } from '../../domain/experiments/cross-validation-summary';
import { namedExperimentDir } from './experiment-handlers';
import type { AreaHandlers, HandlerContext } from './handler-context';

function crossValidationData(
  name: string,
  plan: CrossValidationPlan,
  summary: CrossValidationSummary | null,
): CrossValidationData {
  return {
    name,
    task: plan.task,
    corpus: plan.corpus,
    folds: plan.folds,
    experiments: plan.experiments,
    summary,
  };
}

export function createCrossValidationHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof crossValidationRequests> {
  return {
    'experiments:cross-validation': async ({ name }) => {
      const { plan, summary } = await readCrossValidation(
        await namedExperimentDir(context.dataDir, name),
      );
      return crossValidationData(name, plan, summary);
    },
    'experiments:cross-validations': async () =>
      (await listCrossValidations(context.dataDir)).map(({ name, plan, summary }) =>
        crossValidationData(name, plan, summary),
      ),
  };
}
