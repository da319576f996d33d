# pkce-tray's words in English: the model for every other language.
# The same words for the same things: "sign in" (a verb), "sign-in" (a
# noun), "session", "account", "provider", "keychain".

## A session's state, as the tray's first line and the window's heading say it

status-signed-in-as = Signed in as { $who }
status-signed-in = Signed in
status-signing-in-again = Signed in as { $who }; signing in again…
status-signing-in = Signing in…
status-failed = Sign-in failed
status-signed-out = Signed out

## The tray menu

menu-not-signed-in = Not signed in
# The default account's first line, where there are several accounts.
menu-account-line = { $account }: { $state }
menu-keychain = Keychain unavailable: signed in until Quit
menu-provider-sign-out = Still signed in at the provider? Sign out there…
menu-sign-in = Sign in…
menu-cancel = Cancel sign-in
menu-sign-out = Sign out
menu-notifications = Notifications
menu-start-at-login = Start at login
menu-open = Open pkce-tray
menu-quit = Quit
# Another account's state, after its name.
menu-other-ended = session ended
menu-other-signed-out = not signed in
menu-other-signed-in-as = signed in as { $who }
menu-other-signed-in = signed in
menu-other-signing-in-again = signed in as { $who }; signing in again…
menu-other-signing-in = signing in…
menu-other-failed = sign-in failed
menu-sign-in-to = Sign in to { $account }…
menu-cancel-sign-in-to = Cancel sign-in to { $account }
menu-sign-out-of = Sign out of { $account }
menu-use-as-default = Use { $account } as default

## The tray icon's tooltip: the first part, then each that applies

tooltip = pkce-tray: { $state }
tooltip-provider = the provider may still hold the session
tooltip-keychain = keychain unavailable
# How the tooltip joins its parts, a list its names (the accounts that
# need attention) and a notice its sentences, two at a time.
tooltip-joined = { $first }; { $next }
list-joined = { $first }, { $next }
sentences-joined = { $first } { $next }
tooltip-attention = { $count ->
    [one] { $accounts } needs attention
   *[other] { $accounts } need attention
}

## Notifications; "named" ones are shown where there are several accounts

notice-session-ended = Your session ended
notice-session-ended-named = { $account }: session ended
notice-session-ended-who = { $who } is no longer signed in.
notice-session-ended-you = You are no longer signed in.
notice-signed-in = Signed in
notice-signed-in-named = { $account }: signed in
notice-signed-in-who = Signed in as { $who }.
notice-signed-in-done = The sign-in finished.
notice-client-signed-in = Sign-in finished
notice-client-signed-in-named = { $account }: sign-in finished
notice-client-signed-in-body = A program on this computer asked for it, and has its answer.
notice-sign-in-failed = Sign-in failed
notice-sign-in-failed-named = { $account }: sign-in failed
notice-not-saved = Session not saved
notice-not-saved-named = { $account }: session not saved
notice-not-saved-body = The keychain would not keep it; it lasts until pkce-tray quits.
notice-sign-in = Sign in

## The page a browser shows at the end of a sign-in

page-success-title = You're signed in
page-success-text = pkce-tray has your sign-in. You can close this tab.
page-failure-title = Sign-in did not complete

## The window

window-loading = Loading…
window-sign-in-hint = Sign in with your account. Your browser opens the sign-in page; come back here when you are done.
window-sign-in = Sign in
window-provider-sign-out = Sign out at the provider too
window-provider-sign-out-of = Sign out of { $account } at the provider too
window-finish-in-browser = Finish signing in in your browser.
window-reopen = Open the sign-in page again
window-cancel = Cancel
window-retry = Retry
window-offer = Your tools can use this sign-in while pkce-tray runs. Turn on “{ window-start-at-login }” below to have it there after every restart.
window-sign-out = Sign out
window-other-accounts = Other accounts
window-details = Details
window-details-of = Details of { $account }
window-redirect-uris = Redirect URIs to register
window-kept-in-keychain = Kept in the system keychain
window-add-account = Add account
window-add-account-hint = pkce-tray checks the provider before it keeps the account, in its configuration file.
window-name = Name
window-issuer = Provider (issuer)
window-client-id = Client id
window-checking = Checking the provider…
window-notifications = Notifications
window-start-at-login = Start at login
window-api = Local PKCE API:
window-expiry = Session renews automatically (token valid until { $time }).
window-default = { $account } (default)
window-sign-in-to = Sign in to { $account }
window-cancel-sign-in-to = Cancel the sign-in to { $account }
window-sign-out-of = Sign out of { $account }
window-use-as-default = Use as default
window-use-as-default-label = Use { $account } as the default account
# What a screen reader says when the state changes: the heading, then why.
window-announced = { $state }. { $why }

## Why something failed or ended, as the engine says it. Where a provider
## or the system gave a reason, it follows in its own words.

