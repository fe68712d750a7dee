/**
 * Semantic colours. Components ask for a role (ok, warn, danger...), never a colour name, so
 * `NO_COLOR` (https://no-color.org) turns every role into "no colour" in one place.
 */
import { createContext, useContext } from 'react';
import type { Risk } from '../core/usage/forecast.js';
import type { PatternStatus } from '../core/types.js';
import type { DaemonEventKind } from '../rpc/protocol.js';

type Colour = string | undefined;

export interface Theme {
  readonly colour: boolean;
  readonly accent: Colour;
  readonly muted: Colour;
  readonly ok: Colour;
  readonly warn: Colour;
  readonly danger: Colour;
  readonly info: Colour;
  readonly risk: Readonly<Record<Risk, Colour>>;
  readonly status: Readonly<Record<PatternStatus, Colour>>;
  readonly event: Readonly<Record<DaemonEventKind, Colour>>;
}

const COLOURED: Theme = {
  colour: true,
  accent: 'cyan',
  muted: 'gray',
  ok: 'green',
  warn: 'yellow',
  danger: 'red',
  info: 'blue',
  risk: { low: 'green', medium: 'yellow', high: 'redBright', critical: 'red' },
  status: {
    detected: 'gray',
    candidate: 'yellow',
    approved: 'green',
    implemented: 'cyan',
    active: 'greenBright',
    rejected: 'red',
    deprecated: 'gray',
  },
  event: {
    hook_event: 'gray',
    tool_call: 'blue',
    usage: 'gray',
    workflow_run: 'magenta',
    quarantine: 'red',
    pattern: 'cyan',
    review: 'green',
    savings: 'green',
    warning: 'yellow',
  },
};

function mapValues<K extends string>(r: Readonly<Record<K, Colour>>): Record<K, Colour> {
  const out = {} as Record<K, Colour>;
  for (const k of Object.keys(r) as K[]) out[k] = undefined;
  return out;
}

const PLAIN: Theme = {
  colour: false,
  accent: undefined,
  muted: undefined,
  ok: undefined,
  warn: undefined,
  danger: undefined,
  info: undefined,
  risk: mapValues(COLOURED.risk),
  status: mapValues(COLOURED.status),
  event: mapValues(COLOURED.event),
};

/** `NO_COLOR` set to any non-empty value disables colour. */
export function createTheme(env: Record<string, string | undefined> = process.env): Theme {
  const noColor = env['NO_COLOR'];
  return noColor !== undefined && noColor !== '' ? PLAIN : COLOURED;
}

export const ThemeContext = createContext<Theme>(createTheme());

export function useTheme(): Theme {
  return useContext(ThemeContext);
}
