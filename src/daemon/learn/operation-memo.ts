import { operationForTool, type Operation } from '../../core/learning/operation.js';
import type { LearnCallRow } from '../store/tool-calls-repo.js';

/** Distinct (cwd, command) operations remembered: agents repeat commands all day. */
const OPERATION_MEMO = 8192;

/** operationForTool of a call, remembered by its cwd and command. */
export class OperationMemo {
  private readonly operations = new Map<string, Operation | null>();

  /** The operation a Bash call runs (null: not a Bash call with a command, or not an operation). */
  of(r: Pick<LearnCallRow, 'tool_name' | 'command' | 'cwd'>): Operation | null {
    if (r.command === null || r.tool_name.toLowerCase() !== 'bash') return null;
    const key = `${r.cwd ?? ''}\0${r.command}`;
    const hit = this.operations.get(key);
    if (hit !== undefined) return hit;
    const op = operationForTool(r.tool_name, r.command, r.cwd);
    if (this.operations.size >= OPERATION_MEMO) this.operations.clear();
    this.operations.set(key, op);
    return op;
  }
}
