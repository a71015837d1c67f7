import { api, NetworkError, onSessionChange, refresh, setAccessToken, type Role, type TokenResponse, type User } from '../api';
import { navFor } from '../nav';

/**
 * SessionStatus is 'unknown' until the first refresh has answered, and 'offline' while the server
 * cannot be reached to ask (a reload with no signal): nobody is known to be signed in, but nobody
 * has been signed out either.
 */
export type SessionStatus = 'unknown' | 'signed_in' | 'signed_out' | 'offline';

const state = $state<{ status: SessionStatus; user: User | null; ended: boolean }>({ status: 'unknown', user: null, ended: false });

function adopt(tokens: TokenResponse | null): void {
  setAccessToken(tokens?.access_token ?? null);
  state.user = tokens?.user ?? null;
  state.status = tokens ? 'signed_in' : 'signed_out';
  state.ended = false;
  if (tokens) forgetOthersTickets(tokens.user.id);
}

/**
 * forgetOthersTickets deletes the tickets another young person left on this phone (a shared phone
 * where they did not sign out) as soon as someone else is signed in: offline, My bookings would
 * otherwise show that copy. The ticket code loads only when the phone holds tickets at all.
 */
function forgetOthersTickets(userId: string): void {
  if (typeof indexedDB === 'undefined' || typeof indexedDB.databases !== 'function') return;
  indexedDB
    .databases()
    .then((dbs) => (dbs.some((d) => d.name === 'youthhub-tickets') ? import('../offline/tickets').then((m) => m.wipeTicketsExcept(userId)) : undefined))
    .catch(() => {
      // Nothing kept, or no IndexedDB here: nothing to forget.
    });
}
// A refresh that finds no session for someone signed in here means it ended elsewhere (signed out
// on another device, a new password, 30 days): sign-in says so, rather than "you need to sign in".
onSessionChange((tokens) => {
  const wasIn = state.status === 'signed_in';
  adopt(tokens);
  if (!tokens && wasIn) state.ended = true;
});

let restoring: Promise<void> | null = null;

// Back in signal after an offline reload: ask the server again, so the header and any page held
// back for want of a signal catch up without a reload.
if (typeof window !== 'undefined') {
  window.addEventListener('online', () => {
    if (state.status === 'offline') void session.ready();
  });
}

/** session is the signed-in person, read reactively by the header and the pages. */
export const session = {
  get status(): SessionStatus {
    return state.status;
  },
  get user(): User | null {
    return state.user;
  },
  /** ended is true from the moment a session ends on its own (not by signing out) until the next sign-in. */
  get ended(): boolean {
    return state.ended;
  },
  /** is reports whether the signed-in person has one of roles. */
  is(...roles: Role[]): boolean {
    return state.user !== null && roles.includes(state.user.role);
  },
  /**
   * ready resolves once we know whether someone is signed in: on first use it swaps the refresh
   * cookie for an access token (a reload keeps no token, by design). With no signal it resolves
   * with the status 'offline', and the next call asks again.
   */
  ready(): Promise<void> {
    if (state.status === 'signed_in' || state.status === 'signed_out') return Promise.resolve();
    restoring ??= refresh().then(
      () => {},
      (err: unknown) => {
        if (!(err instanceof NetworkError)) return adopt(null);
        // A refresh that answered meanwhile (another caller) has settled it.
        if (state.status === 'unknown' || state.status === 'offline') state.status = 'offline';
        restoring = null;
      },
    );
    return restoring;
  },
  /** signIn exchanges an email and password for a session; it throws ApiError on refusal. */
  async signIn(email: string, password: string): Promise<User> {
    const tokens = await api.auth.login(email, password);
    adopt(tokens);
    return tokens.user;
  },
  /** start keeps the tokens that registration, or choosing or changing a password, answered with. */
  start(tokens: TokenResponse): void {
    adopt(tokens);
  },
  /** renamed keeps the first name shown (as on the home page) in step with a change on "My account". */
  renamed(firstName: string): void {
    if (state.user) state.user = { ...state.user, first_name: firstName };
  },
  /**
   * signOut revokes the refresh cookie on the server and forgets the access token here. Registers
   * and tickets kept on the phone for offline use go too, once the marks waiting to be sent have
   * had a try.
   */
  async signOut(): Promise<void> {
    const kept = await import('../offline/signout').catch(() => null);
    await kept?.beforeSignOut();
    try {
      await api.auth.logout();
    } finally {
      adopt(null);
      await kept?.wipeAll();
    }
  },
};

/**
 * homeFor is where someone lands after signing in: the first link of their header, the page their
 * role uses most (a youth worker's registers, a manager's sessions). A guardian comes for the
 * consent requests in their notifications.
 */
export function homeFor(user: User): string {
  // A guardian's children's consent is on My account (guardians get no notifications of their own).
  if (user.role === 'guardian') return '/account';
  return navFor(user)[0]!.href;
}
