// Globals the scenario pages define, as seen by the functions the tests run
// in the page through page.evaluate / waitForFunction: the tag (`ct`, or
// `ecom` when renamed) and the fake Calltouch script (`ctw`, or `ct`).
export {};

declare global {
  var ct: any;
  var ecom: any;
  var ctw: any;
  var __ctStubCallbacks: IArguments[] | undefined;
  /** How far the page's Date.now() runs off the real clock (test/browser/faults.test.ts). */
  var __skew: number;
  /** The store's own code on the hostile pages (test/browser/hostile.test.ts). */
  var ownCode: () => Promise<unknown[]>;
}
