// Loopback OpenID Provider for pkce-tray's tests: a real oidc-provider set up
// the way an Auth0 "native" application behaves (public client, PKCE S256,
// refresh tokens, revocation, Auth0's endpoint paths), with a dev login page
// where any user name signs in.
//
//   node provider.mjs [--port N] [--client-id ID]
//                     [--access-ttl S] [--id-ttl S] [--refresh-ttl S]
//                     [--claims id-token|userinfo]
//                     [--tls-cert PEM --tls-key PEM] [--host NAME]
//                     [--token-delay-ms N] [--require-par] [--resource URL]
//                     [--account NAME]... [--no-iss]
//
// --claims userinfo is oidc-provider's own default (OpenID Connect Core
// section 5.4): profile and email claims only from the UserInfo endpoint.
// With --tls-cert and --tls-key it serves HTTPS; --host names the issuer's
// host (default 127.0.0.1), which must resolve to 127.0.0.1 for whoever
// calls it (a test proxy, say), since the server listens there alone.
// --token-delay-ms holds every token endpoint answer back that long after
// the provider has done its work (a slow network on the way back).
// --require-par makes every authorization request a pushed one (RFC 9126
// section 5, require_pushed_authorization_requests): an authorize URL that
// carries the parameters itself is refused.
// --account registers the redirect URIs of pkce-tray's account NAME too
// (its own: /pkce/response/code/NAME); the account `default`'s are always
// registered. --no-iss leaves RFC 9207's iss out of authorization
// responses and discovery, as many large providers still do.
// --resource names an API (RFC 8707) a sign-in may ask a grant for; a
// refresh with that resource gets a JWT access token for it (aud), and any
// other resource is refused (invalid_target).
//
// stdout carries exactly one line, `READY <issuer>`, once the server listens;
// everything else goes to stderr. Tokens are never logged.

