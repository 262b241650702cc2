// The guided tour: short steps linking each playground panel to its section of the lecture (docs/guide.md).

/** One tour step: the panel it shows (a lecture panel's id, or 'main' for the shell's main view), the guide section, and what to try. */
export interface TourStep {
  panel: string;
  title: string;
  /** The heading of docs/guide.md, exactly as written there (without the `## `). */
  section: string;
  text: string;
}

/** Where the guide is published (the repository's docs/guide.md). */
export const GUIDE_URL = 'https://github.com/neurite/neurite/blob/main/docs/guide.md';

export const TOUR: readonly TourStep[] = [
  { panel: 'main', title: 'The network', section: '2. The multilayer perceptron', text: 'Add layers and neurons; each hidden unit\'s heat map shows what it responds to.' },
  { panel: 'main', title: 'Activations', section: '5. Activation functions', text: 'Pick an activation per layer and compare h(u) with h\'(u): where h\' is small, learning is slow.' },
  { panel: 'main', title: 'Heads and losses', section: '6. Heads and losses', text: 'Switch between binary, multiclass and regression heads and watch which loss trains.' },
  { panel: 'main', title: 'Metrics', section: '7. Metrics', text: 'Accuracy, precision, recall, F1 and the ROC curve on the test split.' },
  { panel: 'main', title: 'Optimizers', section: '8. Optimizers', text: 'SGD against Momentum, Adam and friends at the same learning rate.' },
  { panel: 'gradient-flow', title: 'Vanishing and exploding gradients', section: '10. Vanishing and exploding gradients', text: 'Run the 6-layer sigmoid net: the first layer\'s gradient is ~10⁻⁵ of the last\'s. Switch to ReLU + He or batch norm, then try the exploding init with and without clipping.' },
  { panel: 'symmetry', title: 'Weight-space symmetry', section: '9. Weight-space symmetry', text: 'Swap two hidden neurons or flip a tanh neuron\'s sign: the weights change, the surface does not.' },
  { panel: 'universal', title: 'Universal approximation', section: '11. Universal approximation', text: 'Draw a curve. N bumps of two steep sigmoids each approximate it; the sup error falls as N grows. Compare a trained net with as many sigmoids.' },
  { panel: 'representations', title: 'Representations', section: '12. Representations', text: 'Pick a hidden layer and see the data as that layer sees it, projected to its two principal axes.' },
  { panel: 'hypernetwork', title: 'Hypernetworks', section: '13. Hypernetworks', text: 'One network generates another\'s weights: move the task slider to morph the surface; in noise mode the band of sampled nets widens away from the data.' },
];

/**
 * GitHub's anchor for a Markdown heading: lower case, punctuation other than `-` dropped, spaces → `-`.
 * @example headingAnchor('9. Weight-space symmetry')   // '9-weight-space-symmetry'
 */
export function headingAnchor(heading: string): string {
  return heading.trim().toLowerCase().replace(/[^\p{L}\p{N}\s-]/gu, '').replace(/\s/g, '-');
}

/** The guide link of a step. @example sectionUrl(TOUR[0]!)   // '…/docs/guide.md#2-the-multilayer-perceptron' */
export function sectionUrl(step: TourStep): string {
  return `${GUIDE_URL}#${headingAnchor(step.section)}`;
}
