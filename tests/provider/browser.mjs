// Scripted test browser for pkce-tray, used as $BROWSER: `browser URL` opens an
// authorize URL at tests/provider/provider.mjs, signs in (or cancels) on its
// login page, and lets the authorization response reach the redirect_uri the
// way a real browser would (form_post auto-submit or query redirect).
// It knows a second provider too, Glewlwyd (tests/provider/glewlwyd.mjs),
// recognised by its login page (/login.html?...&callback_url=...): it signs
// in there, grants the client's scopes if asked, and presses Continue. The
// http engine does the same through Glewlwyd's JSON API (/api/auth/,
// /api/auth/grant/). Glewlwyd's page has no way to refuse, so
// TEST_BROWSER_ACTION=deny fails there.
//
// Environment:
//   TEST_BROWSER_ENGINE=chromium|http   headless Chromium (default), or the same
//                                       flow over fetch with a cookie jar
//   TEST_BROWSER_USER=ada               user name typed into the login form
//   TEST_BROWSER_PASSWORD=password      its password (only Glewlwyd checks it)
//   TEST_BROWSER_ACTION=login|deny      deny = Cancel → error=access_denied
//   TEST_BROWSER_SCREENSHOT=/dir/prefix chromium: PREFIX-login.png, PREFIX-final.png
//   TEST_BROWSER_LOG=/path/file         appends `opened <address>` for the one it
//                                       was given, then scheme://host/path per visited
//                                       URL (never query strings)
//   TEST_BROWSER_DEEP_LINK_CMD="cmd …"  for a non-http redirect_uri (app.pkcetray.desktop:),
//                                       run with the final URL as last argument
//   TEST_BROWSER_PROXY=http://host:port chromium: the proxy for every host but
//                                       loopback, whose certificates it does not
//                                       check (a test proxy to a test CA)
//   NODE_EXTRA_CA_CERTS=ca.pem          http: a test CA to trust (Node's own)
//   TEST_BROWSER_REDIRECT_URI=URI       the redirect_uri of a pushed request (PAR),
//                                       whose URL has none; needed for deep links
//
// For a non-http redirect_uri nothing navigates to it: the final URL is printed
// on stdout (its only output) and handed to TEST_BROWSER_DEEP_LINK_CMD.
// Exit 0 once delivered; 1 with a one-line error otherwise, or after 60 s.

import { spawn } from 'node:child_process';
import { appendFileSync } from 'node:fs';

const TIMEOUT_MS = 60_000;
// provider.mjs ignores it (the form wants one); glewlwyd.mjs gives every user this one.
const PASSWORD = process.env.TEST_BROWSER_PASSWORD || 'password';

function fail(message) {
  process.stderr.write(`browser: ${String(message).split('\n')[0]}\n`);
  process.exit(1);
}

const env = {
  engine: process.env.TEST_BROWSER_ENGINE || 'chromium',
  user: process.env.TEST_BROWSER_USER || 'ada',
  action: process.env.TEST_BROWSER_ACTION || 'login',
  screenshot: process.env.TEST_BROWSER_SCREENSHOT,
  log: process.env.TEST_BROWSER_LOG,
  deepLinkCmd: process.env.TEST_BROWSER_DEEP_LINK_CMD,
  proxy: process.env.TEST_BROWSER_PROXY,
};
if (!['chromium', 'http'].includes(env.engine)) fail(`TEST_BROWSER_ENGINE must be chromium or http, not ${env.engine}`);
if (!['login', 'deny'].includes(env.action)) fail(`TEST_BROWSER_ACTION must be login or deny, not ${env.action}`);

if (process.argv.length !== 3) fail('usage: browser URL');
const authorizeUrl = URL.parse(process.argv[2]);
if (!authorizeUrl) fail('not a URL');
if (env.log) appendFileSync(env.log, `opened ${authorizeUrl.protocol}//${authorizeUrl.host}${authorizeUrl.pathname}\n`);
// A pushed request (RFC 9126: client_id and request_uri only) names no
// redirect_uri: TEST_BROWSER_REDIRECT_URI does, or else the first http(s)
// address off the provider's origin is taken for it.
const pushed = !authorizeUrl.searchParams.has('redirect_uri') && authorizeUrl.searchParams.has('request_uri');
const redirectUri = URL.parse(authorizeUrl.searchParams.get('redirect_uri') ?? process.env.TEST_BROWSER_REDIRECT_URI ?? '');
if (!redirectUri && !pushed) fail('the URL has no valid redirect_uri parameter');

