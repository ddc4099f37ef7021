import { json } from '../json';

/**
 * localStorage under one namespace, one key per record so that two tabs adding at once never overwrite
 * each other. Storage is read once per page, into memory, and kept current from then on by this page's own
 * writes and what it `hear`s of other tabs' (`storage` events): a lookup costs no storage access, whatever is
 * stored. Writes go to storage at once, or, in a `batch`, once each at its end. Where storage throws (private mode, quota, a sandboxed frame) the tag goes on in memory,
 * starting from whatever could still be read.
 */
export interface Store {
  /** The record as this page knows it; `fresh`: as storage holds it now, for what another tab may just have written. */
  get<T>(key: string, fresh?: boolean): T | undefined;
  /** Stores a record, which must not be changed afterwards: the same object is what `get` answers. */
  set(key: string, value: unknown): void;
  remove(key: string): void;
  /** Keys (without the namespace) that start with `prefix`. */
  keys(prefix: string): string[];
  /** Another tab's write (a `storage` event). */
  hear(event: StorageEvent): void;
  /** Reads storage again: a page back from the back/forward cache heard nothing other tabs wrote meanwhile. */
  read(): void;
  /** Runs `work`, and writes each record it changed once, at the end: a cart moved by ten calls is written once. */
  batch(work: () => void): void;
}

/**
 * Records are read and written as named properties, which `localStorage` and a plain object in memory share;
 * that also keeps a page that patched `Storage.prototype` from reaching the tag's records.
 */
type Area = Record<string, string>;

const parse = (text: string | undefined) => {
  try {
    return JSON.parse(text || 'null') || undefined;
  } catch {
    return undefined;
  }
};

export const createStore = (namespace: string, win: Window): Store => {
  const ns = `ecomtag:${namespace}:`;
  /** The namespace's records as text, by key without the namespace, and what has been parsed of them. */
  let texts: Area = {};
  let values: Record<string, unknown> = {};
  /** Set once a write was refused: from then on storage is read no more, and memory is all there is. */
  let memory = false;
  // Looked up on every use: merely reading `localStorage` throws where storage is blocked.
  const area = () => win.localStorage as unknown as Area;

  const read = () => {
    if (memory) return;
    const found: Area = {};
    try {
      const stored = area();
      for (const key of Object.keys(stored)) if (!key.indexOf(ns)) found[key.slice(ns.length)] = stored[key];
    } catch {
      // Nothing readable: memory starts empty.
    }
    texts = found;
    values = {};
  };
  read();

  /** Records changed in the running `batch`, to be written at its end. */
  let changed: Record<string, 1> | undefined;
  /**
   * Writes a record as memory holds it, or deletes it. Deleting only what is there: some implementations refuse
   * (and throw, in strict code) to delete a missing property. In memory, storage is cleared too where it still
   * reads (deleting needs no quota): a sent letter left there would be sent again by a later page.
   */
  const write = (key: string) => {
    try {
      const stored = area();
      if (key in texts) {
        if (!memory) stored[ns + key] = texts[key];
      } else if (ns + key in stored) delete stored[ns + key];
    } catch {
      // A write refused: memory from now on. A delete refused: unreadable storage holds nothing a later page could read either.
      memory = memory || key in texts;
    }
  };
  const save = (key: string) => (changed ? (changed[key] = 1) : write(key));

  return {
    get: (key, fresh) => {
      if (fresh) {
        try {
          return parse(area()[ns + key]);
        } catch {
          // Unreadable: what this page knows.
        }
      }
      return key in values ? values[key] : (values[key] = parse(texts[key]));
    },
    set: (key, value) => {
      values[key] = value;
      texts[key] = json(value);
      save(key);
    },
    remove: (key) => {
      delete texts[key];
      delete values[key];
      save(key);
    },
    keys: (prefix) => Object.keys(texts).filter((key) => !key.indexOf(prefix)),
    // `key` null is storage cleared.
    hear: ({ key, newValue }) => {
      if (key == null) read();
      else if (!key.indexOf(ns)) {
        key = key.slice(ns.length);
        if (newValue == null) delete texts[key];
        else texts[key] = newValue;
        delete values[key];
      }
    },
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
