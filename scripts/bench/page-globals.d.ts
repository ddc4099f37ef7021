// What harness.mjs installs in every benchmark page, for the Node side's page.evaluate callbacks.
import type { Bench } from './harness.mjs';

declare global {
  interface Window {
    __bench: Bench;
  }
}
