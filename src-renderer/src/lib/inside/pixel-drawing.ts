/** Lines, boxes and fills on an RGBA pixel buffer, for the Inside plots drawn without a canvas. */
import type { PixelImage } from '../plot/heatmap';

export type Rgb = readonly [number, number, number];

export function fillImage(image: PixelImage, colour: Rgb): void {
  for (let i = 0; i < image.width * image.height; i++) {
    image.data[i * 4] = colour[0];
    image.data[i * 4 + 1] = colour[1];
    image.data[i * 4 + 2] = colour[2];
    image.data[i * 4 + 3] = 255;
  }
}

export function setPixel(image: PixelImage, x: number, y: number, colour: Rgb): void {
  const px = Math.round(x);
  const py = Math.round(y);
  if (px < 0 || py < 0 || px >= image.width || py >= image.height) return;
  const at = (py * image.width + px) * 4;
  image.data[at] = colour[0];
  image.data[at + 1] = colour[1];
  image.data[at + 2] = colour[2];
  image.data[at + 3] = 255;
}

/** A straight line, one pixel wide (DDA: one pixel per step along the longer side). */
export function drawLine(
  image: PixelImage,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
  colour: Rgb,
): void {
  const steps = Math.max(1, Math.ceil(Math.max(Math.abs(x1 - x0), Math.abs(y1 - y0))));
  for (let i = 0; i <= steps; i++)
    setPixel(image, x0 + ((x1 - x0) * i) / steps, y0 + ((y1 - y0) * i) / steps, colour);
}

/** A filled square of side 2 * half + 1 centred on (x, y). */
export function drawSquare(
  image: PixelImage,
  x: number,
  y: number,
  half: number,
  colour: Rgb,
): void {
  for (let dy = -half; dy <= half; dy++)
    for (let dx = -half; dx <= half; dx++) setPixel(image, x + dx, y + dy, colour);
}
