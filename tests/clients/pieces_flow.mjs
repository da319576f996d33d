// Drives pkce-tray with the real generated Pieces OS TypeScript client
// (@pieces.app/pieces-os-client, installed with the tests' provider):
// challenge, code, token, refresh, the refusals, clear, as
// pieces_flow.py does. The client checks no types itself, so this script
// checks what a TypeScript program takes on trust from its models.
// Prints one line per step; exits non-zero on the first failure.

import assert from 'node:assert/strict';
import { createRequire } from 'node:module';

const require = createRequire(new URL('../provider/package.json', import.meta.url));
const pieces = require('@pieces.app/pieces-os-client');
const { version } = require('@pieces.app/pieces-os-client/package.json');

const url = process.env.PKCE_TRAY_URL;
const clientId = process.env.PKCE_TRAY_CLIENT_ID;
const redirectUri = `${url.replace('localhost', '127.0.0.1')}/pkce/response/code`;
const scopes = ['openid', 'profile', 'email', 'offline_access'];
console.log(`@pieces.app/pieces-os-client ${version}`);

const api = new pieces.PKCEApi(new pieces.Configuration({ basePath: url }));

const clientError = (status) => status >= 400 && status < 500;

async function refused(call, what, expected = clientError) {
  try {
    await call();
  } catch (error) {
    assert.ok(error instanceof pieces.ResponseError, String(error));
    const status = error.response.status;
    assert.ok(expected(status), `${what}: ${status}`);
    console.log(`${what} refused ok`);
    return;
  }
  throw new Error(`${what} was accepted`);
}

function checkToken(token) {
  assert.equal(token.tokenType, 'Bearer');
  assert.ok(Number.isInteger(token.expiresIn), `expires_in ${token.expiresIn}`);
  assert.equal(typeof token.accessToken, 'string');
  assert.equal(typeof token.scope, 'string', 'scope is a string');
  for (const scope of token.scope.split(' ')) {
    assert.ok(scopes.includes(scope), `scope ${token.scope}`);
  }
}

const { challenge } = await api.getChallenge();
assert.equal(challenge.method, 'S256');
console.log('getChallenge ok');

const coded = await api.generateCode({
  seededPKCE: {
    responseType: 'code',
    state: challenge.state,
    nonce: challenge.nonce,
    codeChallenge: challenge.challenge,
    codeChallengeMethod: 'S256',
    scope: scopes,
    clientId,
    redirectUri,
    screenHint: 'UNKNOWN',
    prompt: 'UNKNOWN',
    responseMode: 'form_post',
  },
});
assert.equal(coded.result.state, challenge.state);
console.log('generateCode ok');

const tokenized = (grantType, code) => ({
  tokenizedPKCE: {
    grantType,
    clientId,
    code,
    redirectUri,
    codeVerifier: challenge.verifier,
  },
});

const token = (await api.generateToken(tokenized('authorization_code', coded.result.code))).auth0
  .oAuth.token;
checkToken(token);
assert.ok(token.refreshToken && token.idToken);
console.log('generateToken ok');

const refreshed = (await api.generateToken(tokenized('refresh_token', token.refreshToken))).auth0
  .oAuth.token;
checkToken(refreshed);
assert.notEqual(refreshed.accessToken, token.accessToken);
console.log('generateToken (refresh) ok');

await refused(
  () => api.respondWithCode({ code: 'forged', state: 'forged' }),
  'respondWithCode with a forged state',
);
await refused(
  () => api.generateToken(tokenized('authorization_code', coded.result.code)),
  'generateToken with a used code',
);
// Glewlwyd refuses it with a bare 400, which pkce-tray passes on as the
// provider's failure (502 provider_error), not as an OAuth error.
await refused(
  () => api.generateToken(tokenized('refresh_token', 'not-a-refresh-token')),
  'generateToken with an unknown refresh token',
  (status) => clientError(status) || status === 502,
);

await api.clearPKCE();
console.log('clearPKCE ok');
