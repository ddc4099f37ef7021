import { json } from '../json';

/**
 * localStorage under one namespace, one key per record so that two tabs adding at once never overwrite
 * each other. Storage is read once per page when first used, into memory, kept current by this page's own writes, and read again
 * after another tab wrote to it (it `hear`s of it, by a `storage` event): a lookup costs no storage access,
 * whatever is stored. Writes go to storage at once, or, in a `batch`, once each at its end. Where storage throws (private
 * mode, quota, a sandboxed frame) the tag goes on in memory, starting from whatever could still be read.
 */
export interface Store {
  /** The record as this page knows it; `fresh`: as storage holds it now, for what another tab may just have written. */
  get<T>(key: string, fresh?: boolean): T | undefined;
  /** Stores a record, which must not be changed afterwards: the same object is what `get` answers. */
  set(key: string, value: unknown): void;
  remove(key: string): void;
  /** Keys (without the namespace) that start with `prefix`. */
  keys(prefix: string): string[];
  /** Another tab's write (a `storage` event): storage is read again before the next lookup. */
  hear(event: StorageEvent): void;
  /** Storage is read again before the next use: a page back from the back/forward cache heard nothing other tabs wrote meanwhile. */
  read(): void;
  /** Runs `work`, and writes each record it changed once, at the end: a cart moved by ten calls is written once. */
  batch(work: () => void): void;
}

/**
 * Records are read and written as named properties, which `localStorage` and a plain object in memory share;
 * that also keeps a page that patched `Storage.prototype` from reaching the tag's records.
 */
type Area = Record<string, string>;

/** A record's value; nothing for one that is not there, or someone else broke. */
const parse = (text: string | null | undefined): unknown => {
  try {
    return JSON.parse(text!);
  } catch {
    // Not JSON: nothing.
  }
};

export const createStore = (namespace: string, win: Window): Store => {
  const ns = `ecomtag:${namespace}:`;
  /** The namespace's records by key (without the namespace); undefined until read, and again once another tab wrote. */
  let records: Record<string, unknown> | undefined;
  /** Set once a write was refused: from then on storage is read no more, and memory is all there is. */
  let memory = false;
  /** Records changed in the running `batch`, to be written at its end. */
  let changed: Record<string, 1> | undefined;
  // Looked up on every use: merely reading `localStorage` throws where storage is blocked.
  const area = () => win.localStorage as unknown as Area;

  /**
   * The records, read first if they must be. Every use goes through here, so that storage is never read again
   * over a change still to be written.
   */
  const current = () => {
    if (!records) {
      records = {};
      try {
        const stored = area();
        for (const key of Object.keys(stored)) if (!key.indexOf(ns)) records[key.slice(ns.length)] = parse(stored[key]);
      } catch {
        // Unreadable: memory starts empty.
      }
    }
    return records;
  };
  /** Storage is to be read again before the next use, unless memory is all there is. */
  const read = () => {
    if (!memory) records = undefined;
  };

  /**
   * Writes a record as memory holds it, or deletes it. In memory, storage is cleared too where it still reads
   * (deleting needs no quota): a sent letter left there would be sent again by a later page.
   */
  const write = (key: string) => {
    const kept = key in current();
    try {
      const stored = area();
      if (!kept) delete stored[ns + key];
      else if (!memory) stored[ns + key] = json(records![key]);
    } catch {
      // A delete refused (another tab's was first, or storage cannot be read) leaves nothing a later page could read.
      memory = memory || kept;
    }
  };
  const save = (key: string) => (changed ? (changed[key] = 1) : write(key));

  return {
    get: (key, fresh) => {
      try {
        if (fresh) return parse(area()[ns + key]) as never;
      } catch {
        // Unreadable: what this page knows.
      }
      return current()[key] as never;
    },
    set: (key, value) => {
      current()[key] = value;
      save(key);
    },
    // Only what is there: what this page does not know of, storage does not hold either.
    remove: (key) => {
      if (key in current()) {
        delete records![key];
        save(key);
      }
    },
    keys: (prefix) => Object.keys(current()).filter((key) => !key.indexOf(prefix)),
    // `key` null is storage cleared.
    hear: ({ key }) => (!key || !key.indexOf(ns)) && read(),
    read,
    batch: (work) => {
      changed = {};
      try {
        work();
      } finally {
        const keys = changed;
        changed = undefined;
        for (const key in keys) write(key);
      }
    },
  };
};
