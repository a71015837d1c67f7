// A message carried from one register page to the next (a walk-in added), kept in memory only:
// a young person's name never goes into the address bar, and so never into a server's log.
let message: string | null = null;

/** flash keeps a message for the next page to show. */
export function flash(text: string): void {
  message = text;
}

/** takeFlash returns the message, once. */
export function takeFlash(): string | null {
  const m = message;
  message = null;
  return m;
}
