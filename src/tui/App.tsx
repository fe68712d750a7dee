/**
 * The dashboard: the header, the body (a pane or an overlay), the footer line and the status bar,
 * laid out for the terminal size. State and input live in useDashboard; everything drawn lives in
 * components/.
 */
import { Box } from 'ink';
import { DashboardBody } from './components/DashboardBody.js';
import { Footer } from './components/Footer.js';
import { Header } from './components/Header.js';
import { StatusBar } from './components/StatusBar.js';
import { useDashboard } from './hooks/use-dashboard.js';
import { DEFAULT_DATA_OPTIONS, type DataOptions } from './hooks/use-daemon-data.js';

export interface AppProps {
  readonly dataOptions?: DataOptions;
  /** Clock for the undo window (tests inject one). */
  readonly now?: () => number;
  /** Written as the reviewer in `pattern_reviews`. */
  readonly actor?: string;
}

export function App({ dataOptions = DEFAULT_DATA_OPTIONS, now = Date.now, actor = 'tui' }: AppProps) {
  const view = useDashboard({ dataOptions, now, actor });
  const { ui, data, layout } = view;
  return (
    <Box flexDirection="column" width={layout.width} height={layout.height}>
      <Header pane={ui.pane} width={layout.width} />
      <Box height={layout.bodyHeight} flexDirection="column" overflow="hidden">
        <DashboardBody view={view} />
      </Box>
      <Footer view={view} />
      <StatusBar
        connection={view.connection}
        status={data.status}
        patterns={data.patterns === null ? null : data.patterns.length}
        pending={ui.pending}
        paused={ui.pausedAt !== null}
      />
    </Box>
  );
}
