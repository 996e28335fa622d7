import { Command } from 'commander';
import packageJson from '../../package.json';
import { registerAudioCommands } from './commands/audio';
import { registerCorpusCommands } from './commands/corpus';
import { registerDoctorCommand } from './commands/doctor';
import { registerInspectCommand } from './commands/inspect-command';
import { registerBenchCommands } from './commands/bench-command';
import { registerModelCommands } from './commands/model';
import { registerSelftestCommand } from './commands/selftest';
import { registerServeCommand } from './commands/serve';
import { registerSpeechCommands } from './commands/speech';
import { registerSweepCommand } from './commands/sweep-command';
import { registerWorkerCommand } from './commands/worker-command';
import { addProgressOption } from './progress-bar';
import { runtimePaths } from './runtime-paths';

const paths = runtimePaths(import.meta.url);
const program = new Command()
  .name('unfold')
  .description(
    'Unfold: train, compare and look inside recurrent networks on speech and text, offline.',
  )
  .version(packageJson.version)
  .showHelpAfterError();

registerServeCommand(program, paths, packageJson.version);
registerDoctorCommand(program);
registerSelftestCommand(program, paths);
registerAudioCommands(program);
registerCorpusCommands(program);
registerModelCommands(program);
registerBenchCommands(program);
registerSpeechCommands(program);
registerInspectCommand(program);
registerSweepCommand(program, { worker: paths.worker });
registerWorkerCommand(program, { worker: paths.worker });
addProgressOption(program);

await program.parseAsync(process.argv);
