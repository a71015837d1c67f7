// The register's IndexedDB: marks waiting to be sent, today's registers of the worker's own
// sessions, and who last used them on this phone. Nothing here is needed by anyone but staff at
// a door, so only the register pages (and sign-out, to wipe it) import this module.
import { openDB, type DBSchema, type IDBPDatabase } from 'idb';
import type { MarkInput, Register } from '../api/register';
import type { MyShift } from '../api/staffing';
import type { Role } from '../api/types';

/** QueuedMark is a mark made on this phone that the server has not confirmed yet. */
export interface QueuedMark extends MarkInput {
  occurrence_id: string;
  /** user_id made the mark: only they can send it. */
  user_id: string;
  /** name shows whose mark it is ("Yasmin Y.") in a refusal; it goes with the cached register. */
  name: string;
  /** session_ends_at dates the mark out: a register locks 7 days after its session. */
  session_ends_at: string;
  /** refused is set when the server will never take the mark, with its reason in words. */
  refused?: { code: string; reason: string };
}

/** CachedRegister is one register as the server last sent it. */
export interface CachedRegister {
  occurrence_id: string;
  user_id: string;
  register: Register;
  saved_at: string;
}

/** Identity is who used the registers last: enough to show their cached data while offline. */
export interface Identity {
  id: string;
  role: Role;
  first_name: string;
  council_id: string | null;
}

/** TodayList is the worker's shifts of one day, as /me/rota listed them. */
export interface TodayList {
  user_id: string;
  date: string;
  shifts: MyShift[];
  saved_at: string;
}

interface Meta {
  identity: Identity;
  today: TodayList;
  device: string;
}

export interface OfflineSchema extends DBSchema {
  queue: { key: string; value: QueuedMark; indexes: { by_occurrence: string } };
  registers: { key: string; value: CachedRegister };
  meta: { key: keyof Meta; value: Meta[keyof Meta] };
}

export const dbName = 'youthhub-offline';
let opening: Promise<IDBPDatabase<OfflineSchema>> | null = null;

/** db opens (once) the offline database, creating it on first use. */
export function db(): Promise<IDBPDatabase<OfflineSchema>> {
  opening ??= openDB<OfflineSchema>(dbName, 1, {
    upgrade(d) {
      const queue = d.createObjectStore('queue', { keyPath: 'client_id' });
      queue.createIndex('by_occurrence', 'occurrence_id');
      d.createObjectStore('registers', { keyPath: 'occurrence_id' });
      d.createObjectStore('meta');
    },
    // Another tab with a newer version wants the database: let it go.
    blocking() {
      void opening?.then((d) => d.close());
      opening = null;
    },
  }).catch((err: unknown) => {
    opening = null;
    throw err;
  });
  return opening;
}

/** getMeta reads one of the small records kept beside the queue. */
export async function getMeta<K extends keyof Meta>(key: K): Promise<Meta[K] | undefined> {
  return (await (await db()).get('meta', key)) as Meta[K] | undefined;
}

/** setMeta writes one of the small records kept beside the queue. */
export async function setMeta<K extends keyof Meta>(key: K, value: Meta[K]): Promise<void> {
  await (await db()).put('meta', value, key);
}

/** closeDb forgets the open connection (tests open a fresh database each time). */
export async function closeDb(): Promise<void> {
  const d = await opening?.catch(() => null);
  d?.close();
  opening = null;
}
