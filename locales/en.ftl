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
window-finish-in-browser = Finish signing in in your browser.
window-reopen = Open the sign-in page again
window-cancel = Cancel
window-retry = Retry
window-offer = Your tools can use this sign-in while pkce-tray runs. Turn on “{ window-start-at-login }” below to have it there after every restart.
window-sign-out = Sign out
window-other-accounts = Other accounts
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
