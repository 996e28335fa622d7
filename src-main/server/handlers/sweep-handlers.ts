import type { sweepRequests } from '../../api/channels/sweep-channels';
import { UnfoldError } from '../../domain/errors';
import { createSweepSessions, type SweepSessions } from '../sweep-sessions';
import type { AreaHandlers, HandlerContext } from './handler-context';

const sessions = new WeakMap<HandlerContext, SweepSessions>();

/** The app's sweeps (made on first use); the app's dispose stops them. */
export function sweepSessionsOf(context: HandlerContext): SweepSessions {
  let found = sessions.get(context);
  if (!found) {
    const spawnJobProcess = context.spawnJobProcess;
    if (!spawnJobProcess)
      throw new UnfoldError(
        'SWEEPS_UNAVAILABLE',
        'This app cannot start job processes for a sweep.',
      );
    found = createSweepSessions({
      dataDir: context.dataDir,
      events: context.events,
      spawnJobProcess,
      env: context.env,
    });
    sessions.set(context, found);
  }
  return found;
}

/** Stops the app's sweeps, if it has any (its dispose). */
export async function disposeSweepSessions(context: HandlerContext): Promise<void> {
  await sessions.get(context)?.dispose();
}

export function createSweepHandlers(
  context: HandlerContext,
): AreaHandlers<keyof typeof sweepRequests> {
  return {
    'sweeps:list': () => sweepSessionsOf(context).list(),
    'sweeps:get': ({ name }) => sweepSessionsOf(context).get(name),
    'sweeps:start': (params) => sweepSessionsOf(context).start(params),
    'sweeps:resume': (params) => sweepSessionsOf(context).resume(params),
    'sweeps:stop': ({ name }) => sweepSessionsOf(context).stop(name),
  };
}
