/**
 * The one `useInput` of the app. Routing by mode: an open prompt takes every key first (text,
 * enter, esc, backspace), then help, then details, then the panes (pane-commands.ts). Keys become
 * commands only through keymap.ts; the review actions they start are in review-actions.ts.
 */
import { useCallback, useLayoutEffect, useRef } from 'react';
import { useApp, useInput, type Key } from 'ink';
import { helpRows, matchCommand, matchPromptCommand, promptText, type Command } from '../keymap.js';
import type { Modal } from '../state/dashboard.js';
import { paneCommand, type PaneContext } from './pane-commands.js';
import { offload, requestReview, review, undo } from './review-actions.js';

export type CommandContext = PaneContext;

type PromptModal = Extract<Modal, { kind: 'filter' | 'reject' }>;

const HELP_LINES = helpRows().length + 4;

/** A key while a text prompt (filter, reject reason) is open: enter, esc, backspace, or text. */
function promptKey(ctx: CommandContext, modal: PromptModal, input: string, key: Key): void {
  const dispatch = ctx.store.dispatch;
  const pc = matchPromptCommand(input, key);
  if (pc === 'cancel') dispatch({ type: 'promptCancel' });
  else if (pc === 'deleteChar') dispatch({ type: 'promptDelete' });
  else if (pc === 'submit') {
    dispatch({ type: 'promptDone' });
    if (modal.kind === 'reject') review(ctx, 'reject', modal, modal.text.trim() || undefined);
  } else {
    const text = promptText(input, key);
    if (text !== '') dispatch({ type: 'promptInput', text });
  }
}

/** A command while the help overlay is open: it closes or scrolls. */
function helpCommand(ctx: CommandContext, cmd: Command): void {
  const dispatch = ctx.store.dispatch;
  if (cmd === 'help' || cmd === 'close') dispatch({ type: 'toggleHelp' });
  else if (cmd === 'up' || cmd === 'down')
    dispatch({ type: 'scrollHelp', delta: cmd === 'up' ? -1 : 1, max: HELP_LINES });
}

/** A command while details are open: it acts on the pattern shown. */
function detailsCommand(ctx: CommandContext, id: number, cmd: Command): void {
  const shown = ctx.rows.find((r) => r.id === id);
  const target = { id, signature: shown?.signature ?? `#${id}` };
  switch (cmd) {
    case 'close':
    case 'details':
      ctx.store.dispatch({ type: 'closeModal' });
      return;
    case 'help':
      ctx.store.dispatch({ type: 'toggleHelp' });
      return;
    case 'approve':
    case 'deprecate':
    case 'reject':
      requestReview(ctx, cmd, target, shown?.status);
      return;
    case 'undo':
      undo(ctx);
      return;
    case 'offload':
      offload(ctx, shown);
      return;
    default:
      return;
  }
}

/** Routes one keypress by the modal open when it arrives. */
function handleKey(ctx: CommandContext, input: string, key: Key, exit: () => void): void {
  const modal = ctx.store.getState().modal;
  if (modal.kind === 'filter' || modal.kind === 'reject') {
    promptKey(ctx, modal, input, key);
    return;
  }
  const cmd = matchCommand(input, key);
  if (cmd === undefined) return;
  if (cmd === 'quit') exit();
  else if (modal.kind === 'help') helpCommand(ctx, cmd);
  else if (modal.kind === 'details') detailsCommand(ctx, modal.id, cmd);
  else paneCommand(ctx, cmd);
}

export function useCommands(ctx: CommandContext): void {
  const { exit } = useApp();
  // Keys are handled with the context of the last commit, not of the render that subscribed:
  // the ref is updated during commit (a layout effect), before any key can arrive.
  const latest = useRef(ctx);
  useLayoutEffect(() => {
    latest.current = ctx;
  });
  const handler = useCallback((input: string, key: Key) => handleKey(latest.current, input, key, exit), [exit]);
  useInput(handler);
}
