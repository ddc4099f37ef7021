/**
 * Runs `task` while no other tab of this origin runs one under the same name, so that two tabs never claim
 * the same record. Without Web Locks (old browsers, opaque origins) it runs at once.
 */
export const withLock = (win: Window, name: string, task: () => void): void => {
  const locks = win.navigator.locks;
  if (locks) {
    try {
      locks.request(name, task).catch(() => undefined);
      return;
    } catch {
      // A frame without a secure context throws here: fall through to running unlocked.
    }
  }
  task();
};
