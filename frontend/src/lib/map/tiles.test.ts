import { afterEach, describe, expect, it } from 'vitest';
import { tileAttribution, tileUrl } from './tiles';

function meta(name: string, content: string) {
  const m = document.createElement('meta');
  m.name = `youthhub:${name}`;
  m.content = content;
  document.head.append(m);
}

describe('map tiles', () => {
  afterEach(() => document.head.querySelectorAll('meta[name^="youthhub:"]').forEach((m) => m.remove()));

  it('draws OpenStreetMap, credited with a link, when the server sets nothing', () => {
    expect(tileUrl()).toBe('https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    expect(tileAttribution()).toBe('<a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a>');
  });

  it('draws the tiles the server was configured with, crediting them as plain text', () => {
    meta('tile-url', 'https://tiles.example.org/{z}/{x}/{y}.png');
    meta('tile-attribution', '© Example <Maps> & "friends"');
    expect(tileUrl()).toBe('https://tiles.example.org/{z}/{x}/{y}.png');
    expect(tileAttribution()).toBe('© Example &lt;Maps&gt; &amp; &quot;friends&quot;');
  });

  it('keeps the OpenStreetMap link when the server names OpenStreetMap', () => {
    meta('tile-url', 'https://tile.openstreetmap.org/{z}/{x}/{y}.png');
    meta('tile-attribution', '© OpenStreetMap contributors');
    expect(tileAttribution()).toContain('https://www.openstreetmap.org/copyright');
  });
});
