import type { Dashboard } from '../hooks/use-dashboard.js';
import { EventFeed } from './EventFeed.js';
import { HelpOverlay } from './HelpOverlay.js';
import { PatternDetails } from './PatternDetails.js';
import { PatternsPane } from './PatternsPane.js';
import { QuotaPane } from './QuotaPane.js';
import { SavingsPane } from './SavingsPane.js';

export interface DashboardBodyProps {
  readonly view: Dashboard;
}

/** What fills the body: the help overlay, else the details of a pattern, else the current pane. */
export function DashboardBody({ view }: DashboardBodyProps) {
  const { ui, data, layout, detailId } = view;
  if (ui.modal.kind === 'help') {
    return (
      <HelpOverlay width={layout.width} height={layout.bodyHeight} scroll={ui.modal.scroll} pattern={view.target} />
    );
  }
  if (detailId !== null) {
    return (
      <PatternDetails
        id={detailId}
        detail={data.detail !== null && data.detail.id === detailId ? data.detail : null}
        summary={data.patterns?.find((p) => p.id === detailId)}
        error={data.errors.detail}
        height={layout.bodyHeight}
      />
    );
  }
  return <ActivePane view={view} />;
}

/** The pane picked with tab or 1-4, sized to the body. */
function ActivePane({ view }: DashboardBodyProps) {
  const { ui, data, layout, rows, index, feed } = view;
  const { bodyHeight, width } = layout;
  switch (ui.pane) {
    case 'patterns':
      return (
        <PatternsPane
          rows={rows}
          total={data.patterns === null ? null : data.patterns.length}
          offset={view.offset}
          viewport={layout.tableRows}
          selectedId={rows[index]?.id ?? null}
          columns={view.columns}
          filterText={ui.filterText}
          statusFilter={ui.statusFilter}
          sort={ui.sort}
          error={data.errors.patterns}
        />
      );
    case 'savings':
      return (
        <SavingsPane
          savings={data.savings}
          error={data.errors.savings}
          replay={data.replay}
          replayError={data.errors.replay}
          width={width}
          height={bodyHeight}
        />
      );
    case 'quota':
      return (
        <QuotaPane
          quota={view.quota}
          daily={view.daily}
          error={data.errors.forecast}
          width={width}
          height={bodyHeight}
        />
      );
    case 'events':
      return (
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
}
