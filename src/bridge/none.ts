import type { bridgeDataLayer as DataLayerBridge } from './datalayer';

/** The dataLayer bridge where the build has none (dist/ecomtag.calltouch.js): a configuration that names a dataLayer is said so once. */
export const bridgeDataLayer: typeof DataLayerBridge = (_win, name) => console.error(`ecomtag: ecomtag.calltouch.js reads no dataLayer (window.${name}): ecomtag.js does`);
