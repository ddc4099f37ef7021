import { json } from '../json';

/**
 * localStorage under one namespace, one key per record so that two tabs adding at once never overwrite
 * each other. Where storage throws (private mode, quota, a sandboxed frame) the tag goes on in memory,
 * starting from whatever could still be read.
 */
export interface Store {
  get<T>(key: string): T | undefined;
  set(key: string, value: unknown): void;
  remove(key: string): void;
  /** Keys (without the namespace) that start with `prefix`. */
  keys(prefix: string): string[];
}

/**
 * Records are read and written as named properties, which `localStorage` and a plain object in memory share;
 * that also keeps a page that patched `Storage.prototype` from reaching the tag's records.
 */
type Area = Record<string, string>;

export const createStore = (namespace: string, win: Window): Store => {
  const ns = `ecomtag:${namespace}:`;
  let memory: Area | undefined;

  const run = <T>(operation: (area: Area) => T): T => {
    if (memory) return operation(memory);
    try {
      // Looked up on every use: merely reading `localStorage` throws where storage is blocked.
      return operation(win.localStorage as unknown as Area);
    } catch {
      memory = {};
      try {
        for (const key of Object.keys(win.localStorage)) if (!key.indexOf(ns)) memory[key] = win.localStorage[key];
      } catch {
        // Nothing readable: memory starts empty.
      }
      return operation(memory);
    }
  };

  return {
    get: (key) => {
      try {
        return JSON.parse(run((area) => area[ns + key]) || 'null') || undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => {
      const text = json(value);
      run((area) => (area[ns + key] = text));
    },
    // Only what is there: some implementations refuse (and throw, in strict code) to delete a missing property.
    // In memory, storage is cleared too where it still reads (deleting needs no quota): a sent letter left
    // there would be sent again by a later page.
    remove: (key) => {
      const drop = (area: Area) => ns + key in area && delete area[ns + key];
      run(drop);
      try {
        if (memory) drop(win.localStorage as unknown as Area);
      } catch {
        // Unreadable storage holds nothing a later page could read either.
      }
    },
    keys: (prefix) =>
      run(Object.keys)
        .filter((key) => !key.indexOf(ns + prefix))
        .map((key) => key.slice(ns.length)),
  };
};
