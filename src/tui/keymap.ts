/**
 * The only place keys are named. A `Command` is what the user means; `KEY_BINDINGS` says which
 * keys mean it; `matchCommand` turns an Ink keypress into a command; `helpRows` renders the same
 * table for the `?` overlay, so the help can never drift from the bindings.
 */
import type { Key } from 'ink';
import { statusesText } from '../core/learning/pattern-lifecycle.js';

export type Command =
  | 'quit'
  | 'help'
  | 'close'
  | 'nextPane'
  | 'prevPane'
  | 'panePatterns'
  | 'paneSavings'
  | 'paneQuota'
  | 'paneEvents'
  | 'up'
  | 'down'
  | 'pageUp'
  | 'pageDown'
  | 'top'
  | 'bottom'
  | 'details'
  | 'approve'
  | 'reject'
  | 'deprecate'
  | 'undo'
  | 'offload'
  | 'filter'
  | 'statusFilter'
  | 'sort'
  | 'sortReverse'
  | 'pause';

/** Keys understood while a text prompt (filter, reject reason) is open; other input is text. */
export type PromptCommand = 'submit' | 'cancel' | 'deleteChar';

type NamedKey =
  | 'upArrow'
  | 'downArrow'
  | 'pageUp'
  | 'pageDown'
  | 'home'
  | 'end'
  | 'return'
  | 'escape'
  | 'tab'
  | 'backspace'
  | 'delete';

export interface KeyBinding {
  /** A named key from Ink's `Key`; or */
  readonly key?: NamedKey;
  /** the exact text Ink reports as `input` (for ctrl bindings: the letter). */
  readonly input?: string;
  readonly ctrl?: boolean;
  /** Only for named keys: must shift be down (true) or up (false)? Undefined: either. */
  readonly shift?: boolean;
  /** How the help overlay writes this key. */
  readonly label: string;
}

export type HelpGroup = 'global' | 'navigation' | 'patterns' | 'events';

interface CommandSpec {
  readonly bindings: readonly KeyBinding[];
  readonly description: string;
  readonly group: HelpGroup;
  /** One word for the hint line; defaults to the description's first word. */
  readonly short?: string;
}

export const KEY_BINDINGS: Readonly<Record<Command, CommandSpec>> = {
  nextPane: { bindings: [{ key: 'tab', shift: false, label: 'tab' }], description: 'next pane', group: 'global' },
  prevPane: {
    bindings: [{ key: 'tab', shift: true, label: 'shift-tab' }],
    description: 'previous pane',
    group: 'global',
  },
  panePatterns: { bindings: [{ input: '1', label: '1' }], description: 'Patterns pane', group: 'global' },
  paneSavings: { bindings: [{ input: '2', label: '2' }], description: 'Savings pane', group: 'global' },
  paneQuota: { bindings: [{ input: '3', label: '3' }], description: 'Quota pane', group: 'global' },
  paneEvents: { bindings: [{ input: '4', label: '4' }], description: 'Events pane', group: 'global' },
  help: { bindings: [{ input: '?', label: '?' }], description: 'toggle this help', group: 'global', short: 'help' },
  close: {
    bindings: [{ key: 'escape', label: 'esc' }],
    description: 'close details / help, clear filter',
    group: 'global',
  },
  quit: {
    bindings: [
      { input: 'q', label: 'q' },
      { input: 'c', ctrl: true, label: 'ctrl-c' },
    ],
    description: 'quit',
    group: 'global',
  },
  up: {
    bindings: [
      { key: 'upArrow', label: '↑' },
      { input: 'k', label: 'k' },
    ],
    description: 'move up (scroll the feed up)',
    group: 'navigation',
  },
  down: {
    bindings: [
      { key: 'downArrow', label: '↓' },
      { input: 'j', label: 'j' },
    ],
    description: 'move down (scroll the feed down)',
    group: 'navigation',
  },
  pageUp: { bindings: [{ key: 'pageUp', label: 'pgup' }], description: 'page up', group: 'navigation' },
  pageDown: { bindings: [{ key: 'pageDown', label: 'pgdn' }], description: 'page down', group: 'navigation' },
  top: {
    bindings: [
      { key: 'home', label: 'home' },
      { input: 'g', label: 'g' },
    ],
    description: 'first row',
    group: 'navigation',
  },
  bottom: {
    bindings: [
      { key: 'end', label: 'end' },
      { input: 'G', label: 'G' },
    ],
    description: 'last row',
    group: 'navigation',
  },
  details: {
    bindings: [{ key: 'return', label: 'enter' }],
    description: 'pattern details (examples, reviews, context, tool)',
    group: 'patterns',
    short: 'details',
  },
  approve: {
    bindings: [{ input: 'a', label: 'a' }],
    description: `approve the pattern (when ${statusesText('approve')})`,
    group: 'patterns',
    short: 'approve',
  },
  reject: {
    bindings: [{ input: 'r', label: 'r' }],
    description: `reject, asking for a reason (when ${statusesText('reject')})`,
    group: 'patterns',
    short: 'reject',
  },
  deprecate: {
    bindings: [{ input: 'd', label: 'd' }],
    description: `deprecate the pattern (when ${statusesText('deprecate')})`,
    group: 'patterns',
    short: 'deprecate',
  },
  undo: {
    bindings: [{ input: 'u', label: 'u' }],
    description: 'undo the last review (within 10 s)',
    group: 'patterns',
  },
  offload: {
    bindings: [{ input: 'o', label: 'o' }],
    description: 'offload on / off: run it through outloop run, compact its output',
    group: 'patterns',
    short: 'offload',
  },
  filter: { bindings: [{ input: '/', label: '/' }], description: 'filter by text', group: 'patterns', short: 'filter' },
  statusFilter: { bindings: [{ input: 'f', label: 'f' }], description: 'cycle the status filter', group: 'patterns' },
  sort: {
    bindings: [{ input: 's', label: 's' }],
    description: 'cycle the sort column',
    group: 'patterns',
    short: 'sort',
  },
  sortReverse: { bindings: [{ input: 'S', label: 'S' }], description: 'reverse the sort order', group: 'patterns' },
  pause: {
    bindings: [{ input: 'p', label: 'p' }],
    description: 'pause / resume the event feed',
    group: 'events',
    short: 'pause',
  },
};

