// Plays the person of a device sign-in (RFC 8628): `node device.mjs URL
// [USER_CODE]` opens the verification address in headless Chromium, enters
// the user code when the page asks for it, signs in as TEST_BROWSER_USER
// (default ada, password TEST_BROWSER_PASSWORD or `password`) and approves.
// It knows two providers, told apart by the page the address leads to:
//  - tests/provider/provider.mjs (oidc-provider): its own code, confirm and
//    login pages, then the success page;
//  - Glewlwyd (tests/provider/glewlwyd.mjs): <issuer>/device leads to its
//    login page (login.html?…&prompt=device), which asks for the code and
//    goes back to <issuer>/device?code=…; the complete address
//    (verification_uri_complete) starts there. The plugin then sends the
//    browser through the login page with the device's client_id and scope
//    (sign in, grant the scopes if asked, Continue) and at last to
//    login.html?…&prompt=deviceComplete (deviceCodeError for a code it does
//    not know or no longer takes).
// Exit 0 once signed in; 1 with a one-line error otherwise, or after 60 s.

const TIMEOUT_MS = 60_000;

function fail(message) {
  process.stderr.write(`device: ${String(message).split('\n')[0]}\n`);
  process.exit(1);
}

const [address, userCode] = process.argv.slice(2);
if (!address || !URL.parse(address)) fail('usage: device URL [USER_CODE]');
const user = process.env.TEST_BROWSER_USER || 'ada';
// provider.mjs ignores it (the form wants one); glewlwyd.mjs gives every user this one.
const password = process.env.TEST_BROWSER_PASSWORD || 'password';

// Glewlwyd's login page, and the step of its device flow it shows (its
// `prompt` parameter: device, deviceComplete, deviceCodeError, ...).
const isGlewlwydLogin = (url) => url.pathname.endsWith('/login.html') && url.searchParams.has('callback_url');
const glewlwydPrompt = (url) => (isGlewlwydLogin(url) ? url.searchParams.get('prompt') ?? '' : undefined);

async function run() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  // The first of several things the page may lead to; the losers keep
  // waiting harmlessly until the browser closes.
  const race = (candidates) => Promise.race(candidates.map((p) => p.catch((err) => {
    if (browser.isConnected()) throw err;
    return new Promise(() => {});
  })));
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(address);
    // oidc-provider's address without the code asks for it; the complete one
    // (RFC 8628 §3.3.1) goes straight to the confirmation.
    const first = await race([
      page.locator('#device-continue').waitFor().then(() => 'input'),
      page.locator('#device-confirm').waitFor().then(() => 'confirm'),
      page.waitForURL(isGlewlwydLogin).then(() => 'glewlwyd'),
    ]);
    if (first === 'glewlwyd') {
      await glewlwyd(page, race);
      return;
    }
    if (first === 'input') {
      if (!userCode) throw new Error('the page asks for the code and none was given');
      await page.fill('input[name=user_code]', userCode);
      await page.click('#device-continue');
    }
    await page.click('#device-confirm');
    await page.locator('#login-form').waitFor();
    await page.fill('#login', user);
    await page.fill('#password', password);
    await page.click('#submit');
    await page.locator('#device-done').waitFor();
  } finally {
    await browser.close();
  }
}

// Glewlwyd's side, from its login page on (see the top of this file).
async function glewlwyd(page, race) {
  if (glewlwydPrompt(new URL(page.url())) === 'device') {
    if (!userCode) throw new Error('the page asks for the code and none was given');
    // The page's only text field; it formats the code as XXXX-XXXX itself.
    await page.fill('input[maxlength="9"]', userCode);
    await page.locator('button.btn-primary', { hasText: 'OK' }).click();
  }
  // Sign-in is the login page with the device's client_id; any other prompt
  // than `device` is the end of the flow.
  const ended = (url) => ![undefined, '', 'device'].includes(glewlwydPrompt(url));
  const step = await race([
    page.waitForURL((url) => isGlewlwydLogin(url) && url.searchParams.has('client_id'))
      .then(() => page.locator('#passwordForm').waitFor()).then(() => 'login'),
    page.waitForURL(ended).then(() => 'end'),
  ]);
  if (step === 'login') {
    await page.fill('#username', user);
    await page.fill('#password', password);
    await page.click('#loginbut');
    await glewlwydConsent(page);
    await page.locator('button.btn-success', { hasText: 'Continue' }).click();
    await page.waitForURL(ended);
  }
  const prompt = glewlwydPrompt(new URL(page.url()));
  if (prompt !== 'deviceComplete') throw new Error(`Glewlwyd ended the device sign-in with prompt=${prompt}`);
}

// After Glewlwyd's sign-in the page shows the user with Continue; when the
// user has not yet granted the client all its scopes (glewlwyd.mjs
// --no-grant), it also lists them with checkboxes and a Grant access button.
// As in tests/provider/browser.mjs, buttons are found by their text (their
// accessible names start with an icon-font glyph).
async function glewlwydConsent(page) {
  const signInFailed = page.locator('.alert-danger, .toast-body').filter({ hasText: /error|invalid|incorrect/i });
  const failed = signInFailed.first().waitFor().then(async () => {
    throw new Error(`Glewlwyd sign-in failed: ${(await signInFailed.first().innerText()).replace(/\s+/g, ' ').trim()}`);
  });
  failed.catch(() => {}); // the loser, still waiting when the browser closes
  await Promise.race([page.locator('button.btn-success', { hasText: 'Continue' }).waitFor(), failed]);
  // The grant list comes from a second request after the page is drawn.
  await page.waitForLoadState('networkidle');
  const unchecked = await page.locator('input[type="checkbox"][id^="grant-"]:not(:checked):not(:disabled)')
    .evaluateAll((boxes) => boxes.map((box) => box.id));
  if (unchecked.length === 0) return;
  for (const id of unchecked) await page.locator(`[id="${id}"]`).check();
  const granted = page.waitForResponse((r) => r.request().method() === 'PUT' && /\/auth\/grant\//.test(r.url()));
  await page.locator('button', { hasText: 'Grant access' }).click();
  const answer = await granted;
  if (answer.status() !== 200) throw new Error(`Glewlwyd grant: HTTP ${answer.status()}`);
}

setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
run().then(() => process.exit(0), (err) => fail(err.message));
