/** How the Inside view and `unfold inspect` say what a free-running layer does. */
import { SATURATION_HIGH, SATURATION_LOW } from '@api/inside';
import type { DynamicsBehaviour, Saturation } from '@api/inside';

export function behaviourText(behaviour: DynamicsBehaviour): string {
  switch (behaviour.kind) {
    case 'fixed-point':
      return `settles to a fixed point (still from step ${behaviour.settledAt})`;
    case 'cycle':
      return `falls into a cycle of period ${behaviour.period}`;
    case 'diverges':
      return `diverges (past the bound at step ${behaviour.at})`;
    case 'wanders':
      return `wanders (largest Lyapunov exponent ≈ ${behaviour.lyapunov.toFixed(3)} per step)`;
  }
}

/** "12.5% below 0.05, 3.0% above 0.95". */
export function saturationText(saturation: Saturation): string {
  const share = (fraction: number): string => `${(100 * fraction).toFixed(1)}%`;
  return `${share(saturation.low)} below ${SATURATION_LOW}, ${share(saturation.high)} above ${SATURATION_HIGH}`;
}