const where = (url) => `${url.protocol}//${url.host}${url.pathname}`;
// Authorization responses add parameters to redirect_uri, so compare without them.
const isRedirectTarget = (url) => (redirectUri
  ? where(url) === where(redirectUri)
  : ['http:', 'https:'].includes(url.protocol) && url.origin !== authorizeUrl.origin);
const deepLink = Boolean(redirectUri) && !['http:', 'https:'].includes(redirectUri.protocol);

if (deepLink && authorizeUrl.searchParams.get('response_mode') === 'form_post') {
  fail(`response_mode=form_post cannot deliver to ${redirectUri.protocol} redirect URIs`);
}

// Glewlwyd sends every authorization request through its login page,
// /login.html?client_id=…&scope=…&callback_url=<the authorize URL>, which
// comes back to callback_url with `g_continue` once the user is done.
const isGlewlwydLogin = (url) => url.pathname.endsWith('/login.html') && url.searchParams.has('callback_url');
const glewlwydDeny = 'Glewlwyd\'s login page has no way to refuse (TEST_BROWSER_ACTION=deny)';

function glewlwydContinueUrl(loginUrl) {
  const callback = new URL(loginUrl.searchParams.get('callback_url'), loginUrl);
  // As login.js does: the bare parameter name.
  return new URL(`${callback.href}${callback.search ? '&' : '?'}g_continue`);
}

function visit(url) {
  if (env.log) appendFileSync(env.log, `${where(url)}\n`);
}

// Simulates the OS handing a custom-scheme link to the app that registered it.
async function deliverDeepLink(url) {
  visit(url);
  process.stdout.write(`${url.href}\n`);
  if (!env.deepLinkCmd) return;
  const code = await new Promise((resolve, reject) => {
    spawn('/bin/sh', ['-c', `${env.deepLinkCmd} "$1"`, 'sh', url.href], { stdio: ['ignore', 2, 2] })
      .on('error', reject)
      .on('exit', (status, signal) => resolve(signal ?? status));
  });
  if (code !== 0) throw new Error(`TEST_BROWSER_DEEP_LINK_CMD exited with ${code}`);
}

