// Plays the person of a device sign-in (RFC 8628) at tests/provider/provider.mjs:
// `node device.mjs URL [USER_CODE]` opens the verification address in headless
// Chromium, enters the user code when the page asks for it, confirms it, signs
// in as TEST_BROWSER_USER (default ada), and waits for the success page.
// Exit 0 once signed in; 1 with a one-line error otherwise, or after 60 s.

const TIMEOUT_MS = 60_000;

function fail(message) {
  process.stderr.write(`device: ${String(message).split('\n')[0]}\n`);
  process.exit(1);
}

const [address, userCode] = process.argv.slice(2);
if (!address || !URL.parse(address)) fail('usage: device URL [USER_CODE]');
const user = process.env.TEST_BROWSER_USER || 'ada';

async function run() {
  const { chromium } = await import('playwright-core');
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
  });
  try {
    const page = await browser.newPage();
    page.setDefaultTimeout(TIMEOUT_MS);
    await page.goto(address);
    // The address without the code asks for it; the complete one (RFC 8628
    // §3.3.1) goes straight to the confirmation.
    const first = await Promise.race([
      page.locator('#device-continue').waitFor().then(() => 'input'),
      page.locator('#device-confirm').waitFor().then(() => 'confirm'),
    ]);
    if (first === 'input') {
      if (!userCode) throw new Error('the page asks for the code and none was given');
      await page.fill('input[name=user_code]', userCode);
      await page.click('#device-continue');
    }
    await page.click('#device-confirm');
    await page.locator('#login-form').waitFor();
    await page.fill('#login', user);
    await page.fill('#password', 'password');
    await page.click('#submit');
    await page.locator('#device-done').waitFor();
  } finally {
    await browser.close();
  }
}

setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
run().then(() => process.exit(0), (err) => fail(err.message));
