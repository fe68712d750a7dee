import { conflict, notFound } from '../../core/errors.js';
import { METHODS, type ToolInfo } from '../../rpc/protocol.js';
import type { DaemonDeps } from '../deps.js';
import { toToolInfo } from './tool-view.js';
import type { HandlerMap } from '../server.js';
import { pinProblem, prepareRegistration } from '../route/tool-registry.js';

/**
 * `tools/register|list|enable|disable`. Registering links the tool to the pattern of the same
 * signature (now, or whenever that pattern is learned: the link is the signature). A tool routes
 * only when it is enabled and its pattern is approved or active (`routable` in ToolInfo).
 */
export function toolHandlers(deps: DaemonDeps, env: Record<string, string | undefined> = process.env): HandlerMap {
  const { store, hub } = deps;
  const info = (id: number): ToolInfo => {
    const row = store.tools.get(id);
    if (!row) throw notFound(`no tool with id ${id}`, { id });
    return toToolInfo(store, row);
  };
  const byName = (name: string): number => {
    const row = store.tools.byName(name.trim());
    if (!row) throw notFound(`no tool named '${name}'; see 'outloop tools list'`, { name });
    return row.id;
  };
  return {
    [METHODS.toolsRegister]: (p) => {
      const tool = prepareRegistration(p, env);
      const id = store.tx(() => {
        const row = store.tools.register(tool);
        return row.id;
      });
      const result = info(id);
      hub.publish(
        'pattern',
        `tool ${result.name} registered for ${result.signature}${result.patternId === null ? ' (no such pattern yet)' : ` (pattern ${result.patternStatus})`}`,
        { patternId: result.patternId },
      );
      return result;
    },
    [METHODS.toolsList]: () => store.tools.all().map((t) => toToolInfo(store, t)),
    [METHODS.toolsEnable]: (p) => {
      const id = byName(p.name);
      const row = store.tools.get(id);
      // a changed executable stays off until a person registers it again (and so pins it anew)
      const changed = row ? pinProblem(row) : null;
      if (changed !== null) throw conflict(`cannot enable tool ${p.name}: ${changed}`, { name: p.name });
      store.tools.setEnabled(id, true, null);
      const result = info(id);
      hub.publish('pattern', `tool ${result.name} enabled`, { patternId: result.patternId });
      return result;
    },
    [METHODS.toolsDisable]: (p) => {
      const id = byName(p.name);
      store.tools.setEnabled(id, false, 'disabled by a person');
      const result = info(id);
      hub.publish('pattern', `tool ${result.name} disabled`, { patternId: result.patternId });
      return result;
    },
  };
}
