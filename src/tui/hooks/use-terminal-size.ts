import { useEffect, useState } from 'react';
import { useStdout } from 'ink';
import type { TerminalSize } from '../state/layout.js';

const read = (s: NodeJS.WriteStream): TerminalSize => ({ columns: s.columns || 80, rows: s.rows || 24 });

/** The terminal's size, updated on `resize`. */
export function useTerminalSize(): TerminalSize {
  const { stdout } = useStdout();
  const [size, setSize] = useState(() => read(stdout));
  useEffect(() => {
    const onResize = (): void => {
      const next = read(stdout);
      setSize((prev) => (prev.columns === next.columns && prev.rows === next.rows ? prev : next));
    };
    stdout.on('resize', onResize);
    return () => {
      stdout.off('resize', onResize);
    };
  }, [stdout]);
  return size;
}
