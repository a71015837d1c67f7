import type { GovukComponentClass } from 'govuk-frontend';

/**
 * govuk is a Svelte action that starts a GOV.UK Frontend component's JavaScript when its element
 * is mounted. Where GOV.UK Frontend is not supported (no `govuk-frontend-supported` class on
 * body, as in old browsers and unit tests) the markup works on its own, so the error is ignored.
 */
export function govuk(el: Element, [Component, config]: [GovukComponentClass, Record<string, unknown>?]): void {
  if (!document.body.classList.contains('govuk-frontend-supported')) return;
  try {
    new Component(el, config);
  } catch (err) {
    console.error(err);
  }
}
