// The system Chromium for browser tests. They run in the default test run when it is
// installed and are skipped with the reason printed when it is not (CI may lack it); no
// browser is ever downloaded.
import { existsSync, mkdtempSync } from 'node:fs';
import { join } from 'node:path';

export const CHROMIUM = '/usr/bin/chromium';

/** `skip` for node:test: false when Chromium is present, else the reason shown in the report. */
export const chromiumSkip: string | false = existsSync(CHROMIUM) ? false : `no ${CHROMIUM}: install it (apt-get install -y chromium) to run the browser checks`;

/** Flags that keep a test browser quiet and offline: no GPU, sync, updates or first-run pages. */
export const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** A fresh, empty profile directory inside `parent` (the test's temporary folder), so no state leaks between runs. */
export const freshProfile = (parent: string): string => mkdtempSync(join(parent, 'chromium-profile-'));
