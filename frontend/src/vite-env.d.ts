/// <reference types="svelte" />
/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** VITE_TILE_URL is the map tile template; OpenStreetMap's own tiles by default. */
  readonly VITE_TILE_URL?: string;
}
