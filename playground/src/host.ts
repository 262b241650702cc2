// The contract between the playground shell and its lecture panels: the state, the host a panel talks to, and a panel.
//
// The shell (main.ts) owns the state, the data, the training worker and the main-thread model copy;
// a panel (playground/src/panels/<name>/) only reads them through a PanelHost and changes the state
// with setState. Changes to this file are additive only.
import type { nn } from 'neurite';

/** The problem type; it decides the datasets offered and the head. */
export type ProblemKind = 'binary' | 'multiclass' | 'regression';

/** Datasets: binary (circle … boundary), multiclass (blobs, spiral-k), regression (plane, bumps 2-D; sine, step 1-D). */
export type DatasetName =
  | 'circle' | 'xor' | 'gauss' | 'spiral' | 'boundary'
  | 'blobs' | 'spiral-k'
  | 'plane' | 'bumps' | 'sine' | 'step';

/** The boundary function f of the dataset `boundary` (class 1 where x2 > f(x1)). */
export type BoundaryFn = 'sin' | 'parabola' | 'cubic' | 'abs';

/** Input features computed from the point (x1, x2). */
export type FeatureName = 'x1' | 'x2' | 'x1sq' | 'x2sq' | 'x1x2' | 'sinx1' | 'sinx2';

/** Hidden activations (neurite's nn.activationNames). */
export type ActivationName = 'identity' | 'sigmoid' | 'tanh' | 'softsign' | 'hardtanh' | 'softplus' | 'relu' | 'leaky_relu' | 'prelu';

/** Optimizers (neurite's optimizerByName names used here). */
export type OptimizerName = 'sgd' | 'momentum' | 'nesterov' | 'adagrad' | 'rmsprop' | 'adam' | 'adamw' | 'nadam' | 'adamax';

/** One hidden layer: its width (1–8) and activation. */
export interface LayerSpec { units: number; activation: ActivationName }

/** Everything a configuration is; it round-trips through the URL (state.ts). */
export interface PlaygroundState {
  problem: ProblemKind;
  dataset: DatasetName;
  /** Classes of the multiclass sets (3–5). */
  classes: number;
  boundaryFn: BoundaryFn;
  /** Label/target noise in percent (0–50). */
  noise: number;
  /** Percentage of the points used for training (10–90); the rest is the test set. */
  trainRatio: number;
  /** Number of points generated. */
  samples: number;
  /** Seed of the data and of the weights. */
  seed: number;
  features: FeatureName[];
  /** Hidden layers (0–6). */
  layers: LayerSpec[];
  init: 'he' | 'glorot' | 'lecun' | 'uniform';
  batchNorm: boolean;
  residual: boolean;
  /** Dropout probability after each hidden activation (0 = off). */
  dropout: number;
  learningRate: number;
  batchSize: number;
  regularization: 'none' | 'l1' | 'l2';
  regRate: number;
  optimizer: OptimizerName;
  momentum: number;
  beta1: number;
  beta2: number;
  eps: number;
  /** RMSprop's smoothing constant α. */
  rmsAlpha: number;
  /** Decoupled weight decay (AdamW). */
  weightDecay: number;
  /** Clip the global gradient norm to this (0 = off). */
  clipNorm: number;
  /** Binary head: sigmoid + cross-entropy or hinge on raw scores. */
  binaryLoss: 'bce' | 'hinge';
  /** Multiclass head: softmax + cross-entropy or multiclass hinge. */
  multiclassLoss: 'cross_entropy' | 'multi_margin';
  /** Softmax temperature τ: probabilities softmax(z/τ), trained with that loss (folded into the last layer on export). */
  temperature: number;
  regressionActivation: 'identity' | 'relu' | 'softplus' | 'tanh';
  /** [a, b] of the tanh regression head. */
  rangeA: number;
  rangeB: number;
  regressionLoss: 'mse' | 'mae' | 'huber';
  showTest: boolean;
  discretize: boolean;
  /** The open lecture panel's id ('' = none). */
  panel: string;
}

/** One split of the data: x is n × inputDim (the features, row-major), y is n targets (labels 0…k-1 or values). */
export interface DataSplit {
  x: Float32Array;
  y: Float32Array;
  n: number;
  inputDim: number;
  /** The raw points (x1, x2), n × 2 (x2 = 0 for 1-D regression); the shell always sets it. Additive to the brief's contract. */
  points?: Float32Array;
}

/** A split as the shell makes it: always with its raw points. */
export interface ShellSplit extends DataSplit { points: Float32Array }

/** What the worker reports with each snapshot. */
export interface TrainingSnapshot {
  epoch: number;
  trainLoss: number;
  testLoss: number;
  /** ‖∂L/∂θ‖₂ per layer with parameters (analysis.gradientNorms' layers), from the snapshot's last batch. */
  gradNorms: Array<{ layer: string; norm: number }>;
}

/** What a panel may use of the shell. */
export interface PanelHost {
  getState(): PlaygroundState;
  setState(patch: Partial<PlaygroundState>): void;
  /** Calls fn after every state change; returns the unsubscribe function. */
  subscribe(fn: (s: PlaygroundState) => void): () => void;
  getData(): { train: DataSplit; test: DataSplit; features: string[] };
  /** The main-thread copy of the network, rebuilt from the latest worker snapshot (eval mode); null before the first. */
  getModel(): nn.Module | null;
  /** Calls fn on each worker snapshot; returns the unsubscribe function. */
  onSnapshot(fn: (s: TrainingSnapshot) => void): () => void;
  /**
   * Draws a decision surface / regression map over the view [-6, 6]² with the main view's colours.
   * `predict(x, n)` gets n points already turned into features (n × inputDim, as getData().x) and
   * returns n × outDim head outputs: a probability (binary), k class probabilities (multiclass) or a
   * value (regression).
   */
  renderSurface(canvas: HTMLCanvasElement, predict: (x: Float32Array, n: number) => Float32Array): void;
  /** Turns raw points (n × 2) into the current features (n × inputDim); the shell always provides it. Additive to the brief's contract. */
  featurize?(points: Float32Array, n: number): Float32Array;
}

/** A lecture panel the shell renders as a collapsible section. */
export interface Panel {
  id: string;
  title: string;
  /** Anchor in docs/guide.md, e.g. 'vanishing-gradients'. */
  lectureSection: string;
  /** Builds the panel inside root; returns the function that tears it down. */
  mount(root: HTMLElement, host: PanelHost): () => void;
}
