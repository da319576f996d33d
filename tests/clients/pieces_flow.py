"""Drives pkce-tray with a real generated Pieces OS Python client
(pydantic-strict; any major version from 1.x on): challenge, code, token,
refresh, the refusals, clear. Prints one line per step; exits non-zero on
the first failure."""

import os
import sys
from importlib.metadata import version

from pieces_os_client.api.pkce_api import PKCEApi
from pieces_os_client.api_client import ApiClient
from pieces_os_client.configuration import Configuration
from pieces_os_client.exceptions import ApiException
from pieces_os_client.models.seeded_pkce import SeededPKCE
from pieces_os_client.models.tokenized_pkce import TokenizedPKCE

url = os.environ["PKCE_TRAY_URL"]
client_id = os.environ["PKCE_TRAY_CLIENT_ID"]
redirect_uri = url.replace("localhost", "127.0.0.1") + "/pkce/response/code"
scopes = ["openid", "profile", "email", "offline_access"]
release = version("pieces_os_client")
# Only 4.x on have UNKNOWN in their enums (and send it as a default).
optional = (
    {"screen_hint": "UNKNOWN", "prompt": "UNKNOWN"}
    if int(release.split(".")[0]) >= 4
    else {}
)
print(f"pieces_os_client {release}")


CLIENT_ERRORS = range(400, 500)


def refused(call, what, statuses=CLIENT_ERRORS):
    """The call must fail with an answer the client reports as an error."""
    try:
        call()
    except ApiException as error:
        assert error.status in statuses, error
        print(f"{what} refused ok")
        return
    sys.exit(f"{what} was accepted")


with ApiClient(Configuration(host=url)) as client:
    api = PKCEApi(client)

    challenge = api.get_challenge().challenge
    assert challenge.method == "S256", challenge
    print("getChallenge ok")

    coded = api.generate_code(
        SeededPKCE(
            response_type="code",
            state=challenge.state,
            nonce=challenge.nonce,
            code_challenge=challenge.challenge,
            code_challenge_method="S256",
            scope=scopes,
            client_id=client_id,
            redirect_uri=redirect_uri,
            response_mode="form_post",
            **optional,
        )
    )
    assert coded.result.state == challenge.state
    print("generateCode ok")

    def tokenized(grant_type, code):
        return TokenizedPKCE(
            grant_type=grant_type,
            client_id=client_id,
            code=code,
            redirect_uri=redirect_uri,
            code_verifier=challenge.verifier,
        )

    token = api.generate_token(
        tokenized("authorization_code", coded.result.code)
    ).auth0.o_auth.token
    assert token.token_type == "Bearer" and isinstance(token.expires_in, int)
    assert token.refresh_token and token.id_token
    assert set(token.scope.split()) <= set(scopes), token.scope
    print("generateToken ok")

    refreshed = api.generate_token(
        tokenized("refresh_token", token.refresh_token)
    ).auth0.o_auth.token
    assert refreshed.access_token != token.access_token
    assert refreshed.token_type == "Bearer" and isinstance(refreshed.expires_in, int)
    assert set(refreshed.scope.split()) <= set(scopes), refreshed.scope
    print("generateToken (refresh) ok")

    refused(
        lambda: api.respond_with_code(code="forged", state="forged"),
        "respondWithCode with a forged state",
    )
    refused(
        lambda: api.generate_token(tokenized("authorization_code", coded.result.code)),
        "generateToken with a used code",
    )
    # Glewlwyd refuses it with a bare 400, which pkce-tray passes on as the
    # provider's failure (502 provider_error), not as an OAuth error.
    refused(
        lambda: api.generate_token(tokenized("refresh_token", "not-a-refresh-token")),
        "generateToken with an unknown refresh token",
        [*CLIENT_ERRORS, 502],
    )

    api.clear_pkce()
    print("clearPKCE ok")
