import type { Snippet } from 'svelte';

/** SummaryError is one line of an error summary; href points at the field to fix. */
export interface SummaryError {
  text: string;
  href?: string;
}

/** Item is one choice of a radios, checkboxes or select. */
export interface Item {
  value: string;
  text: string;
  hint?: string;
}

/** Row is one key and its value: text, or a snippet for richer content such as tags or lists. */
export interface Row {
  key: string;
  value: string | Snippet;
  /** action is a link to change the value: "Change" plus, for screen readers, what it changes. */
  action?: { href: string; text: string; hidden: string };
}

/** NavItem is one link of the service navigation. */
export interface NavItem {
  href: string;
  text: string;
  active?: boolean;
}

/** Colour is one of GOV.UK's tag colours; grey for "not active", green for "done". */
export type Colour = 'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';
