// The browser project's globalSetup: before any browser test file runs, one Chromium must start. Without one the
// suite stops here with a single message naming the ways to get one, and none of its tests runs or passes.
import { NO_CHROMIUM_HELP, findChromium, launchBrowser } from './chromium.mjs';

export default async function checkChromium() {
  let source = '';
  try {
    source = (await findChromium()).source;
    const browser = await launchBrowser();
    process.stderr.write(`browser tests: Chromium ${browser.version()} (${source})\n`);
    await browser.close();
  } catch (error) {
    const message = /** @type {Error} */ (error).message;
    throw new Error(message.includes(NO_CHROMIUM_HELP) ? message : `Chromium ${source ? `from ${source} ` : ''}did not start: ${message}\n${NO_CHROMIUM_HELP}`);
  }
}
