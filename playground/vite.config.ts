// Vite config of the playground: `neurite` resolves to the built package (dist/) through the package's own exports, as a user's install would.
import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';

const repo = fileURLToPath(new URL('..', import.meta.url));

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: './',
  resolve: { alias: { neurite: `${repo}dist/main.js` } },
  server: { host: '127.0.0.1', fs: { allow: [repo] } },
  preview: { host: '127.0.0.1' },
  worker: { format: 'es' },
  build: { outDir: `${repo}dist-playground`, emptyOutDir: true, target: 'es2022' },
});
