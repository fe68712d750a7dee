/**
 * The dashboard: wires state (UI store, server data), input and layout, and switches between the
 * panes and modals. Everything drawn lives in components/.
 */
import { useMemo, useState, useSyncExternalStore, type ReactNode } from 'react';
import { Box } from 'ink';
import { useDaemon } from './client-context.js';
import { EventFeed } from './components/EventFeed.js';
import { Header } from './components/Header.js';
import { HelpOverlay } from './components/HelpOverlay.js';
import { MessageLine } from './components/MessageLine.js';
import { PatternDetails } from './components/PatternDetails.js';
import { PatternsPane } from './components/PatternsPane.js';
import { Prompt } from './components/Prompt.js';
import { QuotaPane } from './components/QuotaPane.js';
import { SavingsPane } from './components/SavingsPane.js';
import { StatusBar } from './components/StatusBar.js';
import { useCommands } from './hooks/use-commands.js';
import { DEFAULT_DATA_OPTIONS, useDaemonData, type DataOptions } from './hooks/use-daemon-data.js';
import { useMessageExpiry } from './hooks/use-message-expiry.js';
import { useTerminalSize } from './hooks/use-terminal-size.js';
import { hintFor, type Command } from './keymap.js';
import { clampOffset, dashboardReducer, initialDashboard, selectedIndex, type Pane } from './state/dashboard.js';
import { feedWindow } from './state/data.js';
import { computeLayout, patternColumns } from './state/layout.js';
import { selectPatterns } from './state/patterns-view.js';
import { toDailySeries, toQuotaView } from './state/quota-view.js';
import { applicableCommands } from './state/review-options.js';
import { createUiStore } from './state/ui-store.js';

export interface AppProps {
  readonly dataOptions?: DataOptions;
  /** Clock for the undo window (tests inject one). */
  readonly now?: () => number;
  /** Written as the reviewer in `pattern_reviews`. */
  readonly actor?: string;
}

const HINTS: Readonly<Record<Pane, readonly Command[]>> = {
  // the review keys shown are those that apply to the selected pattern
  patterns: ['help', 'details', 'approve', 'reject', 'deprecate', 'offload', 'filter', 'quit'],
  savings: ['help', 'nextPane', 'quit'],
  quota: ['help', 'nextPane', 'quit'],
  events: ['help', 'pause', 'quit'],
};

export function App({ dataOptions = DEFAULT_DATA_OPTIONS, now = Date.now, actor = 'tui' }: AppProps) {
  const connection = useDaemon();
  const size = useTerminalSize();
  const layout = useMemo(() => computeLayout(size), [size]);
  const columns = useMemo(() => patternColumns(layout.width), [layout.width]);
  const [store] = useState(() => createUiStore(dashboardReducer, initialDashboard));
  const ui = useSyncExternalStore(store.subscribe, store.getState);
  const { modal } = ui;
  const detailId =
    modal.kind === 'details'
      ? modal.id
      : modal.kind === 'reject' && modal.back.kind === 'details'
        ? modal.back.id
        : null;

  const { data, refresh, patternChanged } = useDaemonData(connection.client, detailId, dataOptions);
  const rows = useMemo(
    () => selectPatterns(data.patterns, { text: ui.filterText, status: ui.statusFilter, sort: ui.sort }),
    [data.patterns, ui.filterText, ui.statusFilter, ui.sort],
  );
  const index = useMemo(() => selectedIndex(rows, ui.selectedId), [rows, ui.selectedId]);
  const offset = clampOffset(ui.offset, index, layout.tableRows, rows.length);
  const feed = useMemo(
    () => feedWindow(data.events, data.eventsReceived, ui.pausedAt, ui.feedScroll, layout.feedRows),
    [data.events, data.eventsReceived, ui.pausedAt, ui.feedScroll, layout.feedRows],
  );
  const quota = useMemo(() => toQuotaView(data.forecast), [data.forecast]);
  const daily = useMemo(() => toDailySeries(data.usage), [data.usage]);

  useCommands({
    store,
    rows,
    layout,
    client: connection.client,
    eventsReceived: data.eventsReceived,
    feedMax: feed.maxScroll,
    refresh,
    patternChanged,
    now,
    actor,
  });
  useMessageExpiry(ui.message, store.dispatch);

  const { bodyHeight, width } = layout;
  let body: ReactNode;
  // the pattern the review keys act on: the one in details, else the selected row
  const target = detailId !== null ? data.patterns?.find((p) => p.id === detailId) : rows[index];
  if (modal.kind === 'help') {
    body = <HelpOverlay width={width} height={bodyHeight} scroll={modal.scroll} pattern={target} />;
  } else if (detailId !== null) {
    body = (
      <PatternDetails
        id={detailId}
        detail={data.detail !== null && data.detail.id === detailId ? data.detail : null}
        summary={data.patterns?.find((p) => p.id === detailId)}
        error={data.errors.detail}
        height={bodyHeight}
      />
    );
  } else if (ui.pane === 'patterns') {
    body = (
      <PatternsPane
        rows={rows}
        total={data.patterns === null ? null : data.patterns.length}
        offset={offset}
        viewport={layout.tableRows}
        selectedId={rows[index]?.id ?? null}
        columns={columns}
        filterText={ui.filterText}
        statusFilter={ui.statusFilter}
        sort={ui.sort}
        error={data.errors.patterns}
      />
    );
  } else if (ui.pane === 'savings') {
    body = (
      <SavingsPane
        savings={data.savings}
        error={data.errors.savings}
        replay={data.replay}
        replayError={data.errors.replay}
        width={width}
        height={bodyHeight}
      />
    );
  } else if (ui.pane === 'quota') {
    body = <QuotaPane quota={quota} daily={daily} error={data.errors.forecast} width={width} height={bodyHeight} />;
  } else {
    body = (
      <EventFeed
        events={feed.shown}
        paused={ui.pausedAt !== null}
        unseen={feed.unseen}
        scrolledBack={Math.min(ui.feedScroll, feed.maxScroll)}
        error={data.errors.events}
        height={bodyHeight}
      />
    );
  }

  let footer: ReactNode;
  if (modal.kind === 'filter')
    footer = <Prompt label="/ " text={modal.text} hint="enter keeps · esc restores" width={width} />;
  else if (modal.kind === 'reject')
    footer = (
      <Prompt label={`reject #${modal.id} reason: `} text={modal.text} hint="enter sends · esc cancels" width={width} />
    );
  else
    footer = (
      <MessageLine
        message={ui.message}
        hint={hintFor(
          applicableCommands(
            detailId !== null ? ['approve', 'reject', 'deprecate', 'undo', 'offload', 'close'] : HINTS[ui.pane],
            target?.status,
          ),
        )}
      />
    );

  return (
    <Box flexDirection="column" width={width} height={layout.height}>
      <Header pane={ui.pane} width={width} />
      <Box height={bodyHeight} flexDirection="column" overflow="hidden">
        {body}
      </Box>
      {footer}
      <StatusBar
        connection={connection}
        status={data.status}
        patterns={data.patterns === null ? null : data.patterns.length}
        pending={ui.pending}
        paused={ui.pausedAt !== null}
      />
    </Box>
  );
}
