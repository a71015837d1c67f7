import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';

// The API runs on the Go server; in `npm run dev` requests to /api are passed to it.
const apiTarget = process.env.YOUTHHUB_API ?? 'http://127.0.0.1:8080';

export default defineConfig({
  plugins: [svelte(), svelteTesting()],
  css: {
    preprocessorOptions: {
      scss: {
        // govuk-frontend 5 is written with @import and global functions; its warnings are not ours.
        quietDeps: true,
        silenceDeprecations: ['import', 'global-builtin', 'slash-div', 'color-functions', 'if-function'],
      },
    },
  },
  build: {
    manifest: true,
    target: 'es2020',
    // No inline data: URLs: the CSP allows only same-origin images, fonts and scripts.
    assetsInlineLimit: 0,
    sourcemap: false,
  },
  server: {
    proxy: { '/api': apiTarget },
  },
  test: {
    environment: 'jsdom',
    globals: true,
    include: ['src/**/*.test.ts'],
    setupFiles: ['src/test-setup.ts'],
    restoreMocks: true,
    testTimeout: 30_000,
  },
});
