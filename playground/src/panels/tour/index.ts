// The guided tour panel: one step at a time, each naming a panel, what to try there, and its guide section.
import type { Panel } from '../../host.js';
import { TOUR, headingAnchor, sectionUrl } from '../../lecture/tour.js';
import { button, el } from '../ui.js';

/**
 * Scrolls to and outlines the panel with this id, if the page shows it: the shell's `<details id="panel-<id>">`
 * (opened, which mounts it) or the harness's `[data-panel="<id>"]`.
 */
function highlight(id: string): boolean {
  document.querySelectorAll('[data-tour-current]').forEach((e) => e.removeAttribute('data-tour-current'));
  if (!id) return false;
  const target = document.getElementById(`panel-${id}`) ?? document.querySelector<HTMLElement>(`[data-panel="${id}"]`);
  if (!target) return false;
  if (target instanceof HTMLDetailsElement) target.open = true;
  target.setAttribute('data-tour-current', '');
  target.scrollIntoView({ block: 'nearest', behavior: 'smooth' });
  return true;
}

function mount(root: HTMLElement): () => void {
  let i = 0;
  const heading = el('h3', { 'data-testid': 'tour-title' });
  const text = el('p', { 'aria-live': 'polite' });
  const link = el('a', { target: '_blank', rel: 'noopener', 'data-testid': 'tour-link' });
  const where = el('p', { class: 'note' });
  const list = el('ol', {}, ...TOUR.map((s, k) => el('li', {}, button(s.title, () => go(k)))));
  function go(k: number): void {
    i = Math.min(Math.max(k, 0), TOUR.length - 1);
    const s = TOUR[i]!;
    heading.textContent = `${i + 1}/${TOUR.length}: ${s.title}`;
    text.textContent = s.text;
    link.href = sectionUrl(s);
    link.textContent = `Lecture: docs/guide.md § ${s.section}`;
    if (s.panel === 'main') where.textContent = 'Where: the main view (network editor and training controls).';
    else where.textContent = highlight(s.panel) ? `Panel: ${s.panel} (opened and outlined).` : `Panel: ${s.panel} (not on this page).`;
    root.dataset.step = String(i);
  }
  const prev = button('← Back', () => go(i - 1), { 'data-testid': 'tour-prev' });
  const next = button('Next →', () => go(i + 1), { 'data-testid': 'tour-next' });
  root.append(el('div', { class: 'controls' }, prev, next), heading, text, link, where, list);
  go(0);
  return () => { highlight(''); root.replaceChildren(); };
}

export const tourPanel: Panel = { id: 'tour', title: 'Guided tour', lectureSection: headingAnchor('neurite guide: the lecture, section by section'), mount };
