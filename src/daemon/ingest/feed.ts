import type { Hub } from '../hub.js';
import type { BatchEffects } from './writer.js';

const MAX_EACH = 20;

/** Publishes what a batch did to the live feed, summarised when it is large. */
export function publishEffects(hub: Hub, e: BatchEffects): void {
  const hooks = e.hookEvents;
  for (const h of hooks.slice(0, MAX_EACH)) {
    hub.publish('hook_event', `${h.event}${h.toolName ? ` ${h.toolName}` : ''}`, { sessionId: h.sessionId });
  }
  if (hooks.length > MAX_EACH) hub.publish('hook_event', `+${hooks.length - MAX_EACH} more hook events`);
  if (e.completedCalls.length > 0) {
    hub.publish(
      'tool_call',
      `${e.completedCalls.length} tool call${e.completedCalls.length === 1 ? '' : 's'} completed`,
    );
  }
  if (e.usageAdded > 0)
    hub.publish(
      'usage',
      `+${e.usageAdded} usage record${e.usageAdded === 1 ? '' : 's'} ($${e.usageCostUsd.toFixed(4)})`,
    );
  for (const r of e.runs.slice(0, MAX_EACH)) {
    const short = r.command.length > 60 ? `${r.command.slice(0, 59)}…` : r.command;
    const extra = r.patternId === null ? {} : { patternId: r.patternId };
    hub.publish('savings', `offloaded "${short}": saved ${r.tokensSaved} tokens ($${r.usd.toFixed(4)})`, extra);
  }
  if (e.runs.length > MAX_EACH) hub.publish('savings', `+${e.runs.length - MAX_EACH} more offloaded runs`);
  for (const q of e.quarantined.slice(0, MAX_EACH))
    hub.publish('quarantine', `quarantined ${q.path}@${q.offset}: ${q.reason}`);
  if (e.quarantined.length > MAX_EACH)
    hub.publish('quarantine', `+${e.quarantined.length - MAX_EACH} more quarantined lines`);
}
