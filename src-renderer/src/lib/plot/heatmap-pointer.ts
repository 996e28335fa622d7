/**
 * Which heatmap a pointer is over, and where: views mark each heatmap's plot element with
 * `data-heatmap="<name>"` and hand pointer events from a container that holds several.
 */
export interface HeatmapPointer {
  /** The `data-heatmap` value of the plot under the pointer. */
  name: string;
  /** CSS pixels from the plot's top left corner. */
  x: number;
  y: number;
}

export function heatmapUnderPointer(event: MouseEvent): HeatmapPointer | null {
  const target = event.target;
  if (!(target instanceof Element)) return null;
  const plot = target.closest<HTMLElement>('[data-heatmap]');
  const name = plot?.dataset.heatmap;
  if (!plot || !name) return null;
  const box = plot.getBoundingClientRect();
  return { name, x: event.clientX - box.left, y: event.clientY - box.top };
}
