import { realpathSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/**
 * Whether the module at `moduleUrl` is the program being run (`node dist/x.mjs`, or npx through its bin symlink,
 * hence realpath) rather than imported. For the Node-only entries; the relay's, which edge hosts import too, asks
 * the same without loading node: modules up front.
 */
export const isMain = (moduleUrl: string): boolean => {
  const script = process.argv[1];
  try {
    return !!script && realpathSync(script) === fileURLToPath(moduleUrl);
  } catch {
    return false;
  }
};