async function runChromium() {
  const { chromium } = await import('playwright-core');
  // launch() gives every run its own throw-away profile directory.
  const browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    ...(env.proxy ? { proxy: { server: env.proxy, bypass: '<loopback>' } } : {}),
  });
  try {
    const page = await browser.newPage({ ignoreHTTPSErrors: Boolean(env.proxy) });
    // The whole run has one deadline (TIMEOUT_MS), not one per step.
    page.setDefaultTimeout(0);
    const screenshot = (name) => env.screenshot && page.screenshot({ path: `${env.screenshot}-${name}.png`, fullPage: true });

    page.on('request', (request) => {
      const url = new URL(request.url());
      if (request.isNavigationRequest() && request.frame() === page.mainFrame() && !(deepLink && isRedirectTarget(url))) visit(url);
    });

    // A redirect to a custom scheme is taken from the 3xx response that
    // carries it: headless Chromium does not hand schemes to the OS.
    let deepLinkSeen;
    const deepLinked = new Promise((resolve) => {
      deepLinkSeen = resolve;
    });
    page.on('response', (response) => {
      const location = response.headers().location;
      const url = location && URL.parse(location, response.url());
      if (deepLink && url && isRedirectTarget(url)) deepLinkSeen(url);
    });

    // A failed top-level navigation (provider or redirect_uri unreachable)
    // ends the run; the custom-scheme one after a deep link is expected.
    const navigationFailed = new Promise((resolve, reject) => {
      page.on('requestfailed', (request) => {
        const url = new URL(request.url());
        if (request.isNavigationRequest() && request.frame() === page.mainFrame() && !(deepLink && isRedirectTarget(url))) {
          reject(new Error(`${where(url)}: ${request.failure()?.errorText}`));
        }
      });
    });

    // Glewlwyd answers a bad client_id or redirect_uri with an empty 403.
    const providerRefused = new Promise((resolve, reject) => {
      page.on('response', (response) => {
        const request = response.request();
        if (request.isNavigationRequest() && request.frame() === page.mainFrame()
            && response.status() >= 400 && response.headers()['content-length'] === '0') {
          reject(new Error(`${where(new URL(response.url()))}: HTTP ${response.status()} with no page`));
        }
      });
    });

    // Resolves with the first thing the flow leads to; the losers keep
    // waiting harmlessly until the browser closes.
    const next = (expectLogin) => Promise.race([
      navigationFailed,
      deepLinked.then((url) => ({ kind: 'deep-link', url })),
      page.waitForURL(isRedirectTarget, { waitUntil: 'load' }).then(() => ({ kind: 'delivered' })),
      page.locator('#op-error').waitFor().then(() => ({ kind: 'error' })),
      providerRefused,
      ...(expectLogin ? [
        page.locator('#login-form').waitFor().then(() => ({ kind: 'login' })),
        page.locator('#passwordForm').waitFor().then(() => ({ kind: 'glewlwyd-login' })),
      ] : []),
    ].map((p) => p.catch((err) => {
      if (browser.isConnected()) throw err;
      return new Promise(() => {});
    })));

    // Not awaited: the form_post page navigates on by itself, and failures
    // surface through navigationFailed.
    page.goto(authorizeUrl.href, { waitUntil: 'commit' }).catch(() => {});
    let outcome = await next(true);
    if (outcome.kind === 'login') {
      await screenshot('login');
      if (env.action === 'deny') {
        await page.click('#cancel');
      } else {
        await page.fill('#login', env.user);
        await page.fill('#password', PASSWORD);
        await page.click('#submit');
      }
      outcome = await next(false);
    } else if (outcome.kind === 'glewlwyd-login') {
      await screenshot('login');
      if (env.action === 'deny') throw new Error(glewlwydDeny);
      await page.fill('#username', env.user);
      await page.fill('#password', PASSWORD);
      await page.click('#loginbut');
      await glewlwydConsent(page);
      await screenshot('consent');
      await glewlwydContinue(page).click();
      outcome = await next(false);
    }

    if (outcome.kind === 'error') {
      throw new Error(`provider error page: ${(await page.locator('#op-error pre').allInnerTexts()).join('; ')}`);
    }
    await screenshot('final');
    if (outcome.kind === 'deep-link') await deliverDeepLink(outcome.url);
  } finally {
    await browser.close();
  }
}

// After Glewlwyd's sign-in the page shows the user with Continue (and Logout);
// when the user has not yet granted the client all its scopes, it also lists
// them with checkboxes and a Grant access button.
// (Its buttons' accessible names start with an icon-font glyph, so they are
// found by their text.)
const glewlwydContinue = (page) => page.locator('button.btn-success', { hasText: 'Continue' });

