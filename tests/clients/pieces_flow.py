"""Drives pkce-tray with the real generated Pieces OS Python client
(pydantic-strict): challenge, code, token, refresh, a refused callback,
clear. Prints one line per step; exits non-zero on the first failure."""

import os
import sys

from pieces_os_client.api.pkce_api import PKCEApi
from pieces_os_client.api_client import ApiClient
from pieces_os_client.configuration import Configuration
from pieces_os_client.exceptions import ApiException
from pieces_os_client.models.seeded_pkce import SeededPKCE
from pieces_os_client.models.tokenized_pkce import TokenizedPKCE

url = os.environ["PKCE_TRAY_URL"]
client_id = os.environ["PKCE_TRAY_CLIENT_ID"]
redirect_uri = url.replace("localhost", "127.0.0.1") + "/pkce/response/code"

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
            scope=["openid", "profile", "email", "offline_access"],
            client_id=client_id,
            redirect_uri=redirect_uri,
            screen_hint="UNKNOWN",
            prompt="UNKNOWN",
            response_mode="form_post",
        )
    )
    assert coded.result.state == challenge.state
    print("generateCode ok")

    tokens = api.generate_token(
        TokenizedPKCE(
            grant_type="authorization_code",
            client_id=client_id,
            code=coded.result.code,
            redirect_uri=redirect_uri,
            code_verifier=challenge.verifier,
        )
    )
    token = tokens.auth0.o_auth.token
    assert token.token_type == "Bearer" and isinstance(token.expires_in, int)
    assert token.refresh_token and token.id_token
    print("generateToken ok")

    refreshed = api.generate_token(
        TokenizedPKCE(
            grant_type="refresh_token",
            client_id=client_id,
            code=token.refresh_token,
            redirect_uri=redirect_uri,
            code_verifier=challenge.verifier,
        )
    )
    assert refreshed.auth0.o_auth.token.access_token != token.access_token
    print("generateToken (refresh) ok")

    try:
        api.respond_with_code(code="forged", state="forged")
        sys.exit("a forged state was accepted")
    except ApiException as error:
        assert error.status == 400, error
    print("respondWithCode refused a forged state ok")

    api.clear_pkce()
    print("clearPKCE ok")
