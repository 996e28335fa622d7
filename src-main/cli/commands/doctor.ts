import type { Command } from 'commander';
import type { DoctorReport } from '../../api/app';
import { initTfBackend } from '../../domain/backend/tf-backend';
import { chooseDataFolder, prepareDataFolder } from '../../domain/data-folder';
import { runDoctor } from '../../domain/doctor/doctor';
import { findElectronInstall } from '../../domain/doctor/electron-install';
import { createSystemProbes } from '../../domain/doctor/system-probes';

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
    .option('--json', 'print the report as JSON')
    .action(async (options: { data?: string; json?: boolean }) => {
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
        probes: createSystemProbes(),
      });
      if (options.json) process.stdout.write(JSON.stringify(report, null, 2) + '\n');
      else printReport(report);
      process.exitCode = report.ok ? 0 : 1;
    });
}
