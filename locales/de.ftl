# pkce-tray auf Deutsch. Immer dieselben Wörter: „anmelden“, „Anmeldung“,
# „Sitzung“, „Konto“, „Anbieter“, „Schlüsselbund“; die Anrede ist „Sie“.

## Der Zustand einer Sitzung

status-signed-in-as = Angemeldet als { $who }
status-signed-in = Angemeldet
status-signing-in-again = Angemeldet als { $who }; erneute Anmeldung…
status-signing-in = Anmeldung läuft…
status-failed = Anmeldung fehlgeschlagen
status-signed-out = Abgemeldet

## Das Menü im Infobereich

menu-not-signed-in = Nicht angemeldet
menu-account-line = { $account }: { $state }
menu-keychain = Schlüsselbund nicht verfügbar: angemeldet bis zum Beenden
menu-provider-sign-out = Beim Anbieter noch angemeldet? Dort abmelden…
menu-sign-in = Anmelden…
menu-cancel = Anmeldung abbrechen
menu-sign-out = Abmelden
menu-notifications = Benachrichtigungen
menu-start-at-login = Automatisch starten
menu-open = pkce-tray öffnen
menu-quit = Beenden
menu-other-ended = Sitzung beendet
menu-other-signed-out = nicht angemeldet
menu-other-signed-in-as = angemeldet als { $who }
menu-other-signed-in = angemeldet
menu-other-signing-in-again = angemeldet als { $who }; erneute Anmeldung…
menu-other-signing-in = Anmeldung läuft…
menu-other-failed = Anmeldung fehlgeschlagen
menu-sign-in-to = Bei { $account } anmelden…
menu-cancel-sign-in-to = Anmeldung bei { $account } abbrechen
menu-sign-out-of = Von { $account } abmelden
menu-use-as-default = { $account } als Standard verwenden

## Der Tooltip

tooltip = pkce-tray: { $state }
tooltip-provider = der Anbieter hält die Sitzung vielleicht noch
tooltip-keychain = Schlüsselbund nicht verfügbar
tooltip-attention = { $count ->
    [one] { $accounts } braucht Aufmerksamkeit
   *[other] { $accounts } brauchen Aufmerksamkeit
}

## Benachrichtigungen

notice-session-ended = Ihre Sitzung ist beendet
notice-session-ended-named = { $account }: Sitzung beendet
notice-session-ended-who = { $who } ist nicht mehr angemeldet.
notice-session-ended-you = Sie sind nicht mehr angemeldet.
notice-signed-in = Angemeldet
notice-signed-in-named = { $account }: angemeldet
notice-signed-in-who = Angemeldet als { $who }.
notice-signed-in-done = Die Anmeldung ist abgeschlossen.
notice-client-signed-in = Anmeldung abgeschlossen
notice-client-signed-in-named = { $account }: Anmeldung abgeschlossen
notice-client-signed-in-body = Ein Programm auf diesem Computer hat sie angefordert und hat seine Antwort.
notice-sign-in-failed = Anmeldung fehlgeschlagen
notice-sign-in-failed-named = { $account }: Anmeldung fehlgeschlagen
notice-not-saved = Sitzung nicht gespeichert
notice-not-saved-named = { $account }: Sitzung nicht gespeichert
notice-not-saved-body = Der Schlüsselbund hat sie nicht aufgenommen; sie gilt, bis pkce-tray beendet wird.
notice-sign-in = Anmelden

## Die Seite im Browser am Ende einer Anmeldung

page-success-title = Sie sind angemeldet
page-success-text = pkce-tray hat Ihre Anmeldung. Sie können diesen Tab schließen.
page-failure-title = Anmeldung nicht abgeschlossen

## Das Fenster

window-loading = Wird geladen…
window-sign-in-hint = Melden Sie sich mit Ihrem Konto an. Ihr Browser öffnet die Anmeldeseite; kommen Sie danach hierher zurück.
window-sign-in = Anmelden
window-provider-sign-out = Auch beim Anbieter abmelden
window-finish-in-browser = Schließen Sie die Anmeldung in Ihrem Browser ab.
window-reopen = Anmeldeseite erneut öffnen
window-cancel = Abbrechen
window-retry = Erneut versuchen
window-offer = Ihre Programme können diese Anmeldung nutzen, solange pkce-tray läuft. Schalten Sie unten „{ window-start-at-login }“ ein, damit es nach jedem Neustart da ist.
window-sign-out = Abmelden
window-other-accounts = Weitere Konten
window-add-account = Konto hinzufügen
window-add-account-hint = pkce-tray prüft den Anbieter, bevor es das Konto in seiner Konfigurationsdatei speichert.
window-name = Name
window-issuer = Anbieter (Issuer)
window-client-id = Client-ID
window-checking = Anbieter wird geprüft…
window-notifications = Benachrichtigungen
window-start-at-login = Automatisch starten
window-api = Lokale PKCE-API:
window-expiry = Die Sitzung wird automatisch erneuert (Token gültig bis { $time }).
window-default = { $account } (Standard)
window-sign-in-to = Bei { $account } anmelden
window-cancel-sign-in-to = Anmeldung bei { $account } abbrechen
window-sign-out-of = Von { $account } abmelden
window-use-as-default = Als Standard verwenden
window-use-as-default-label = { $account } als Standardkonto verwenden
