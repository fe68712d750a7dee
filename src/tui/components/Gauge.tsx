import { Text } from 'ink';
import { useTheme } from '../theme.js';

export interface GaugeCells {
  used: number;
  projected: number;
  free: number;
}

/** Cells of a `width`-wide bar: used up to `pct`, projected up to `projectedPct`, the rest free. */
export function gaugeCells(pct: number | null, projectedPct: number | null, width: number): GaugeCells {
  const w = Math.max(0, Math.floor(width));
  const cells = (p: number | null): number =>
    p === null || !Number.isFinite(p) ? 0 : Math.round((Math.min(100, Math.max(0, p)) / 100) * w);
  const used = cells(pct);
  const projected = Math.max(0, cells(projectedPct) - used);
  return { used, projected, free: Math.max(0, w - used - projected) };
}

export interface GaugeProps {
  readonly pct: number | null;
  readonly projectedPct?: number | null;
  readonly width: number;
  readonly color?: string | undefined;
}

/** `[███▒▒░░░░]`: the fill reads without colour too (used █, projected ▒, free ░). */
export function Gauge({ pct, projectedPct = null, width, color }: GaugeProps) {
  const theme = useTheme();
  const c = gaugeCells(pct, projectedPct, width);
  return (
    <Text>
      [<Text color={color}>{'█'.repeat(c.used)}</Text>
      <Text color={color}>{'▒'.repeat(c.projected)}</Text>
      <Text color={theme.muted}>{'░'.repeat(c.free)}</Text>]
    </Text>
  );
}