async function glewlwydConsent(page) {
  const continueButton = glewlwydContinue(page);
  const signInFailed = page.locator('.alert-danger, .toast-body').filter({ hasText: /error|invalid|incorrect/i });
  const failed = signInFailed.first().waitFor().then(async () => {
    throw new Error(`Glewlwyd sign-in failed: ${(await signInFailed.first().innerText()).replace(/\s+/g, ' ').trim()}`);
  });
  failed.catch(() => {}); // the loser, still waiting when the browser closes
  await Promise.race([continueButton.waitFor(), failed]);
  // The grant list comes from a second request after the page is drawn.
  await page.waitForLoadState('networkidle');
  const unchecked = await page.locator('input[type="checkbox"][id^="grant-"]:not(:checked):not(:disabled)')
    .evaluateAll((boxes) => boxes.map((box) => box.id));
  if (unchecked.length === 0) return;
  for (const id of unchecked) await page.locator(`[id="${id}"]`).check();
  const grant = page.locator('button', { hasText: 'Grant access' });
  const granted = page.waitForResponse((r) => r.request().method() === 'PUT' && /\/auth\/grant\//.test(r.url()));
  await grant.click();
  const answer = await granted;
  if (answer.status() !== 200) throw new Error(`Glewlwyd grant: HTTP ${answer.status()}`);
}

// --- http engine: the same flow as plain HTTP requests -------------------------

// Just enough of a browser cookie jar for this flow: per host (ports share
// cookies, as in browsers), Path scoping, and deletion by expiry.
class CookieJar {
  #hosts = new Map();

  store(url, setCookieHeaders) {
    const cookies = this.#hosts.get(url.hostname) ?? new Map();
    this.#hosts.set(url.hostname, cookies);
    for (const header of setCookieHeaders) {
      const [pair, ...attributes] = header.split(';');
      const eq = pair.indexOf('=');
      const cookie = { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), path: '/' };
      let expired = false;
      for (const attribute of attributes) {
        const [key, value = ''] = attribute.split('=').map((s) => s.trim());
        if (/^path$/i.test(key)) cookie.path = value;
        if (/^expires$/i.test(key)) expired ||= Date.parse(value) <= Date.now();
        if (/^max-age$/i.test(key)) expired ||= Number(value) <= 0;
      }
      const key = `${cookie.name};${cookie.path}`;
      if (expired) cookies.delete(key);
      else cookies.set(key, cookie);
    }
  }

  header(url) {
    const inPath = ({ path }) => url.pathname === path || url.pathname.startsWith(path.endsWith('/') ? path : `${path}/`);
    return [...(this.#hosts.get(url.hostname)?.values() ?? [])]
      .filter(inPath)
      .map(({ name, value }) => `${name}=${value}`)
      .join('; ');
  }
}

const decodeEntities = (s) => s
  .replace(/&#(\d+);/g, (_, n) => String.fromCodePoint(Number(n)))
  .replace(/&#x([0-9a-f]+);/gi, (_, n) => String.fromCodePoint(parseInt(n, 16)))
  .replace(/&(quot|apos|lt|gt|amp);/g, (_, n) => ({ quot: '"', apos: "'", lt: '<', gt: '>', amp: '&' })[n]);

function attributes(tag) {
  const out = {};
  for (const [, name, value] of tag.matchAll(/([\w-]+)\s*=\s*"([^"]*)"/g)) out[name.toLowerCase()] = decodeEntities(value);
  return out;
}

// The pages this engine must understand: the provider's login page, its error
// page, and oidc-provider's form_post page (a form of hidden inputs that a
// script submits on load).
function parsePage(html) {
  const form = html.match(/<form\b([^>]*)>([\s\S]*?)<\/form>/i);
  const formAttributes = form ? attributes(form[1]) : {};
  const inputs = form ? [...form[2].matchAll(/<input\b[^>]*>/gi)].map(([tag]) => attributes(tag)) : [];
  const cancel = html.match(/<a\b[^>]*\bid="cancel"[^>]*>/i);
  const error = html.match(/<div id="op-error">([\s\S]*?)<\/div>/i)?.[1]
    .match(/<pre>[\s\S]*?<\/pre>/gi).map((row) => decodeEntities(row.replace(/<[^>]*>/g, '')));
  return {
    form: form && { ...formAttributes, inputs },
    cancelHref: cancel && attributes(cancel[0]).href,
    error: error?.join('; '),
  };
}

async function runHttp() {
  const jar = new CookieJar();
  let request = { method: 'GET', url: authorizeUrl };
  let loginSeen = false;
  let delivered = false;

  for (let hop = 0; hop < 20; hop += 1) {
    const { method, url, form } = request;
    if (deepLink && isRedirectTarget(url)) {
      await deliverDeepLink(url);
      return;
    }
    visit(url);
    delivered ||= isRedirectTarget(url);

    const headers = { 'user-agent': 'pkce-tray-test-browser' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    let response;
    try {
      response = await fetch(url, {
        method, headers, body: form && new URLSearchParams(form), redirect: 'manual',
      });
    } catch (err) {
      throw new Error(`${where(url)}: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
    }
    jar.store(url, response.headers.getSetCookie());

    const location = response.headers.get('location');
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      // As browsers do: 307/308 repeat the request, the others become a GET.
      const keep = response.status === 307 || response.status === 308;
      request = { method: keep ? method : 'GET', url: new URL(location, url), form: keep ? form : undefined };
      continue;
    }

    const html = await response.text();
    if (delivered) return;

    if (response.ok && isGlewlwydLogin(url)) {
      if (loginSeen) throw new Error('the login page came back after signing in');
      loginSeen = true;
      if (env.action === 'deny') throw new Error(glewlwydDeny);
      request = { method: 'GET', url: await glewlwydSignIn(jar, url) };
      continue;
    }

    const pageInfo = parsePage(html);
    if (pageInfo.error) throw new Error(`provider error page: ${pageInfo.error}`);
    if (pageInfo.form?.id === 'login-form') {
      if (loginSeen) throw new Error('the login page came back after signing in');
      loginSeen = true;
      request = env.action === 'deny'
        ? { method: 'GET', url: new URL(pageInfo.cancelHref, url) }
        : { method: 'POST', url: new URL(pageInfo.form.action, url), form: { login: env.user, password: PASSWORD } };
      continue;
    }
    if (pageInfo.form?.method?.toLowerCase() === 'post' && pageInfo.form.inputs.every((i) => i.type === 'hidden')) {
      const action = new URL(pageInfo.form.action, url);
      if (deepLink && isRedirectTarget(action)) throw new Error(`form_post cannot deliver to ${action.protocol} redirect URIs`);
      request = { method: 'POST', url: action, form: Object.fromEntries(pageInfo.form.inputs.map((i) => [i.name, i.value ?? ''])) };
      continue;
    }
    throw new Error(`unexpected page (HTTP ${response.status}) at ${where(url)}`);
  }
  throw new Error('too many redirects');
}

// What Glewlwyd's login page (login.js) does, through the same API: sign in
// with the session cookie, grant the requested scopes the user has not yet
// granted, and go on to callback_url with g_continue.
async function glewlwydSignIn(jar, loginUrl) {
  const call = async (method, path, body) => {
    const url = new URL(path, loginUrl);
    visit(url);
    const headers = { 'user-agent': 'pkce-tray-test-browser', accept: 'application/json' };
    const cookie = jar.header(url);
    if (cookie) headers.cookie = cookie;
    if (body) headers['content-type'] = 'application/json';
    let response;
    try {
      response = await fetch(url, { method, headers, body: body && JSON.stringify(body), redirect: 'manual' });
    } catch (err) {
      throw new Error(`${where(url)}: ${err.cause?.code ?? err.cause?.message ?? err.message}`);
    }
    jar.store(url, response.headers.getSetCookie());
    const text = await response.text();
    if (response.status !== 200) throw new Error(`Glewlwyd ${method} ${url.pathname}: HTTP ${response.status}`);
    return text ? JSON.parse(text) : null;
  };
  const prefix = (await call('GET', '/config'))?.api_prefix ?? 'api';
  await call('POST', `/${prefix}/auth/`, { username: env.user, password: PASSWORD });

  const clientId = loginUrl.searchParams.get('client_id');
  const scope = loginUrl.searchParams.get('scope') ?? '';
  if (clientId && scope) {
    const grant = await call('GET', `/${prefix}/auth/grant/${encodeURIComponent(clientId)}/${encodeURIComponent(scope)}`);
    const scopes = grant?.scope ?? [];
    if (scopes.some((s) => !s.granted)) {
      await call('PUT', `/${prefix}/auth/grant/${encodeURIComponent(clientId)}`, { scope: scopes.map((s) => s.name).join(' ') });
    }
  }
  return glewlwydContinueUrl(loginUrl);
}

setTimeout(() => fail(`timed out after ${TIMEOUT_MS / 1000} s`), TIMEOUT_MS);
(env.engine === 'http' ? runHttp() : runChromium())
  .then(() => process.exit(0), (err) => fail(err.message));
