/**
 * `unfold worker` from the sources, in a process of its own (the built CLI needs a build): the
 * queue tests start it as a lab PC would.
 */
import { join } from 'node:path';
import { Command } from 'commander';
import { registerWorkerCommand } from '../../src-main/cli/commands/worker-command';

const root = join(import.meta.dirname, '..', '..');
const program = new Command();
registerWorkerCommand(program, {
  worker: { path: join(root, 'src-main/jobs/worker.ts'), execArgv: ['--import', 'tsx'] },
});
await program.parseAsync(process.argv);
