// Sends the queue of marks to the server in batches, whenever it can: straight after a tap, when
// the connection comes back (the online event), when the page is shown again, and on a timer
// that backs off (2 s, 4 s, 8 s … up to a minute) while the server cannot be reached. A mark
// leaves the queue once the server has it (stored, duplicate or superseded); a mark it refuses is
// kept, with the reason, for the worker to read.
import { ApiError, NetworkError, hasAccessToken, refresh } from '../api/client';
import { registers } from '../api/register';
import { cleanup, deviceId } from './cache';
import type { QueuedMark } from './db';
import { pending, queued, refuse, remove } from './queue';

/** maxBatch is the most marks one request may carry. */
export const maxBatch = 200;

const state = $state({
  /** online is false while the browser says so or the last request could not reach the server. */
  online: typeof navigator === 'undefined' ? true : navigator.onLine,
  /** pending counts the signed-in (or last) worker's marks waiting to be sent. */
  pending: 0,
  refused: [] as QueuedMark[],
  sending: false,
  /** signInNeeded: the refresh cookie no longer works, so marks wait for a new sign-in. */
  signInNeeded: false,
  /** sent counts up each time marks reach the server, so that pages can reload the register. */
  sent: 0,
  userId: '',
});

/** offline is the queue's state, read reactively by the banner and the register pages. */
export const offline = {
  get online() {
    return state.online;
  },
  get pending() {
    return state.pending;
  },
  get refused(): readonly QueuedMark[] {
    return state.refused;
  },
  get sending() {
    return state.sending;
  },
  get signInNeeded() {
    return state.signInNeeded;
  },
  get sent() {
    return state.sent;
  },
};

/** setUser says whose marks to count and send (the signed-in worker, or the last one offline). */
export async function setUser(userId: string): Promise<void> {
  state.userId = userId;
  await recount();
}

/** recount reads the queue again after it changed. */
export async function recount(): Promise<void> {
  if (!state.userId) return;
  const mine = await queued({ userId: state.userId });
  state.pending = mine.filter((m) => !m.refused).length;
  state.refused = mine.filter((m) => m.refused);
}

/** reachable records whether the last request got through; pages call it after their own requests. */
export function reachable(ok: boolean): void {
  state.online = ok && (typeof navigator === 'undefined' || navigator.onLine);
}

const minDelay = 2000;
const maxDelay = 60_000;
let failures = 0;
let timer: ReturnType<typeof setTimeout> | null = null;
let running: Promise<void> | null = null;
let again = false;

function retryLater(): void {
  if (timer) clearTimeout(timer);
  const base = Math.min(maxDelay, minDelay * 2 ** failures);
  failures++;
  // Jitter, so that phones that lost the same signal do not all come back in the same second.
  timer = setTimeout(() => {
    timer = null;
    void syncNow();
  }, base / 2 + Math.random() * (base / 2));
}

/** syncNow sends the waiting marks now; calls while it runs make it run once more after. */
export function syncNow(): Promise<void> {
  if (running) {
    again = true;
    return running;
  }
  running = (async () => {
    try {
      do {
        again = false;
        await sendAll();
      } while (again);
    } finally {
      running = null;
    }
  })();
  return running;
}

async function sendAll(): Promise<void> {
  if (!state.userId) return;
  const marks = await pending({ userId: state.userId });
  if (!marks.length) {
    await recount();
    return;
  }
  state.sending = true;
  try {
    // After a reload the access token is gone: the refresh cookie may still give a new one.
    if (!hasAccessToken()) {
      const tokens = await refresh();
      if (!tokens || tokens.user.id !== state.userId) {
        state.signInNeeded = true;
        state.online = true;
        return;
      }
    }
    state.signInNeeded = false;
    const device = await deviceId();
    const byOccurrence = new Map<string, QueuedMark[]>();
    for (const m of marks) byOccurrence.set(m.occurrence_id, [...(byOccurrence.get(m.occurrence_id) ?? []), m]);
    for (const [occurrenceId, all] of byOccurrence) {
      for (let i = 0; i < all.length; i += maxBatch) await sendBatch(occurrenceId, all.slice(i, i + maxBatch), device);
    }
    failures = 0;
    state.online = true;
    state.sent++;
  } catch (err) {
    if (err instanceof NetworkError) {
      state.online = false;
      retryLater();
    } else if (err instanceof ApiError && err.status === 401) {
      state.signInNeeded = true;
    } else {
      // A server error or too many requests: try again later, more slowly each time.
      state.online = true;
      retryLater();
    }
  } finally {
    state.sending = false;
    await recount();
  }
}

async function sendBatch(occurrenceId: string, batch: QueuedMark[], device: string): Promise<void> {
  const body = batch.map((m) => ({
    client_id: m.client_id, young_person_id: m.young_person_id, status: m.status, recorded_at: m.recorded_at,
    ...(m.checked_in_at ? { checked_in_at: m.checked_in_at } : {}),
  }));
  try {
    const res = await registers.sync(occurrenceId, body, device);
    const done: string[] = [];
    const refusals: { client_id: string; code: string; reason: string }[] = [];
    for (const r of res.results) {
      if (r.outcome === 'refused') refusals.push({ client_id: r.client_id, code: r.code ?? 'invalid', reason: r.reason ?? '' });
      else done.push(r.client_id);
    }
    await remove(done);
    await refuse(refusals);
  } catch (err) {
    // The whole batch is refused for good (the session was cancelled, the register has locked,
    // the worker is no longer on the rota): keep the marks, with the reason, for the worker to see.
    if (err instanceof ApiError && [403, 404, 409, 422].includes(err.status)) {
      const named = err.problem.code;
      const code = typeof named === 'string' ? named : String(err.status);
      await refuse(batch.map((m) => ({ client_id: m.client_id, code, reason: err.problem.detail ?? err.message })));
      return;
    }
    throw err;
  }
}

/** dismiss drops refused marks once the worker has read them. */
export async function dismiss(clientIds: readonly string[]): Promise<void> {
  await remove(clientIds);
  await recount();
}

let started = 0;

/** startSync listens for the connection coming back; the returned function stops listening. */
export function startSync(): () => void {
  started++;
  const online = () => {
    failures = 0;
    state.online = true;
    void syncNow();
  };
  const gone = () => {
    state.online = false;
  };
  const shown = () => {
    if (document.visibilityState === 'visible') void syncNow();
  };
  window.addEventListener('online', online);
  window.addEventListener('offline', gone);
  document.addEventListener('visibilitychange', shown);
  state.online = navigator.onLine && state.online;
  // A page left open at the door still lets go of a register an hour after its session.
  const sweep = setInterval(() => void cleanup().catch(() => {}), 60_000);
  return () => {
    clearInterval(sweep);
    window.removeEventListener('online', online);
    window.removeEventListener('offline', gone);
    document.removeEventListener('visibilitychange', shown);
    if (--started === 0 && timer) {
      clearTimeout(timer);
      timer = null;
    }
  };
}

/** resetSync forgets everything (tests; sign-out). */
export function resetSync(): void {
  if (timer) clearTimeout(timer);
  timer = null;
  failures = 0;
  Object.assign(state, { online: true, pending: 0, refused: [], sending: false, signInNeeded: false, userId: '' });
}
