import type { Dashboard } from '../hooks/use-dashboard.js';
import { hintFor, keyLabel, promptKeyLabel } from '../keymap.js';
import { hintCommands } from '../state/hints.js';
import { MessageLine } from './MessageLine.js';
import { Prompt } from './Prompt.js';

export interface FooterProps {
  readonly view: Dashboard;
}

/** The line under the body: the open text prompt (filter, reject reason), else the message or key hints. */
export function Footer({ view }: FooterProps) {
  const { ui, layout, detailId, target } = view;
  const { modal } = ui;
  if (modal.kind === 'filter')
    return (
      <Prompt
        label={`${keyLabel('filter')} `}
        text={modal.text}
        hint={`${promptKeyLabel('submit')} keeps · ${promptKeyLabel('cancel')} restores`}
        width={layout.width}
      />
    );
  if (modal.kind === 'reject')
    return (
      <Prompt
        label={`reject #${modal.id} reason: `}
        text={modal.text}
        hint={`${promptKeyLabel('submit')} sends · ${promptKeyLabel('cancel')} cancels`}
        width={layout.width}
      />
    );
  return <MessageLine message={ui.message} hint={hintFor(hintCommands(ui.pane, detailId !== null, target?.status))} />;
}
