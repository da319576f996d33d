// A second, independent loopback OpenID Provider for pkce-tray's tests:
// Glewlwyd 2.7 (Debian 12's `glewlwyd` package) in a private temp directory,
// provisioned through its own admin API with an OIDC plugin instance, users
// and a public PKCE client.
//
//   node glewlwyd.mjs [--port N] [--client-id ID] [--redirect URI]...
//                     [--user NAME]... [--access-ttl S] [--require-par]
//                     [--revoke-scope SCOPE] [--no-grant] [--verbose]
//
// --port 0 (the default) picks a free port; glewlwyd listens on 127.0.0.1
// alone, plain HTTP. The issuer is http://127.0.0.1:PORT/api/oidc (the
// plugin's endpoints live under it: /auth, /token, /par, /revoke, ...).
// --redirect is repeatable; Glewlwyd matches redirect URIs exactly, port
// included (default: http://127.0.0.1/callback and app.pkcetray.desktop:/callback).
// --user is repeatable (default ada); every user's password is `password`,
// ada is "Ada Lovelace", the others their capitalised name; e-mail NAME@example.com.
// --require-par: authorization requests must go through PAR (RFC 9126).
// --revoke-scope: an access token with this scope may call /revoke and
// /introspect as Bearer (default openid; '' turns Bearer off). Glewlwyd never
// lets a public client revoke with its client_id alone.
// Every user is pre-granted the client's scopes (Glewlwyd's consent), so the
// browser only signs in; --no-grant leaves the consent to the browser.
// --verbose passes glewlwyd's INFO log on (default: warnings and errors).
//
// Needs the Debian packages glewlwyd and sqlite3 (the database is made with
// the sqlite3 command from glewlwyd's own init script).
// The default admin is admin / password (glewlwyd's init script); the admin
// API is http://127.0.0.1:PORT/api/ with the session cookie of POST /api/auth/.
//
// stdout carries exactly one line, `READY <issuer>`, once everything is
// provisioned; everything else goes to stderr. Tokens are never logged.
// SIGTERM/SIGINT, or the parent going away, stops glewlwyd and removes the
// directory.

import { spawn, spawnSync } from 'node:child_process';
import { generateKeyPairSync, randomUUID } from 'node:crypto';
import { cpSync, existsSync, fstatSync, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { gunzipSync } from 'node:zlib';

const GLEWLWYD = '/usr/bin/glewlwyd';
const INIT_SQL = '/usr/share/doc/glewlwyd/database/init.sqlite3.sql.gz';
const WEBAPP = '/usr/share/glewlwyd/webapp';
// Debian's package installs the webapp's config.json as a directory
// (/etc/glewlwyd/config-2.7.json/config.json), so the file is looked for.
const WEBAPP_CONFIG = ['/etc/glewlwyd/config-2.7.json/config.json', '/etc/glewlwyd/config-2.7.json',
  '/usr/share/glewlwyd/templates/config.json'];
const ADMIN = { username: 'admin', password: 'password' };
const PASSWORD = 'password';
const PLUGIN = 'oidc';
const SCOPES = ['openid', 'profile', 'email', 'offline_access'];
const STEP_TIMEOUT_MS = 10_000;

const log = (line) => process.stderr.write(`glewlwyd.mjs: ${line}\n`);

function usage(message) {
  log(message);
  process.exit(2);
}

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'client-id': { type: 'string', default: 'pkce-tray-dev' },
      redirect: { type: 'string', multiple: true },
      user: { type: 'string', multiple: true },
      'access-ttl': { type: 'string', default: '3600' },
      'require-par': { type: 'boolean', default: false },
      'revoke-scope': { type: 'string', default: 'openid' },
      'no-grant': { type: 'boolean', default: false },
      verbose: { type: 'boolean', default: false },
    },
    strict: true,
  }));
} catch (err) {
  usage(err.message);
}

function nonNegativeInteger(name) {
  const value = Number(opts[name]);
  if (!Number.isInteger(value) || value < 0) usage(`--${name} must be a non-negative integer`);
  return value;
}

const requestedPort = nonNegativeInteger('port');
const accessTtl = nonNegativeInteger('access-ttl');
if (accessTtl === 0) usage('--access-ttl must be positive (glewlwyd refuses 0)');
const clientId = opts['client-id'];
const redirects = opts.redirect ?? ['http://127.0.0.1/callback', 'app.pkcetray.desktop:/callback'];
const users = [...new Set(opts.user ?? ['ada'])];
for (const uri of redirects) if (!URL.canParse(uri)) usage(`--redirect ${uri} is not a URI`);
for (const user of users) if (!/^[\w.-]+$/.test(user)) usage(`--user ${user}: letters, digits, . _ - only`);
for (const tool of [GLEWLWYD, '/usr/bin/sqlite3']) {
  if (!existsSync(tool)) usage(`${tool} is missing (Debian packages glewlwyd and sqlite3)`);
}

