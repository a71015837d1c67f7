// A Vite plugin that builds the service worker (src/lib/offline/sw.ts) to dist/sw.js after the
// app, with the list of files it keeps: index.html, the entry's JavaScript and CSS, and the pages
// a youth worker or a young person needs at a door with no signal (with what they import, the QR
// fallback and the QR code library too).
// Written here rather than taken from vite-plugin-pwa: that brings workbox-build and Babel
// (hundreds of packages) for a worker of sixty lines whose every rule we want to choose.
import { createHash } from 'node:crypto';
import { build, type Plugin, type ResolvedConfig } from 'vite';

interface ManifestChunk {
  file: string;
  css?: string[];
  assets?: string[];
  imports?: string[];
  dynamicImports?: string[];
}

export interface ServiceWorkerOptions {
  /** entry is the service worker's source. */
  entry: string;
  /** pages are the modules (keys of Vite's manifest) to keep for offline use, with all they import. */
  pages: string[];
}

/** precacheList walks Vite's manifest from index.html (static imports) and pages (dynamic ones too). */
export function precacheList(manifest: Record<string, ManifestChunk>, pages: readonly string[]): string[] {
  const files = new Set<string>(['/index.html']);
  const seen = new Set<string>();
  const walk = (key: string, dynamic: boolean) => {
    const chunk = manifest[key];
    if (!chunk) throw new Error(`service worker: no chunk for ${key} in the manifest`);
    if (seen.has(key)) return;
    seen.add(key);
    for (const f of [chunk.file, ...(chunk.css ?? []), ...(chunk.assets ?? [])]) files.add(`/${f}`);
    for (const dep of chunk.imports ?? []) walk(dep, dynamic);
    if (dynamic) for (const dep of chunk.dynamicImports ?? []) walk(dep, dynamic);
  };
  walk('index.html', false);
  for (const p of pages) walk(p, true);
  return [...files].sort();
}

export function serviceWorker(opts: ServiceWorkerOptions): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'youthhub-service-worker',
    apply: 'build',
    configResolved(c) {
      config = c;
    },
    async writeBundle(_out, bundle) {
      const manifestAsset = bundle['.vite/manifest.json'];
      const html = bundle['index.html'];
      if (manifestAsset?.type !== 'asset' || html?.type !== 'asset') throw new Error('service worker: build.manifest must be on');
      const manifest = JSON.parse(String(manifestAsset.source)) as Record<string, ManifestChunk>;
      const files = precacheList(manifest, opts.pages);
      // The version changes whenever a kept file does (their names carry their hashes) or the shell does.
      const version = createHash('sha256').update(files.join('\n')).update(String(html.source)).digest('hex').slice(0, 16);
      await build({
        configFile: false,
        logLevel: 'warn',
        root: config.root,
        define: { __SW_VERSION__: JSON.stringify(version), __SW_PRECACHE__: JSON.stringify(files) },
        build: {
          outDir: config.build.outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: 'es2020',
          minify: true,
          sourcemap: false,
          lib: { entry: opts.entry, formats: ['iife'], name: 'youthhubServiceWorker', fileName: () => 'sw.js' },
        },
      });
    },
  };
}
