import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';
import { svelte } from '@sveltejs/vite-plugin-svelte';
import { svelteTesting } from '@testing-library/svelte/vite';
import { serviceWorker } from './scripts/service-worker';
import { en } from './src/lib/i18n/en';

// The API runs on the Go server; in `npm run dev` requests to /api are passed to it.
const apiTarget = process.env.YOUTHHUB_API ?? 'http://127.0.0.1:8080';

/**
 * messages fills index.html's %t:key% with the English message of that key, so that the page drawn
 * before the app starts says what the app says, from the same catalogue.
 */
function messages(): Plugin {
  const escape = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
  return {
    name: 'youthhub-messages',
    transformIndexHtml: (html) =>
      html.replace(/%t:([\w.]+)%/g, (_, key: string) => {
        const text = (en as Record<string, string>)[key];
        if (text === undefined) throw new Error(`index.html asks for ${key}, which en.ts does not have`);
        return escape(text);
      }),
  };
}

export default defineConfig({
  plugins: [
    messages(),
    svelte(),
    svelteTesting(),
    // /sw.js keeps the app shell, the register pages for a youth worker and My bookings for a young
    // person, at a door with no signal.
    serviceWorker({
      entry: 'src/lib/offline/sw.ts',
      pages: [
        'src/routes/register/TodayPage.svelte',
        'src/routes/register/SessionRegisterPage.svelte',
        'src/routes/register/WalkInPage.svelte',
        'src/routes/register/RollCallPage.svelte',
        // A young person's QR tickets (the page and the QR library it loads).
        'src/routes/bookings/BookingsPage.svelte',
        'src/routes/sign-in/SignInPage.svelte',
        // Signing out of a shared tablet must work with no signal too (it wipes the saved registers).
        'src/routes/sign-out/SignOutPage.svelte',
      ],
    }),
  ],
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