const displayName = (login) => (login === 'ada' ? 'Ada Lovelace' : login.charAt(0).toUpperCase() + login.slice(1));

// --- the private directory and the child, and their end ---------------------

const dir = mkdtempSync(join(tmpdir(), 'pkce-tray-glewlwyd-'));
let child;
let stopping = false;

function cleanUp() {
  if (child && child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
}
// Runs on every exit, process.exit included; synchronous work only.
process.on('exit', cleanUp);

function shutdown(why, code = 0) {
  if (stopping) return;
  stopping = true;
  log(`${why}, stopping`);
  if (!child || child.exitCode !== null || child.signalCode !== null) process.exit(code);
  const force = setTimeout(() => process.exit(code), 3000);
  child.once('exit', () => {
    clearTimeout(force);
    process.exit(code);
  });
  child.kill('SIGTERM');
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));
process.once('SIGHUP', () => shutdown('SIGHUP'));
// The parent going away: a pipe on stdin reaches its end, or we are
// re-parented (stdin /dev/null, as tests/common gives it, never "ends").
const stdinStat = fstatSync(0, { throwIfNoEntry: false });
if (stdinStat?.isFIFO() || stdinStat?.isSocket()) {
  process.stdin.on('end', () => shutdown('stdin closed')).resume();
}
const parent = process.ppid;
setInterval(() => {
  if (process.ppid !== parent) shutdown('parent gone');
}, 500).unref();

const fail = (message) => {
  log(message);
  shutdown('start-up failed', 1);
  return new Promise(() => {});
};

function withTimeout(promise, what, ms = STEP_TIMEOUT_MS) {
  let timer;
  return Promise.race([
    promise,
    new Promise((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
    }),
  ]).finally(() => clearTimeout(timer));
}

function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

// --- files: database, webapp, config --------------------------------------

log(`starting in ${dir}`);
const started = Date.now();

const database = join(dir, 'glewlwyd.db');
{
  const init = spawnSync('/usr/bin/sqlite3', ['-bail', database], {
    input: gunzipSync(readFileSync(INIT_SQL)),
    stdio: ['pipe', 'ignore', 'pipe'],
    timeout: STEP_TIMEOUT_MS,
  });
  if (init.status !== 0) await fail(`sqlite3 init failed: ${init.error?.message ?? init.stderr.toString().trim()}`);
}

// Glewlwyd's static file server follows no symlinks, and the login page
// needs a config.json that is a file: a private copy of the webapp.
const webapp = join(dir, 'webapp');
cpSync(WEBAPP, webapp, {
  recursive: true,
  dereference: true,
  filter: (source) => source !== join(WEBAPP, 'config.json'),
});
const webappConfig = WEBAPP_CONFIG.find((path) => existsSync(path) && statSync(path).isFile());
if (!webappConfig) await fail('the webapp config.json of the glewlwyd-common package is missing');
writeFileSync(join(webapp, 'config.json'), readFileSync(webappConfig));