import { generateKeyPairSync, randomBytes, randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import { parseArgs } from 'node:util';
import { crc32, deflateSync } from 'node:zlib';

import Provider, { errors, interactionPolicy } from 'oidc-provider';

function usage(message) {
  console.error(`provider: ${message}`);
  process.exit(2);
}

let opts;
try {
  ({ values: opts } = parseArgs({
    options: {
      port: { type: 'string', default: '0' },
      'client-id': { type: 'string', default: 'pkce-tray-dev' },
      'access-ttl': { type: 'string', default: '3600' },
      'id-ttl': { type: 'string', default: '3600' },
      'refresh-ttl': { type: 'string', default: String(24 * 60 * 60) },
      claims: { type: 'string', default: 'id-token' },
      'tls-cert': { type: 'string' },
      'tls-key': { type: 'string' },
      host: { type: 'string', default: '127.0.0.1' },
      'token-delay-ms': { type: 'string', default: '0' },
      'require-par': { type: 'boolean', default: false },
      resource: { type: 'string' },
      account: { type: 'string', multiple: true, default: [] },
      'no-iss': { type: 'boolean', default: false },
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

const port = nonNegativeInteger('port');
const clientId = opts['client-id'];
const accessTtl = nonNegativeInteger('access-ttl');
const idTtl = nonNegativeInteger('id-ttl');
const refreshTtl = nonNegativeInteger('refresh-ttl');
const tokenDelay = nonNegativeInteger('token-delay-ms');
if (!['id-token', 'userinfo'].includes(opts.claims)) usage('--claims must be id-token or userinfo');
if (!opts['tls-cert'] !== !opts['tls-key']) usage('--tls-cert and --tls-key go together');
const tls = opts['tls-cert'] && { cert: readFileSync(opts['tls-cert']), key: readFileSync(opts['tls-key']) };

// oidc-provider prints its NOTICEs with console.info, i.e. to stdout, which is
// reserved for the READY line.
console.info = console.error;

const log = (line) => process.stderr.write(`provider: ${line}\n`);

const html = (value) => String(value).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title, body, status = 200) {
  return {
    status,
    body: `<!DOCTYPE html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <title>${html(title)}</title>
  <style>
    body { font-family: sans-serif; background: #eef1f5; margin: 0; padding: 48px 16px; }
    main { max-width: 320px; margin: 0 auto; background: #fff; padding: 24px 32px; border-radius: 6px;
           box-shadow: 0 2px 6px rgba(0, 0, 0, .15); }
    h1 { font-size: 1.4em; font-weight: 400; text-align: center; }
    p { color: #555; font-size: .9em; text-align: center; }
    input { display: block; width: 100%; box-sizing: border-box; height: 40px; margin-bottom: 12px;
            padding: 0 8px; font-size: 16px; border: 1px solid #bbb; border-radius: 4px; }
    button { width: 100%; height: 40px; border: 0; border-radius: 4px; background: #635dff; color: #fff;
             font-size: 15px; cursor: pointer; }
    a { display: block; margin-top: 16px; text-align: center; color: #666; font-size: .9em; }
    pre { white-space: pre-wrap; word-break: break-word; }
  </style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>`,
  };
}

// A device-flow page: this file's look, its ids what device.mjs looks for.
const devicePage = (title, body) => page(title, body).body;

// The form's ids and names are what tests/provider/browser.mjs looks for.
function loginPage(uid, params) {
  const hint = params.login_hint ? ` value="${html(params.login_hint)}"` : '';
  return page('Sign in', `<h1>Sign in</h1>
<p>to ${html(params.client_id)} &middot; test provider: any user name, any password</p>
<form id="login-form" method="post" action="/interaction/${html(uid)}/login" autocomplete="off">
  <input id="login" name="login" type="text" placeholder="User name" required autofocus${hint}>
  <input id="password" name="password" type="password" placeholder="Password">
  <button id="submit" type="submit">Continue</button>
</form>
<a id="cancel" href="/interaction/${html(uid)}/abort">Cancel</a>`);
}

// Also used for oidc-provider's own error pages (unknown client, bad
// redirect_uri, ...), which by design are not sent to the redirect_uri.
function errorPage(out, status) {
  const rows = Object.entries(out).map(([k, v]) => `<pre><b>${html(k)}</b>: ${html(v)}</pre>`).join('\n');
  return page('Error', `<h1>Something went wrong</h1>\n<div id="op-error">\n${rows}\n</div>`, status);
}

function displayName(login) {
  if (login === 'ada') return 'Ada Lovelace';
  return login.charAt(0).toUpperCase() + login.slice(1);
}

// A 64x64 single-colour PNG per user: a real raster image behind the `picture`
// URL, so the app's avatar handling can be exercised without outside network.
function avatarPng(name) {
  const hue = [...name].reduce((h, c) => (h * 31 + c.charCodeAt(0)) % 360, 7);
  const [r, g, b] = [0, 120, 240].map((shift) => {
    const k = ((hue + shift) % 360) / 60;
    return Math.round(255 * (0.45 + 0.4 * Math.max(0, Math.min(1, Math.abs(k - 3) - 1))));
  });
  const size = 64;
  const row = Buffer.alloc(1 + size * 3);
  for (let x = 0; x < size; x += 1) row.set([r, g, b], 1 + x * 3);
  const chunk = (type, data) => {
    const typed = Buffer.concat([Buffer.from(type, 'ascii'), data]);
    const len = Buffer.alloc(4);
    len.writeUInt32BE(data.length);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([len, typed, crc]);
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header.set([8, 2, 0, 0, 0], 8); // 8-bit RGB, no interlace
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(Buffer.concat(Array(size).fill(row)))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

// Where start-up got to, on stderr: a start that hangs says where.
log('starting');

// The issuer needs the real port, so listen first and attach the handler after.
const server = tls ? createTlsServer(tls) : createServer();
await new Promise((resolve) => {
  server.once('error', (err) => {
    console.error(`provider: cannot listen on 127.0.0.1:${port}: ${err.code ?? err.message}`);
    process.exit(1);
  });
  server.listen(port, '127.0.0.1', resolve);
});
const issuer = `${tls ? 'https' : 'http'}://${opts.host}:${server.address().port}`;
log('listening');

const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
const signingKey = { ...privateKey.export({ format: 'jwk' }), kid: randomUUID(), alg: 'RS256', use: 'sig' };

// The stock policy makes native clients go through the consent prompt on every
// authorization (so prompt=none could never succeed for them). This client is
// first-party and auto-granted, like an Auth0 application with "skip consent".
const policy = interactionPolicy.base();
policy.get('consent').checks.remove('native_client_prompt');

const provider = new Provider(issuer, {
  clients: [{
    client_id: clientId,
    application_type: 'native',
    token_endpoint_auth_method: 'none',
    grant_types: ['authorization_code', 'refresh_token', 'urn:ietf:params:oauth:grant-type:device_code'],
    response_types: ['code'],
    // oidc-provider matches http loopback redirect URIs of native clients on
    // any port (RFC 8252 section 7.3), so no port is registered here.
    redirect_uris: ['', ...opts.account.map((name) => `/${name}`)].flatMap((account) => [
      `http://127.0.0.1/pkce/response/code${account}`,
      `app.pkcetray.desktop:/pkce/response/code${account}`,
    ]),
  }],
  // Auth0's paths, so an app that hard-codes them and one that reads the
  // discovery document both work.
  routes: {
    authorization: '/authorize',
    token: '/oauth/token',
    revocation: '/oauth/revoke',
    userinfo: '/userinfo',
    jwks: '/.well-known/jwks.json',
    end_session: '/oidc/logout',
  },
  responseTypes: ['code'],
  pkce: { required: () => true },
  scopes: ['openid', 'profile', 'email', 'offline_access'],
  claims: {
    openid: ['sub'],
    profile: ['name', 'picture'],
    email: ['email', 'email_verified'],
  },
  // Auth0 puts the profile/email claims in the ID token of a code flow too;
  // oidc-provider by default (--claims userinfo) serves them from the
  // userinfo endpoint alone once an access token is issued.
  conformIdTokenClaims: opts.claims === 'userinfo',
  // Parameters Auth0 apps send; accepted and otherwise ignored.
  extraParams: ['audience', 'screen_hint', 'organization', 'invitation'],
  jwks: { keys: [signingKey] },
  cookies: {
    keys: [randomBytes(32).toString('base64url')],
    // Lax cookies without `Secure` work over plain http on 127.0.0.1: every
    // request that needs them is a same-site top-level navigation
    // (oidc-provider adds `Secure` only to requests it sees as https).
    long: { httpOnly: true, sameSite: 'lax' },
    short: { httpOnly: true, sameSite: 'lax' },
  },
  features: {
    devInteractions: { enabled: false },
    // Sign-in from another device (RFC 8628), with pages of this file's
    // look (the stock ones load web fonts from outside).
    deviceFlow: {
      enabled: true,
      async userCodeInputSource(ctx, form, out, err) {
        ctx.type = 'html';
        ctx.body = devicePage('Sign in on this device', `<h1>Enter the code</h1>
${err ? `<p id="device-error">${html(err.error_description ?? err.message)}</p>` : '<p>shown on the device that asks</p>'}
${form}
<button id="device-continue" type="submit" form="op.deviceInputForm">Continue</button>`);
      },
      async userCodeConfirmSource(ctx, form, client, deviceInfo, userCode) {
        ctx.type = 'html';
        ctx.body = devicePage('Confirm the code', `<h1>Is this the code?</h1>
<p id="device-code">${html(userCode)}</p>
${form}
<button id="device-confirm" type="submit" form="op.deviceConfirmForm">Continue</button>`);
      },
      async successSource(ctx) {
        ctx.type = 'html';
        ctx.body = devicePage('Signed in', '<h1 id="device-done">Signed in</h1>\n<p>You can go back to the device.</p>');
      },
    },
    // Same rule as the default policy (a client revokes only its own
    // tokens), stated here to silence its "you SHOULD change it" notice.
    // RFC 9126: offered always, required with --require-par.
    pushedAuthorizationRequests: { enabled: true, requirePushedAuthorizationRequests: opts['require-par'] },
    revocation: { enabled: true, allowedPolicy: async (ctx, client, token) => token.clientId === client.clientId },
    resourceIndicators: {
      enabled: true,
      async getResourceServerInfo(ctx, resource) {
        if (!opts.resource || resource !== opts.resource) throw new errors.InvalidTarget();
        return { scope: 'api:read', audience: resource, accessTokenFormat: 'jwt', accessTokenTTL: accessTtl, jwt: { sign: { alg: 'RS256' } } };
      },
    },
  },
  // Like Auth0's refresh tokens for native apps: issued with every code
  // exchange whether or not offline_access was asked for, rotated on each use,
  // and not tied to the browser session.
  issueRefreshToken: async (ctx, client) => client.grantTypeAllowed('refresh_token'),
  rotateRefreshToken: true,
  expiresWithSession: async () => false,
  ttl: {
    AccessToken: accessTtl,
    IdToken: idTtl,
    RefreshToken: refreshTtl,
    Grant: refreshTtl,
    Session: refreshTtl,
    Interaction: 10 * 60,
  },
  interactions: {
    policy,
    url: (ctx, interaction) => `/interaction/${interaction.uid}`,
  },
  // Grant whatever the client asks for, reusing the session's grant if any.
  async loadExistingGrant(ctx) {
    const { oidc } = ctx;
    const grantId = oidc.result?.consent?.grantId || oidc.session.grantIdFor(oidc.client.clientId);
    const grant = (grantId && await oidc.provider.Grant.find(grantId))
      || new oidc.provider.Grant({ accountId: oidc.session.accountId, clientId: oidc.client.clientId });
    grant.addOIDCScope([...oidc.requestParamOIDCScopes].join(' '));
    grant.addOIDCClaims([...oidc.requestParamClaims]);
    for (const resource of [oidc.params.resource ?? []].flat()) {
      if (resource === opts.resource) grant.addResourceScope(resource, 'api:read');
    }
    await grant.save();
    return grant;
  },
  async findAccount(ctx, sub) {
    return {
      accountId: sub,
      claims: async () => ({
        sub,
        name: displayName(sub),
        picture: `${issuer}/avatars/${encodeURIComponent(sub)}.png`,
        email: `${sub}@example.com`,
        email_verified: true,
      }),
    };
  },
  async renderError(ctx, out) {
    const { status, body } = errorPage(out, ctx.status);
    ctx.status = status;
    ctx.type = 'html';
    ctx.body = body;
  },
});

// Terse event log: error codes and reasons only, never token values.
for (const event of ['authorization.error', 'grant.error', 'revocation.error', 'userinfo.error']) {
  provider.on(event, (ctx, err) => {
    const reason = err.error_detail ?? err.error_description;
    log(`${event}: ${err.error ?? err.name}${reason ? ` (${reason})` : ''}`);
  });
}
provider.on('server_error', (ctx, err) => log(`server_error: ${err.stack}`));
provider.on('grant.success', (ctx) => log(`token issued (${ctx.oidc.params.grant_type})`));
provider.on('grant.revoked', () => log('grant revoked'));

if (opts['no-iss']) {
  // Emitted with the response's parameters before they are sent.
  provider.on('authorization.success', (ctx, out) => { delete out.iss; });
  provider.use(async (ctx, next) => {
    await next();
    if (ctx.path === '/.well-known/openid-configuration' && ctx.body) {
      delete ctx.body.authorization_response_iss_parameter_supported;
    }
  });
}

const oidcCallback = provider.callback();

function send(res, { status, body }, type = 'text/html; charset=utf-8') {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function readForm(req) {
  const chunks = [];
  for await (const chunk of req) chunks.push(chunk);
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

// The login/cancel pages. oidc-provider ties each interaction to its uid in
// the path and a cookie scoped to that path; it does the checking itself.
async function interaction(req, res, uid, action) {
  const details = await provider.interactionDetails(req, res);
  if (details.uid !== uid) {
    send(res, errorPage({ error: 'invalid_request', error_description: 'interaction mismatch' }, 400));
    return;
  }
  if (req.method === 'GET' && action === undefined) {
    if (details.prompt.name === 'login') {
      send(res, loginPage(uid, details.params));
    } else {
      // Only an explicit prompt=consent gets here: loadExistingGrant grants.
      await provider.interactionFinished(req, res, { consent: {} }, { mergeWithLastSubmission: true });
    }
  } else if (req.method === 'POST' && action === 'login') {
    const login = (await readForm(req)).get('login')?.trim();
    if (!login) {
      send(res, loginPage(uid, details.params));
      return;
    }
    log(`login ${login}`);
    await provider.interactionFinished(req, res, { login: { accountId: login } }, { mergeWithLastSubmission: false });
  } else if (req.method === 'GET' && action === 'abort') {
    log('login cancelled');
    await provider.interactionFinished(req, res, {
      error: 'access_denied',
      error_description: 'End-User aborted interaction',
    }, { mergeWithLastSubmission: false });
  } else {
    send(res, errorPage({ error: 'not_found' }, 404));
  }
}

server.on('request', async (req, res) => {
  const { pathname } = new URL(req.url, issuer);
  res.on('finish', () => log(`${req.method} ${pathname} ${res.statusCode}`));
  try {
    let match;
    if ((match = pathname.match(/^\/interaction\/([\w-]+)(?:\/(login|abort))?$/))) {
      await interaction(req, res, match[1], match[2]);
    } else if (req.method === 'GET' && (match = pathname.match(/^\/avatars\/([^/]+)\.png$/))) {
      send(res, { status: 200, body: avatarPng(decodeURIComponent(match[1])) }, 'image/png');
    } else {
      if (tokenDelay && pathname === '/oauth/token') {
        const end = res.end.bind(res);
        res.end = (...args) => {
          setTimeout(() => end(...args), tokenDelay);
          return res;
        };
      }
      await oidcCallback(req, res);
    }
  } catch (err) {
    // Typically SessionNotFound: the interaction expired or its cookie is gone.
    if (!res.headersSent) {
      send(res, errorPage({ error: err.error ?? 'server_error', error_description: err.error_description ?? err.message }, err.statusCode ?? 500));
    }
    log(`${pathname}: ${err.error ?? err.message}`);
  }
});

function shutdown(signal) {
  log(`${signal}, stopping`);
  server.close(() => process.exit(0));
  server.closeAllConnections();
}
process.once('SIGTERM', () => shutdown('SIGTERM'));
process.once('SIGINT', () => shutdown('SIGINT'));

log(`client ${clientId}; ttl access=${accessTtl}s id=${idTtl}s refresh=${refreshTtl}s; claims in ${opts.claims}`);
process.stdout.write(`READY ${issuer}\n`);
