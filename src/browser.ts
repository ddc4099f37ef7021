import { installGlobal } from './install/global';

// The IIFE entry (dist/ecomtag.js): nothing it does may throw into the page.
try {
  installGlobal(window, document.currentScript);
} catch (error) {
  console.error('ecomtag:', error);
}