// libconfig syntax; strings are JSON-quoted, which libconfig reads alike.
function glewlwydConfig(port) {
  const q = JSON.stringify;
  const mime = [['.html', 'text/html'], ['.css', 'text/css'], ['.js', 'application/javascript'],
    ['.json', 'application/json'], ['.png', 'image/png'], ['.ico', 'image/x-icon'],
    ['.ttf', 'font/ttf'], ['.woff', 'font/woff'], ['.woff2', 'font/woff2'], ['.otf', 'font/otf'],
    ['.eot', 'application/vnd.ms-fontobject'], ['.svg', 'image/svg+xml'], ['.map', 'application/octet-stream']];
  return `# written by tests/provider/glewlwyd.mjs
port=${port}
bind_address="127.0.0.1"
external_url=${q(`http://127.0.0.1:${port}`)}
login_url="login.html"
api_prefix="api"
static_files_path=${q(`${webapp}/`)}
allow_origin="*"
log_mode="console"
log_level=${q(opts.verbose ? 'INFO' : 'WARNING')}
cookie_secure=0
cookie_same_site="lax"
session_expiration=86400
session_key="GLEWLWYD2_SESSION_ID"
admin_session_authentication="cookie"
profile_session_authentication="cookie"
allow_multiple_user_per_session=true
login_api_enabled=true
plugin_api_run_enabled=""
add_x_frame_option_header_deny=true
admin_scope="g_admin"
profile_scope="g_profile"
user_module_path="/usr/lib/glewlwyd/user"
client_module_path="/usr/lib/glewlwyd/client"
user_auth_scheme_module_path="/usr/lib/glewlwyd/scheme"
plugin_module_path="/usr/lib/glewlwyd/plugin"
hash_algorithm="SHA512"
database = { type = "sqlite3"; path = ${q(database)}; };
static_files_mime_types = (
${mime.map(([ext, type]) => `  { extension = ${q(ext)}; mime_type = ${q(type)}; compress = ${type.startsWith('font') || type.startsWith('image') ? 0 : 1}; }`).join(',\n')}
);
`;
}

// Glewlwyd's log lines to stderr, minus the module loading and the warnings
// this setup causes on purpose (plain http, no cookie domain, no middleware).
const chatter = /Loading (user|client|plugin|user auth scheme) module|'cookie_domain' is not set|'cookie_secure' is set to false|user_middleware_module_path missing/;
function relay(stream) {
  let rest = '';
  stream.setEncoding('utf8');
  stream.on('data', (chunk) => {
    const lines = (rest + chunk).split('\n');
    rest = lines.pop();
    for (const line of lines) if (line && !chatter.test(line)) process.stderr.write(`glewlwyd: ${line}\n`);
  });
}

// Starts glewlwyd and waits for it to answer. With --port 0 a port taken in
// between (the free-port race) shows as an early exit: try another.
async function start() {
  for (let attempt = 1; attempt <= 3; attempt += 1) {
    const port = requestedPort || await freePort();
    const configFile = join(dir, 'glewlwyd.conf');
    writeFileSync(configFile, glewlwydConfig(port));
    // setpriv --pdeathsig: glewlwyd is killed even if this script is.
    child = spawn('/usr/bin/setpriv', ['--pdeathsig', 'KILL', GLEWLWYD, `--config-file=${configFile}`],
      { stdio: ['ignore', 'pipe', 'pipe'] });
    relay(child.stdout);
    relay(child.stderr);
    const exited = new Promise((resolve) => child.once('exit', (code, signal) => resolve({ code, signal })));
    const base = `http://127.0.0.1:${port}`;
    const deadline = Date.now() + STEP_TIMEOUT_MS;
    while (Date.now() < deadline) {
      const answer = await Promise.race([
        fetch(`${base}/config`, { signal: AbortSignal.timeout(1000) }).then((r) => r.ok, () => false),
        exited,
      ]);
      if (answer === true) return base;
      if (typeof answer === 'object') {
        log(`glewlwyd exited (${answer.signal ?? answer.code}) on port ${port}`);
        break;
      }
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    if (requestedPort) break;
    if (child.exitCode === null) {
      child.kill('SIGKILL');
      await exited;
    }
  }
  return fail('glewlwyd did not start');
}

const base = await start();
const issuer = `${base}/api/${PLUGIN}`;

// --- provisioning through the admin API -------------------------------------

// One session (cookie) per signed-in user: the admin, then each user for
// their consent.
async function signIn(username, password) {
  const response = await withTimeout(fetch(`${base}/api/auth/`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ username, password }),
  }), `sign-in of ${username}`);
  const cookie = response.headers.getSetCookie().map((c) => c.split(';')[0]).find((c) => c.startsWith('GLEWLWYD2_SESSION_ID='));
  if (response.status !== 200 || !cookie) await fail(`sign-in of ${username}: HTTP ${response.status}`);
  return cookie;
}

async function api(cookie, method, path, body) {
  const response = await withTimeout(fetch(`${base}/api/${path}`, {
    method,
    headers: { cookie, ...(body ? { 'content-type': 'application/json' } : {}) },
    body: body && JSON.stringify(body),
  }), `${method} /api/${path}`);
  const text = await response.text();
  if (response.status !== 200) await fail(`${method} /api/${path}: HTTP ${response.status} ${text.slice(0, 500)}`);
  return text && JSON.parse(text);
}

const admin = await signIn(ADMIN.username, ADMIN.password);

// openid comes with the init script; the others are made like it: no
// password or scheme of their own beyond the session's.
const existing = new Set((await api(admin, 'GET', 'scope/?limit=1000')).map((s) => s.name));
for (const name of SCOPES.filter((s) => !existing.has(s))) {
  await api(admin, 'POST', 'scope/', {
    name, display_name: name, description: `OpenID Connect scope ${name}`,
    password_required: false, password_max_age: 0, scheme: {},
  });
}

for (const username of users) {
  await api(admin, 'POST', 'user/', {
    username, password: PASSWORD, name: displayName(username), email: `${username}@example.com`,
    scope: SCOPES, enabled: true,
  });
}

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const kid = randomUUID();
const jwks = { keys: [{ ...privateKey.export({ format: 'jwk' }), kid, alg: 'RS256', use: 'sig' }] };

