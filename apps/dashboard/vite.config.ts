import { defineConfig } from 'vite';

// Built into dist/ and served by the api role at /dashboard/ (apps/control-plane serve-dashboard.ts).
export default defineConfig({
  base: '/dashboard/',
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: false, chunkSizeWarningLimit: 200 },
});
