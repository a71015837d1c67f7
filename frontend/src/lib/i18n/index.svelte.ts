import { en, type MessageKey, type Messages } from './en';

/** Locale is a language the service can be shown in. Add 'cy' here and in `loaders` for Welsh. */
export type Locale = 'en';

/** locales lists the languages offered by the language switch, in the order shown. */
export const locales: readonly Locale[] = ['en'];

// Each catalogue but English is fetched only when chosen, so English readers never download it.
const loaders: Record<Locale, () => Promise<Messages>> = {
  en: () => Promise.resolve(en),
  // cy: () => import('./cy').then((m) => m.cy),
};

const state = $state<{ locale: Locale; messages: Messages }>({ locale: 'en', messages: en });

/** locale returns the language now in use. */
export function locale(): Locale {
  return state.locale;
}

/** setLocale loads a catalogue and switches every message on the page to it. */
export async function setLocale(next: Locale): Promise<void> {
  const messages = await loaders[next]();
  state.messages = messages;
  state.locale = next;
  if (typeof document !== 'undefined') document.documentElement.lang = next;
}

/** Params are the values put in a message's `{name}` placeholders. */
export type Params = Record<string, string | number>;

function interpolate(text: string, params?: Params): string {
  if (!params) return text;
  return text.replace(/\{([^}]+)\}/g, (whole, name: string) =>
    Object.prototype.hasOwnProperty.call(params, name) ? String(params[name]) : whole,
  );
}

/** t returns the message for key in the current language, with `{name}` placeholders filled. */
export function t(key: MessageKey, params?: Params): string {
  return interpolate(state.messages[key] ?? en[key], params);
}

type PluralBase = MessageKey extends infer K ? (K extends `${infer B}.other` ? B : never) : never;

/**
 * plural picks the plural form of base for count (`base.one`, `base.other`, and for languages
 * with more forms `base.two`, `base.few`, ...), falling back to `base.other`; `{count}` is filled.
 */
export function plural(base: PluralBase, count: number, params?: Params): string {
  const form = new Intl.PluralRules(state.locale === 'en' ? 'en-GB' : state.locale).select(count);
  const messages = state.messages as Record<string, string>;
  const text = messages[`${base}.${form}`] ?? messages[`${base}.other`] ?? '';
  return interpolate(text, { count, ...params });
}

/** intlLocale is the BCP 47 tag used for dates and numbers in the current language. */
export function intlLocale(): string {
  return state.locale === 'en' ? 'en-GB' : `${state.locale}-GB`;
}
