/**
 * A session's file table as one string (JSON) and back, so a fold kept between runs only folds
 * the calls that came after: `[version, root, files, used]`, files in the order loaded as
 * `key, flags, bytes, loads[, abs]` (abs only for files outside the root), used files in the order
 * used as `path, inRoot`.
 */
import { fileKey } from './facts.js';
import { FileTable, type FileEntry } from './file-table.js';

/** The version of the saved form; a saved state of another version is not restored. */
const STATE_VERSION = 1;
const IN_ROOT = 1;
const MEDIA = 2;
const WIN = 4;

export function saveTable(table: FileTable): string {
  const files: (string | number | null)[] = [];
  for (const e of table.loaded) {
    files.push(e.key, (e.inRoot ? IN_ROOT : 0) + (e.media ? MEDIA : 0) + (e.win ? WIN : 0), e.bytes, e.loads);
    if (!e.inRoot) files.push(e.abs);
  }
  const used: (string | number)[] = [];
  const inRoot = table.usedInRoot;
  for (let i = 0; i < table.used.length; i++) used.push(table.used[i] ?? '', inRoot[i] ? 1 : 0);
  return JSON.stringify([STATE_VERSION, table.root, files, used]);
}

/** Adds the saved files to `table`; false when they are not in the saved form. */
function restoreFiles(table: FileTable, files: readonly unknown[]): boolean {
  for (let i = 0; i < files.length;) {
    const key: unknown = files[i];
    const flags: unknown = files[i + 1];
    const bytes: unknown = files[i + 2];
    const loads: unknown = files[i + 3];
    if (typeof key !== 'string' || typeof flags !== 'number' || typeof bytes !== 'number' || typeof loads !== 'number')
      return false;
    const inRoot = (flags & IN_ROOT) !== 0;
    const abs: unknown = inRoot ? null : files[i + 4];
    if (!inRoot && typeof abs !== 'string') return false;
    i += inRoot ? 4 : 5;
    const e: FileEntry = {
      key,
      inRoot,
      abs: inRoot ? null : (abs as string),
      bytes,
      loads,
      media: (flags & MEDIA) !== 0,
      win: (flags & WIN) !== 0,
    };
    table.addEntry(e, inRoot ? key : (abs as string));
  }
  return true;
}

/** Marks the saved used files used in `table`; false when they are not in the saved form. */
function restoreUsed(table: FileTable, used: readonly unknown[]): boolean {
  for (let i = 0; i + 1 < used.length; i += 2) {
    const u: unknown = used[i];
    if (typeof u !== 'string') return false;
    if (used[i + 1] === 1) table.useIn(u);
    else table.useOut(fileKey(u), u);
  }
  return true;
}

/** The table `saveTable` saved, or null when `saved` is not one. */
export function restoreTable(saved: string): FileTable | null {
  let v: unknown;
  try {
    v = JSON.parse(saved);
  } catch {
    return null;
  }
  if (!Array.isArray(v) || v.length !== 4 || v[0] !== STATE_VERSION) return null;
  const [, root, files, used] = v as unknown[];
  if ((root !== null && typeof root !== 'string') || !Array.isArray(files) || !Array.isArray(used)) return null;
  const table = new FileTable(root);
  return restoreFiles(table, files) && restoreUsed(table, used) ? table : null;
}
