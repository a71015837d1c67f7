// Sign-out and the phone's copy of registers and tickets: marks still waiting are sent first (while
// the worker is still signed in), then every register, mark, name and young person's ticket kept
// on the phone is deleted. session.signOut() loads this module only when it signs someone out.
import { loadIdentity, wipe } from './cache';
import { dbName } from './db';
import { pending } from './queue';
import { resetSync, setUser, syncNow } from './sync.svelte';
import { wipeTickets } from './tickets';

/** hasOfflineData reports whether this phone has the register database, without making one. */
async function hasOfflineData(): Promise<boolean> {
  if (typeof indexedDB === 'undefined') return false;
  if (typeof indexedDB.databases !== 'function') return true;
  return (await indexedDB.databases()).some((d) => d.name === dbName);
}

/** beforeSignOut tries, for a few seconds at most, to send the marks waiting on this phone. */
export async function beforeSignOut(): Promise<void> {
  try {
    if (!(await hasOfflineData())) return;
    const who = await loadIdentity();
    if (!who) return;
    await setUser(who.id);
    await Promise.race([syncNow(), new Promise((r) => setTimeout(r, 5000))]);
  } catch {
    // Sign-out goes ahead whatever happens here.
  }
}

/**
 * unsentAfterTrying sends what it can and counts the marks of the last worker still waiting: the
 * sign-out page asks before deleting them.
 */
export async function unsentAfterTrying(): Promise<number> {
  try {
    if (!(await hasOfflineData())) return 0;
    const who = await loadIdentity();
    if (!who) return 0;
    await beforeSignOut();
    return (await pending({ userId: who.id })).length;
  } catch {
    return 0;
  }
}

/** wipeAll deletes the registers, marks and identity kept on this phone, and a young person's tickets. */
export async function wipeAll(): Promise<void> {
  try {
    if (await hasOfflineData()) await wipe();
  } catch {
    // Nothing kept, or no IndexedDB: nothing to wipe.
  }
  try {
    await wipeTickets();
  } catch {
    // As above: nothing kept, nothing to wipe.
  }
  resetSync();
}
