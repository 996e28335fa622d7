import { describe, expect, it } from 'vitest';
import { deviceCanvasContext, devicePixelRatio, type DeviceCanvas } from './device-pixels';

/** A canvas whose context is a marker string: only its identity is checked. */
function fakeCanvas(context: string | null): DeviceCanvas {
  return {
    width: 0,
    height: 0,
    getContext: () => context as unknown as CanvasRenderingContext2D | null,
  };
}

describe('deviceCanvasContext', () => {
  it('sizes the backing store to the CSS size times the ratio, rounded', () => {
    const canvas = fakeCanvas('2d context');
    expect(deviceCanvasContext(canvas, 100.4, 30, 2)).toEqual({
      context: '2d context',
      width: 201,
      height: 60,
    });
    expect([canvas.width, canvas.height]).toEqual([201, 60]);
  });

  it('keeps at least one device pixel each way', () => {
    const canvas = fakeCanvas('2d context');
    expect(deviceCanvasContext(canvas, 0, 0.1, 1)).toMatchObject({ width: 1, height: 1 });
    expect([canvas.width, canvas.height]).toEqual([1, 1]);
  });

  it('answers null where the canvas has no context, after sizing it', () => {
    const canvas = fakeCanvas(null);
    expect(deviceCanvasContext(canvas, 40, 20, 1)).toBeNull();
    expect([canvas.width, canvas.height]).toEqual([40, 20]);
  });

  it('uses a ratio of 1 where there is no screen', () => {
    expect(devicePixelRatio()).toBe(1);
    expect(deviceCanvasContext(fakeCanvas('c'), 40, 20)).toMatchObject({ width: 40, height: 20 });
  });
});
