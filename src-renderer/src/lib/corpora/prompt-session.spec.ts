import { describe, expect, it } from 'vitest';
import { keyAction, parsePrompts, speechSpan } from './prompt-session';

describe('prompted sessions', () => {
  it('reads prompts from lines or commas', () => {
    expect(parsePrompts('yes, no\n  up   down \n\n')).toEqual(['yes', 'no', 'up down']);
  });

  it('maps keys to actions by phase', () => {
    expect(keyAction('ready', ' ')).toBe('record');
    expect(keyAction('recording', ' ')).toBe('stop');
    expect(keyAction('review', ' ')).toBe('play');
    expect(keyAction('review', 'Enter')).toBe('accept');
    expect(keyAction('review', 'Backspace')).toBe('redo');
    expect(keyAction('ready', 'Enter')).toBeNull();
    expect(keyAction('saving', ' ')).toBeNull();
  });

  it('keeps the detected speech, or nothing when none was heard', () => {
    expect(speechSpan({ start: 0.4, end: 1.2 }, 3)).toEqual({ start: 0.4, end: 1.2 });
    expect(speechSpan({ start: 0.4, end: null }, 3)).toEqual({ start: 0.4, end: 3 });
    expect(speechSpan({ start: null, end: null }, 3)).toBeNull();
  });
});
