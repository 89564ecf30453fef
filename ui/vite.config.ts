import { defineConfig } from 'vite';

// The dashboard: Preact through Vite's own JSX transform (no plugin), built into ui/dist and served
// by the agent at `/` (src/api/dashboard-routes.ts). `vite build ui` runs with ui/ as the root.
export default defineConfig({
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    // The agent serves only index.html and assets/*: keep every emitted file under assets/.
    assetsDir: 'assets',
    assetsInlineLimit: 0,
  },
  server: { proxy: { '/api': 'http://127.0.0.1:7070', '/login': 'http://127.0.0.1:7070' } },
});
