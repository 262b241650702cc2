// The panel harness page: mounts the lecture panels (all, or `?panel=<id>`) on the harness host, for
// browser tests and screenshots before the shell exists. `document.body.dataset.ready` is set when mounted.
import { ready } from 'neurite';
import { panels } from '../panels/index.js';
import { el } from '../panels/ui.js';
import { harnessHost } from './host.js';

async function main(): Promise<void> {
  await ready();
  const { host, trained } = harnessHost();
  await trained;
  const only = new URLSearchParams(location.search).get('panel');
  const chosen = only ? panels.filter((p) => p.id === only) : panels;
  if (chosen.length === 0) throw new Error(`panel harness: no panel "${only}"; choose one of ${panels.map((p) => p.id).join(', ')}`);
  const main = document.querySelector('main')!;
  for (const p of chosen) {
    const body = el('div', { class: 'panel-body' });
    main.append(el('section', { 'data-panel': p.id, 'aria-labelledby': `h-${p.id}` }, el('h2', { id: `h-${p.id}` }, p.title, el('small', {}, ` — docs/guide.md#${p.lectureSection}`)), body));
    p.mount(body, host);
  }
  document.body.dataset.ready = '1';
}

main().catch((e: unknown) => {
  document.body.dataset.ready = 'error';
  console.error(e);
});
