import { describe, expect, it } from 'vitest';
import type { LiveStatus } from '@api/live';
import { reconcileStatus } from './session-status';

const running: LiveStatus = { active: true, experiment: 'digits', mode: 'words', threshold: 0.5 };
const idle: LiveStatus = { active: false, experiment: null, mode: null, threshold: null };

describe('reconcileStatus', () => {
  it('keeps following our session while the server still runs it', () => {
    expect(reconcileStatus('running', running)).toEqual({
      state: 'running',
      foreign: null,
      lost: false,
    });
  });

  it('notices that our session ended while the connection was down', () => {
    expect(reconcileStatus('running', idle)).toEqual({ state: 'idle', foreign: null, lost: true });
  });

  it('reports a session started elsewhere when we run none', () => {
    expect(reconcileStatus('idle', running)).toEqual({
      state: 'idle',
      foreign: running,
      lost: false,
    });
    expect(reconcileStatus('idle', idle)).toEqual({ state: 'idle', foreign: null, lost: false });
  });

  it('leaves a start or stop in flight alone', () => {
    expect(reconcileStatus('starting', idle).state).toBe('starting');
    expect(reconcileStatus('stopping', running)).toMatchObject({
      state: 'stopping',
      foreign: null,
    });
  });
});
