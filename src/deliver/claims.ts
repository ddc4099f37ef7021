/**
 * Who may take a stored record (a letter, a waiting event) when several tabs share one localStorage:
 * the page that stored it, while it lives; once it is gone, the one tab that holds the leader lock.
 * Both facts come from Web Locks — the browser's own record of which pages live — never from
 * localStorage, whose copy in another tab lags behind the writes of this one. So no two tabs ever take the
 * same record. A dead page's records wait a moment before adoption, for its last writes to reach us.
 */
export type MayTake = (from: string, at: number) => boolean;

export interface Claims {
  /** Runs `task` with the rule of the moment; at unload, synchronously, with this page's records only. */
  take(task: (mayTake: MayTake) => void, unloading?: boolean): void;
}

const ADOPT_AFTER_MS = 1000;
/** Without Web Locks nothing tells a dead page from a live one: a record this old is taken as orphaned. */
const ORPHAN_AGE_MS = 60000;

export const createClaims = (win: Window, name: string, pageId: string): Claims => {
  const locks = win.navigator.locks;
  const pageLock = (id: string) => `${name}:page:${id}`;
  const deadSince: Record<string, number> = {};
  let leader = false;

  const hold = (lock: string, granted: () => void) => {
    try {
      locks
        .request(lock, () => {
          granted();
          // Held for the life of the page: this promise never settles.
          return new Promise<void>(() => undefined);
        })
        .catch(() => undefined);
    } catch {
      // An opaque origin has no locks: then this page is neither seen nor leads.
    }
  };
  if (locks) {
    hold(pageLock(pageId), () => undefined);
    hold(`${name}:leader`, () => (leader = true));
  }

  const own: MayTake = (from, at) => from === pageId || (!locks && at < Date.now() - ORPHAN_AGE_MS);

  const take = (task: (mayTake: MayTake) => void, unloading?: boolean) => {
    if (!locks || unloading) return task(own);
    locks
      .query()
      .then((state) => {
        const live = state.held!.map((lock) => lock.name);
        const now = Date.now();
        task((from) => {
          if (from === pageId) return true;
          if (!leader || live.indexOf(pageLock(from)) >= 0) return false;
          deadSince[from] = deadSince[from] || now;
          return now - deadSince[from] >= ADOPT_AFTER_MS;
        });
      })
      .catch(() => task(own));
  };

  return { take };
};
