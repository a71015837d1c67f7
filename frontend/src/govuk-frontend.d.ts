// govuk-frontend 5 ships JavaScript without type declarations: these cover what youthhub uses.
declare module 'govuk-frontend' {
  /** GovukComponent is any GOV.UK Frontend component class. */
  export interface GovukComponentClass {
    new ($root: Element, config?: Record<string, unknown>): unknown;
  }
  export const ErrorSummary: GovukComponentClass;
  export const NotificationBanner: GovukComponentClass;
  export const SkipLink: GovukComponentClass;
  export const ServiceNavigation: GovukComponentClass;
  export const PasswordInput: GovukComponentClass;
  export const Button: GovukComponentClass;
  export function isSupported($scope?: HTMLElement | null): boolean;
}