// The admin UI's defaults for a new OIDC plugin (webapp admin.js), trimmed,
// and what this test provider changes.
await api(admin, 'POST', 'mod/plugin/', {
  module: 'oidc',
  name: PLUGIN,
  display_name: 'OpenID Connect (pkce-tray tests)',
  enabled: true,
  parameters: {
    iss: issuer,
    'oauth-as-iss-id': true, // RFC 9207 `iss` in authorization responses
    'jwks-private': JSON.stringify(jwks),
    'default-kid': kid,
    'jwks-show': true,
    'access-token-duration': accessTtl,
    'refresh-token-duration': 24 * 60 * 60,
    'code-duration': 600,
    'refresh-token-rolling': true,
    'refresh-token-one-use': 'always', // rotation: each refresh gives a new one, the old one dies
    'allow-non-oidc': false,
    'auth-type-code-enabled': true,
    'auth-type-code-revoke-replayed': true,
    'auth-type-token-enabled': false,
    'auth-type-id-token-enabled': true, // cannot be turned off
    'auth-type-none-enabled': false,
    'auth-type-password-enabled': false,
    'auth-type-client-enabled': false,
    'auth-type-device-enabled': true,
    'auth-type-refresh-enabled': true,
    'device-authorization-expiration': 600,
    'device-authorization-interval': 5,
    'subject-type': 'public',
    'allowed-scope': SCOPES, // scopes_supported in discovery
    scope: [],
    'additional-parameters': [],
    claims: [],
    'name-claim': 'on-demand',
    'name-claim-scope': ['profile'],
    'email-claim': 'on-demand',
    'email-claim-scope': ['email'],
    'scope-claim': 'no',
    'scope-claim-scope': [],
    'address-claim': { type: 'no' },
    'pkce-allowed': true,
    'pkce-method-plain-allowed': false,
    'pkce-required': true,
    'pkce-required-public-client': true,
    'pkce-scopes': [],
    'introspection-revocation-allowed': true,
    'introspection-revocation-auth-scope': opts['revoke-scope'] ? [opts['revoke-scope']] : [],
    'introspection-revocation-allow-target-client': true,
    'register-client-allowed': false,
    'session-management-allowed': false,
    'request-parameter-allow': true, // PAR is built on it
    'request-uri-allow-https-non-secure': false,
    'request-parameter-allow-encrypted': false,
    'request-parameter-ietf-strict': false,
    'request-maximum-exp': 3600,
    'encrypt-out-token-allow': false,
    'oauth-dpop-allowed': false,
    'resource-allowed': false,
    'oauth-rar-allowed': false,
    'oauth-par-allowed': true,
    'oauth-par-required': opts['require-par'],
    'oauth-par-duration': 90,
    'oauth-par-request_uri-prefix': 'urn:ietf:params:oauth:request_uri:',
    'oauth-ciba-allowed': false,
    'oauth-fapi-check-all': false,
    'service-documentation': '',
  },
});

await api(admin, 'POST', 'client/', {
  client_id: clientId,
  name: 'pkce-tray (tests)',
  enabled: true,
  confidential: false,
  token_endpoint_auth_method: ['none'],
  redirect_uri: redirects,
  authorization_type: ['code', 'refresh_token', 'device_authorization'],
  scope: SCOPES,
});

// Glewlwyd's consent: a per user and client grant of scopes, set by the user
// (the login page asks for it when it is missing).
if (!opts['no-grant']) {
  for (const username of users) {
    const session = await signIn(username, PASSWORD);
    await api(session, 'PUT', `auth/grant/${encodeURIComponent(clientId)}`, { scope: SCOPES.join(' ') });
    await api(session, 'DELETE', 'auth/');
  }
}
await api(admin, 'DELETE', 'auth/');

const discovery = await withTimeout(fetch(`${issuer}/.well-known/openid-configuration`), 'discovery')
  .then((r) => (r.ok ? r.json() : {}), () => ({}));
if (discovery.issuer !== issuer) await fail(`discovery says issuer ${discovery.issuer}, not ${issuer}`);

log(`client ${clientId} (public) redirects ${redirects.join(' ')}; users ${users.join(' ')}; `
  + `access ttl ${accessTtl}s; PAR ${opts['require-par'] ? 'required' : 'allowed'}; `
  + `${opts['no-grant'] ? 'consent on the login page' : 'scopes pre-granted'}; ready in ${Date.now() - started} ms`);
process.stdout.write(`READY ${issuer}\n`);
