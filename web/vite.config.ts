import { defineConfig } from 'vite';

// No React plugin: JSX is compiled by Vite's own transformer (automatic runtime); no fast refresh needed.
export default defineConfig({
  base: './',
  oxc: { jsx: { runtime: 'automatic' } },
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 2000 },
  server: { proxy: { '/api': 'http://127.0.0.1:3000', '/_local': 'http://127.0.0.1:3000' } },
});
