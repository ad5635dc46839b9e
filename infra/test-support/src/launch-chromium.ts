import { chromium, type Browser } from 'playwright-core';

/** Where the system's Chromium is (the Debian package); playwright-core downloads no browser of its own. */
export const CHROMIUM_PATH = '/usr/bin/chromium';

/**
 * Flags for a quiet headless Chromium in a container: no sandbox (no user
 * namespaces there), no GPU, no QUIC, and none of the background traffic
 * (component updates, sync) that would add requests a test did not make.
 */
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

/** Launches the system's headless Chromium; close it with `browser.close()`. */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
}
