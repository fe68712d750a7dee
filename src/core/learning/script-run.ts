/**
 * Script runs (`bun run index.ts`, `node scripts/x.js`, `python tools/get_tasks.py`, `./deploy.sh`): the
 * operation is the script, so its signature is `script:<name>:all` with the file's name as the subcategory
 * instead of `other:<interpreter or file>:all`.
 */
import { baseName } from '../shell-words.js';

export const SCRIPT_CATEGORY = 'script';

/** Source files that interpreters and runners execute directly. */
const SCRIPT_FILE = /\.(?:[cm]?[jt]sx?|py|sh|bash|zsh|rb|pl|php|lua|r)$/i;

/** True for a word naming a script file by its extension (`index.ts`, `tools/get_tasks.py`), not an option. */
export function isScriptFile(word: string | undefined): boolean {
  return word !== undefined && !word.startsWith('-') && SCRIPT_FILE.test(word);
}

/** The script's name: its file name without the extension (`scripts/get-teamwork-tasks.ts` → `get-teamwork-tasks`). */
export function scriptName(word: string): string {
  const file = baseName(word);
  const stem = file.replace(SCRIPT_FILE, '');
  return stem === '' ? file : stem;
}
