import { describe, expect, it } from 'vitest';
import { hashFor, viewFromHash } from './route';
import { VIEW_IDS, VIEWS, viewById } from './views';

describe('hash routes', () => {
  it('reads the view from the hash', () => {
    expect(viewFromHash('#/record')).toBe('record');
    expect(viewFromHash('#/Corpora')).toBe('corpora');
    expect(viewFromHash('#/inside/lstm-1')).toBe('inside');
    expect(viewFromHash('#record')).toBe('record');
  });

  it('falls back to home for an empty or unknown hash', () => {
    expect(viewFromHash('')).toBe('home');
    expect(viewFromHash('#/')).toBe('home');
    expect(viewFromHash('#/nowhere')).toBe('home');
  });

  it('round-trips every view', () => {
    for (const id of VIEW_IDS) expect(viewFromHash(hashFor(id))).toBe(id);
    expect(hashFor('home')).toBe('#/');
  });
});

describe('views', () => {
  it('describes every view once, and plans every view not built yet', () => {
    expect(VIEWS.map((view) => view.id)).toEqual([...VIEW_IDS]);
    const built = ['home', 'record', 'corpora', 'train', 'evaluate', 'live', 'text', 'inside'];
    for (const view of VIEWS) {
      if (built.includes(view.id)) expect(view.plan).toBeUndefined();
      else expect(view.plan?.length).toBeGreaterThan(0);
    }
    expect(viewById('live').label).toBe('Live');
  });
});
