// Renders the registered lecture panels as collapsible sections; a panel is mounted while open and torn down when closed.
import type { PanelHost } from './host.js';
import { panels } from './panels/index.js';

const GUIDE = 'https://github.com/neurite/neurite/blob/main/docs/guide.md';

/** One <details> per panel; the open one is kept in the state (`panel`), so links can open it. */
export function mountPanels(root: HTMLElement, host: PanelHost): void {
  if (panels.length === 0) { root.hidden = true; return; }
  for (const p of panels) {
    const details = document.createElement('details');
    details.id = `panel-${p.id}`;
    details.className = 'panel';
    const summary = document.createElement('summary');
    summary.textContent = p.title;
    const link = document.createElement('a');
    link.href = `${GUIDE}#${p.lectureSection}`; link.target = '_blank'; link.rel = 'noopener'; link.textContent = 'lecture';
    link.className = 'lecture-link';
    summary.append(' ', link);
    const body = document.createElement('div');
    body.className = 'panel-body';
    details.append(summary, body);
    root.append(details);
    let unmount: (() => void) | null = null;
    const sync = (open: boolean): void => {
      if (open && !unmount) unmount = p.mount(body, host);
      if (!open && unmount) { unmount(); unmount = null; body.replaceChildren(); }
    };
    details.addEventListener('toggle', () => {
      sync(details.open);
      if (details.open && host.getState().panel !== p.id) host.setState({ panel: p.id });
      if (!details.open && host.getState().panel === p.id) host.setState({ panel: '' });
    });
    if (host.getState().panel === p.id) details.open = true;
  }
}
