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

type Area = Pick<Storage, 'getItem' | 'setItem' | 'removeItem'> & { names(): string[] };

const memoryArea = (entries: Map<string, string>): Area => ({
  getItem: (key) => entries.get(key) || null,
  setItem: (key, value) => void entries.set(key, value),
  removeItem: (key) => void entries.delete(key),
  names: () => Array.from(entries.keys()),
});

export const createStore = (namespace: string, win: Window): Store => {
  const ns = `ecomtag:${namespace}:`;
  // Looked up on every use: merely reading `localStorage` throws where storage is blocked.
  let area: Area = {
    getItem: (key) => win.localStorage.getItem(key),
    setItem: (key, value) => win.localStorage.setItem(key, value),
    removeItem: (key) => win.localStorage.removeItem(key),
    names: () => Object.keys(win.localStorage),
  };

  const run = <T>(operation: (area: Area) => T): T => {
    try {
      return operation(area);
    } catch {
      const entries = new Map<string, string>();
      try {
        for (const key of area.names()) if (key.indexOf(ns) === 0) entries.set(key, area.getItem(key)!);
      } catch {
        // Nothing readable: memory starts empty.
      }
      area = memoryArea(entries);
      return operation(area);
    }
  };

  return {
    get: (key) => {
      try {
        return JSON.parse(run((a) => a.getItem(ns + key)) || 'null') || undefined;
      } catch {
        return undefined;
      }
    },
    set: (key, value) => {
      const text = JSON.stringify(value);
      run((a) => a.setItem(ns + key, text));
    },
    remove: (key) => run((a) => a.removeItem(ns + key)),
    keys: (prefix) =>
      run((a) => a.names())
        .filter((key) => key.indexOf(ns + prefix) === 0)
        .map((key) => key.slice(ns.length)),
  };
};