# An error the app has no words of its own for: its details, in English
# in every language (the sentence around it says what failed).
error-other = { $detail }
error-busy = A sign-in is already in progress
error-unknown-account = There is no account named "{ $name }"; the accounts are: { $known }
error-redirect-refused = The provider refused the sign-in request ({ $cause }). pkce-tray listens on port { $port } because it could not listen on port { $wanted } (taken, or not allowed for this user), and a provider that matches redirect URIs exactly knows only the one registered with it: register { $redirect } with the provider, or let pkce-tray have port { $wanted } and start it again
error-unknown-state = No sign-in attempt is waiting for this state; it is unknown, expired or already used
error-wrong-callback = This answer came back to another account's redirect URI, not to the one its sign-in used; it is refused, and the sign-in still waits
error-already-waiting = A request is already waiting for the answer to this sign-in attempt
error-challenge-mismatch = The code_challenge does not match the challenge issued for this state
error-cleared = The sign-in attempt was cleared before the provider answered
error-too-many-waiting = { $count } sign-ins already wait on the browser; finish or cancel one, then try again
error-browser-timed-out = { $minutes ->
    [one] The browser did not come back within 1 minute. Try again.
   *[other] The browser did not come back within { $minutes } minutes. Try again.
}
error-cancelled = The sign-in was cancelled or refused ({ $description }).
error-provider-answered = The provider answered { $error }: { $description }
error-unreachable = The sign-in service at { $host } could not be reached. Check your connection and try again.
error-untrusted = The provider at { $host } presented a certificate this machine does not trust; if it comes from a private CA, add that CA to the system's certificate store or name its PEM file in SSL_CERT_FILE
error-refused = The provider refused: { $description } ({ $error }).
error-provider-status = The provider answered the { $what } request with { $status } and no OAuth error
error-provider-status-bare = The provider answered the { $what } request with { $status } and said no more
error-bad-response = The provider sent an answer that is not OpenID Connect: { $detail }
error-invalid-id-token = The ID token was rejected: { $detail }
error-no-revocation = The provider has no revocation endpoint
error-no-pushed-requests = The provider requires pushed authorization requests (RFC 9126) but names no pushed_authorization_request_endpoint
error-no-device-flow = The provider does not offer sign-in from another device (its discovery document names no device_authorization_endpoint); sign in with the browser, or over SSH with `pkce-tray sign-in --no-browser` and a forwarded port
error-not-signed-in = Not signed in
error-cannot-renew = The access token expires in { $seconds } s and there is no refresh token to renew it; sign in again
error-cannot-narrow = The provider issued no refresh token, so no other token can be asked for; sign in again with offline access
error-superseded = { $seconds ->
    [one] This refresh token was replaced 1 second ago; sign in again or use the current one
   *[other] This refresh token was replaced { $seconds } seconds ago; sign in again or use the current one
}
# $store: macos, windows, or another system's Secret Service.
error-keychain-unavailable = { $store ->
    [macos] The macOS Keychain
    [windows] The Windows Credential Manager
   *[other] The system keychain (Secret Service)
} is not available ({ $detail })
error-keychain-damaged = The keychain item is damaged and was ignored
error-config-read = Cannot read the configuration file { $path }: { $detail }
error-config-write = Cannot write the configuration file { $path }: { $detail }
error-config-parse = The configuration file { $path } is not valid at { $place }: { $detail }
error-bad-issuer = The issuer "{ $issuer }" is not a URL
error-insecure-issuer = The issuer "{ $issuer }" is plain http on another machine, where anyone on the way could read the tokens; use its https address (plain http is for a provider on this machine only)
error-bad-account-name = "{ $name }" cannot name an account: use up to 32 letters, digits, dots, dashes and underscores, starting with a letter or a digit
error-account-exists = There is already an account named "{ $name }"
error-same-keychain-item = The accounts "{ $first }" and "{ $next }" would keep their sessions in one keychain item (a client id with a colon in it looks like another account's name); rename one of them
error-not-in-file = The account "{ $name }" is not in the configuration file { $path } (it comes from flags or the environment): add it there to make it the default

## What became of a session, and of the window's requests

session-expired = Your session has expired. Sign in again.
session-other-user = The provider renewed the session for another user. Sign in again.
session-refused = Your session has ended: the provider no longer accepts it. Sign in again.
session-memory-only = { $why }: your sign-in is kept in memory only and ends when pkce-tray quits.
signed-out = Signed out.
signed-out-here-only = Signed out here, but your session at the provider may still be active: { $why }. To end it there too, sign out at { $place }
signed-out-no-revocation = pkce-tray cannot ask the provider to end it (it offers no revocation)
signed-out-unconfirmed = it did not confirm the end ({ $detail })
account-added = Added the account { $name }. Sign in to it below.
account-not-added = The account was not added: { $why }
start-at-login-failed = Start at login could not be changed: { $detail }.
notifications-not-kept = The notifications switch was not kept: { $why }
