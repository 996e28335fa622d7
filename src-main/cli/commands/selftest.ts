import type { Command } from 'commander';
import { Option } from 'commander';
import { JobSpecSchema } from '../../api/jobs';
import type { SelftestResult } from '../../api/jobs';
import { chooseDataFolder, prepareDataFolder } from '../../domain/data-folder';
import { UnfoldError } from '../../domain/errors';
import { reportCliError } from '../cli-errors';
import { runJobFromCli } from '../run-job';
import type { RuntimePaths } from '../runtime-paths';

export function registerSelftestCommand(program: Command, paths: RuntimePaths): void {
  program
    .command('selftest')
    .description(
      'Train a small LSTM for a few steps as a job, on the TF.js backend in use, and report steps/s',
    )
    .addOption(new Option('--steps <n>', 'training steps').default('60'))
    .addOption(new Option('--units <n>', 'LSTM units').default('32'))
    .option('--data <dir>', 'data folder (default: UNFOLD_DATA or the platform data folder)')
    .option('--json', 'print the result as JSON')
    .action(async (options: { steps: string; units: string; data?: string; json?: boolean }) => {
      const json = options.json === true;
      try {
        const spec = JobSpecSchema.parse({
          kind: 'selftest',
          params: { steps: Number(options.steps), units: Number(options.units) },
        });
        const dataDir = await prepareDataFolder(chooseDataFolder(options.data).dir);
        const job = await runJobFromCli(spec, { dataDir, worker: paths.worker, json });
        if (job.state === 'failed' && job.error) {
          throw new UnfoldError(job.error.code, job.error.message);
        }
        if (job.state === 'cancelled')
          throw new UnfoldError('CANCELLED', 'The self-test was cancelled.');
        if (json) process.stdout.write(JSON.stringify(job.result) + '\n');
        else if (job.result) {
          const r = job.result as SelftestResult;
          process.stdout.write(
            `Self-test passed on ${r.backend}: ${r.steps} steps at ${r.stepsPerSecond.toFixed(1)} steps/s, loss ${r.firstLoss.toFixed(4)} -> ${r.lastLoss.toFixed(4)}\n`,
          );
        }
      } catch (error) {
        reportCliError(error, json);
      }
    });
}
