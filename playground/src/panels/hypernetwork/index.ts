// The hypernetwork panel: a task mode (a slider morphing the generated net between tasks) and a noise
// mode (a predictive band from sampled target nets), with parameter counts and compression ratios.
import { headingAnchor } from '../../lecture/tour.js';
import type { Panel, PanelHost } from '../../host.js';
import { el, select } from '../ui.js';
import { mountNoise } from './noise.js';
import { mountTask } from './task.js';

function mount(root: HTMLElement, host: PanelHost): () => void {
  const body = el('div');
  let unmount = (): void => undefined;
  const show = (mode: string): void => {
    unmount();
    body.replaceChildren();
    root.dataset.mode = mode;
    unmount = mode === 'noise' ? mountNoise(body) : mountTask(body, host);
  };
  const mode = select('mode', [['task', 'task-conditioned (slider)'], ['noise', 'noise (predictive band, 1-D regression)']], show, { 'data-testid': 'hn-mode' });
  root.append(el('div', { class: 'controls' }, mode.root), body);
  show('task');
  return () => { unmount(); root.replaceChildren(); };
}

export const hypernetworkPanel: Panel = { id: 'hypernetwork', title: 'Hypernetworks', lectureSection: headingAnchor('13. Hypernetworks'), mount };
