/**
 * The dashboard's state in one place: the UI store, the daemon connection, the server data, and
 * what the panes derive from them (the filtered rows, the feed window, the quota view). It also
 * starts the input handling and the message expiry, which act on the same store.
 */
import { useMemo, useState, useSyncExternalStore } from 'react';
import type { PatternSummary } from '../../rpc/protocol.js';
import { useDaemon } from '../client-context.js';
import {
  clampOffset,
  dashboardReducer,
  initialDashboard,
  selectedIndex,
  type DashboardState,
  type Modal,
} from '../state/dashboard.js';
import { feedWindow, type DataState, type FeedWindow } from '../state/data.js';
import { computeLayout, patternColumns, type Column, type Layout } from '../state/layout.js';
import { selectPatterns } from '../state/patterns-view.js';
import { toDailySeries, toQuotaView, type DailyPoint, type QuotaView } from '../state/quota-view.js';
import { createUiStore } from '../state/ui-store.js';
import type { ConnectionState } from './use-connection.js';
import { useCommands } from './use-commands.js';
import { useDaemonData, type DataOptions } from './use-daemon-data.js';
import { useMessageExpiry } from './use-message-expiry.js';
import { useTerminalSize } from './use-terminal-size.js';

export interface DashboardOptions {
  readonly dataOptions: DataOptions;
  /** Clock for the undo window. */
  readonly now: () => number;
  /** Written as the reviewer in `pattern_reviews`. */
  readonly actor: string;
}

export interface Dashboard {
  readonly connection: ConnectionState;
  readonly layout: Layout;
  readonly columns: readonly Column[];
  readonly ui: DashboardState;
  readonly data: DataState;
  /** The pattern whose details are open (also under a reject prompt opened from them); else null. */
  readonly detailId: number | null;
  /** The patterns as the Patterns pane lists them: filtered and sorted. */
  readonly rows: readonly PatternSummary[];
  /** Index of the selected row in `rows`. */
  readonly index: number;
  /** First visible row of the pattern table. */
  readonly offset: number;
  readonly feed: FeedWindow;
  readonly quota: QuotaView | null;
  readonly daily: readonly DailyPoint[];
  /** The pattern the review keys act on: the one in details, else the selected row. */
  readonly target: PatternSummary | undefined;
}

/** The pattern whose details are open, directly or under a reject prompt opened from them. */
export function detailIdOf(modal: Modal): number | null {
  if (modal.kind === 'details') return modal.id;
  if (modal.kind === 'reject' && modal.back.kind === 'details') return modal.back.id;
  return null;
}

export function useDashboard({ dataOptions, now, actor }: DashboardOptions): Dashboard {
  const connection = useDaemon();
  const size = useTerminalSize();
  const layout = useMemo(() => computeLayout(size), [size]);
  const columns = useMemo(() => patternColumns(layout.width), [layout.width]);
  const [store] = useState(() => createUiStore(dashboardReducer, initialDashboard));
  const ui = useSyncExternalStore(store.subscribe, store.getState);
  const detailId = detailIdOf(ui.modal);

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

  const target = detailId !== null ? data.patterns?.find((p) => p.id === detailId) : rows[index];
  return { connection, layout, columns, ui, data, detailId, rows, index, offset, feed, quota, daily, target };
}
