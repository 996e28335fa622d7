/** What a canvas shows, read in the page: how many colours (a drawn plot has many, a blank one one). */
import type { Locator } from 'playwright-core';

export function colourCount(canvas: Locator): Promise<number> {
  return canvas.evaluate((element) => {
    const c = element as HTMLCanvasElement;
    const data = c.getContext('2d')?.getImageData(0, 0, c.width, c.height).data ?? [];
    const seen = new Set<number>();
    for (let i = 0; i < data.length; i += 4)
      seen.add(
        ((data[i] as number) << 16) | ((data[i + 1] as number) << 8) | (data[i + 2] as number),
      );
    return seen.size;
  });
}
