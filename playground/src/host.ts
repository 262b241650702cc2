// The contract between the playground shell and its panels: what a panel may read from and ask of the page.
//
// The shell owns PlaygroundState (the page's configuration, mirrored in the URL). The lecture panels
// read none of its fields; this placeholder stands until the shell's host.ts replaces this file.
// `Module` is `nn.Module`: neurite exports it only under `nn` (`import('neurite').Module` does not exist).

/** The shell's configuration (dataset, network, training settings); the shell defines its fields. */
export interface PlaygroundState {
  [field: string]: unknown;
}

export interface PanelHost { getState(): PlaygroundState; setState(patch: Partial<PlaygroundState>): void; subscribe(fn: (s: PlaygroundState) => void): () => void; getData(): { train: { x: Float32Array; y: Float32Array; n: number; inputDim: number }; test: { x: Float32Array; y: Float32Array; n: number; inputDim: number }; features: string[] }; getModel(): import('neurite').nn.Module | null; onSnapshot(fn: (s: { epoch: number; trainLoss: number; testLoss: number; gradNorms: Array<{ layer: string; norm: number }> }) => void): () => void; renderSurface(canvas: HTMLCanvasElement, predict: (x: Float32Array, n: number) => Float32Array): void; }

export interface Panel { id: string; title: string; lectureSection: string; mount(root: HTMLElement, host: PanelHost): () => void }
