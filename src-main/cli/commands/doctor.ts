import type { Command } from 'commander';
import type { DoctorReport } from '../../api/app';
import { initTfBackend } from '../../domain/backend/tf-backend';
import { chooseDataFolder, prepareDataFolder } from '../../domain/data-folder';
import { runDoctor } from '../../domain/doctor/doctor';
import { rnnKernelStatus } from '../../domain/rnn/kernels/native-sequence';
import { findElectronInstall } from '../../domain/doctor/electron-install';
import { createSystemProbes } from '../../domain/doctor/system-probes';
import { queueChecks } from '../../domain/doctor/queue-check';
import { createQueueProbe } from '../../domain/doctor/queue-probe';
import {
  QUEUE_PASSWORD_ENV,
  parseQueueUrl,
  queuePassword,
} from '../../domain/sweeps/queue/queue-connection';
import { UnfoldError } from '../../domain/errors';
import { reportCliError } from '../cli-errors';

const MARKS = { ok: 'ok  ', warning: 'warn', error: 'FAIL' } as const;

function printReport(report: DoctorReport): void {
  for (const check of report.checks) {
    process.stdout.write(`[${MARKS[check.status]}] ${check.label}: ${check.detail}\n`);
    if (check.hint && check.status !== 'ok') process.stdout.write(`       -> ${check.hint}\n`);
  }
  process.stdout.write(
    report.ok
      ? '\nUnfold can run on this machine.\n'
      : '\nUnfold cannot run until the failures above are fixed.\n',
  );
}

export function registerDoctorCommand(program: Command): void {
  program
    .command('doctor')
    .description(
      'Check this machine: Node, Electron, the TF.js backend, audio and speech programs, capture devices, the data folder',
    )
    .option(
      '--data <dir>',
      'data folder to check (default: UNFOLD_DATA or the platform data folder)',
    )
    .option(
      '--queue <url>',
      'also check a sweep queue (redis://[user@]HOST[:6379][/db]): reachable, Redis version, workers seen',
    )
    .option(
      '--password-file <file>',
      `with --queue: a file whose first line is the queue's password (default: the ${QUEUE_PASSWORD_ENV} environment variable)`,
    )
    .option('--json', 'print the report as JSON')
    .action(
      async (options: { data?: string; json?: boolean; queue?: string; passwordFile?: string }) => {
        let queue: ReturnType<typeof parseQueueUrl> | null = null;
        try {
          if (options.queue !== undefined)
            queue = parseQueueUrl(options.queue, await queuePassword(options.passwordFile));
          else if (options.passwordFile !== undefined)
            throw new UnfoldError('BAD_ARGUMENT', '--password-file goes with --queue.');
        } catch (error) {
          reportCliError(error, Boolean(options.json));
          return;
        }
        const dataDir = chooseDataFolder(options.data).dir;
        const writable = await prepareDataFolder(dataDir).then(
          () => true,
          () => false,
        );
        const report = await runDoctor({
          nodeVersion: process.version,
          runningElectronVersion: process.versions.electron ?? null,
          electron: findElectronInstall(),
          dataDir,
          dataDirWritable: writable,
          backend: () => initTfBackend(),
          rnnKernel: () => rnnKernelStatus(),
          probes: createSystemProbes(),
        });
        if (queue !== null) {
          const checks = await queueChecks(createQueueProbe(queue));
          report.checks.push(...checks);
          if (checks.some((check) => check.status === 'error')) report.ok = false;
        }
        if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
        else printReport(report);
        process.exitCode = report.ok ? 0 : 1;
      },
    );
}
