import { access, constants } from 'node:fs/promises';
import type { appRequests } from '../../api/channels/app-channels';
import { runDoctor } from '../../domain/doctor/doctor';
import { rnnKernelStatus } from '../../domain/rnn/kernels/native-sequence';
import { findElectronInstall } from '../../domain/doctor/electron-install';
import { createSystemProbes } from '../../domain/doctor/system-probes';
import type { AreaHandlers, HandlerContext } from './handler-context';

export function createAppHandlers(context: HandlerContext): AreaHandlers<keyof typeof appRequests> {
  return {
    'app:info': () => ({
      name: 'Unfold',
      version: context.version,
      dataDir: context.dataDir,
      platform: `${process.platform}-${process.arch}`,
      nodeVersion: process.version,
      electronVersion: context.electronVersion,
    }),
    'app:backend': async () => {
      const info = await context.backend();
      return {
        name: info.name,
        reason: info.reason,
        forced: info.forced,
        simd: info.simd,
        rnnKernel: rnnKernelStatus(context.env),
      };
    },
    'app:doctor': async () =>
      runDoctor({
        nodeVersion: process.version,
        runningElectronVersion: context.electronVersion,
        electron: findElectronInstall(),
        dataDir: context.dataDir,
        dataDirWritable: await access(context.dataDir, constants.W_OK).then(
          () => true,
          () => false,
        ),
        backend: context.backend,
        rnnKernel: () => rnnKernelStatus(context.env),
        probes: createSystemProbes(context.env),
      }),
  };
}