export const PROMPT_BINDINGS: Readonly<Record<PromptCommand, readonly KeyBinding[]>> = {
  submit: [{ key: 'return', label: 'enter' }],
  cancel: [{ key: 'escape', label: 'esc' }],
  deleteChar: [
    { key: 'backspace', label: 'backspace' },
    { key: 'delete', label: 'delete' },
  ],
};

export function matchesBinding(b: KeyBinding, input: string, key: Key): boolean {
  if ((b.ctrl ?? false) !== key.ctrl) return false;
  if (b.key !== undefined) {
    if (!key[b.key]) return false;
    return b.shift === undefined || b.shift === key.shift;
  }
  return b.input !== undefined && b.input === input;
}

const COMMAND_ORDER = Object.keys(KEY_BINDINGS) as Command[];

export function matchCommand(input: string, key: Key): Command | undefined {
  return COMMAND_ORDER.find((c) => KEY_BINDINGS[c].bindings.some((b) => matchesBinding(b, input, key)));
}

export function matchPromptCommand(input: string, key: Key): PromptCommand | undefined {
  const order: PromptCommand[] = ['submit', 'cancel', 'deleteChar'];
  return order.find((c) => PROMPT_BINDINGS[c].some((b) => matchesBinding(b, input, key)));
}

/** Text a prompt accepts from a keypress: printable characters only (pastes included). */
export function promptText(input: string, key: Key): string {
  if (key.ctrl || key.meta) return '';
  let out = '';
  for (const ch of input) {
    const code = ch.codePointAt(0) ?? 0;
    if (code >= 0x20 && code !== 0x7f) out += ch;
  }
  return out;
}

export interface HelpRow {
  readonly group: HelpGroup;
  readonly keys: string;
  readonly description: string;
}

export function helpRows(): HelpRow[] {
  return COMMAND_ORDER.map((c) => ({
    group: KEY_BINDINGS[c].group,
    keys: KEY_BINDINGS[c].bindings.map((b) => b.label).join(' '),
    description: KEY_BINDINGS[c].description,
  }));
}

/** How messages write the key of `command` (its first binding). */
export function keyLabel(command: Command): string {
  return KEY_BINDINGS[command].bindings[0]?.label ?? '?';
}

/** How prompt hints write the key of a prompt command (its first binding). */
export function promptKeyLabel(command: PromptCommand): string {
  return PROMPT_BINDINGS[command][0]?.label ?? '?';
}

/** The short hint shown in the message line when nothing else is said. */
export function hintFor(commands: readonly Command[]): string {
  return commands
    .map((c) => {
      const spec = KEY_BINDINGS[c];
      return `${keyLabel(c)} ${spec.short ?? spec.description.split(' ')[0] ?? c}`;
    })
    .join(' · ');
}
