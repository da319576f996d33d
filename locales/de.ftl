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
tooltip-joined = { $first }; { $next }
list-joined = { $first }, { $next }
sentences-joined = { $first } { $next }
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
notice-client-signed-in-body = Ein Programm auf diesem Computer hat sie angefordert und seine Antwort erhalten.
notice-sign-in-failed = Anmeldung fehlgeschlagen
notice-sign-in-failed-named = { $account }: Anmeldung fehlgeschlagen
notice-not-saved = Sitzung nicht gespeichert
notice-not-saved-named = { $account }: Sitzung nicht gespeichert
notice-not-saved-body = Der Schlüsselbund hat sie nicht aufgenommen; sie gilt, bis pkce-tray beendet wird.
notice-sign-in = Anmelden

## Die Seite im Browser am Ende einer Anmeldung

page-success-title = Sie sind angemeldet
page-success-text = pkce-tray hat Ihre Anmeldung erhalten. Sie können diesen Tab schließen.
page-failure-title = Anmeldung nicht abgeschlossen

## Das Fenster

window-loading = Wird geladen…
window-sign-in-hint = Melden Sie sich mit Ihrem Konto an. Ihr Browser öffnet die Anmeldeseite; kommen Sie danach hierher zurück.
window-sign-in = Anmelden
window-provider-sign-out = Auch beim Anbieter abmelden
window-provider-sign-out-of = Von { $account } auch beim Anbieter abmelden
window-finish-in-browser = Schließen Sie die Anmeldung in Ihrem Browser ab.
window-reopen = Anmeldeseite erneut öffnen
window-cancel = Abbrechen
window-retry = Erneut versuchen
window-offer = Ihre Programme können diese Anmeldung nutzen, solange pkce-tray läuft. Schalten Sie unten „{ window-start-at-login }“ ein, damit es nach jedem Neustart da ist.
window-sign-out = Abmelden
window-other-accounts = Weitere Konten
window-details = Details
window-details-of = Details zu { $account }
window-redirect-uris = Weiterleitungsadressen zum Eintragen
window-kept-in-keychain = Im Schlüsselbund des Systems gespeichert
window-add-account = Konto hinzufügen
window-add-account-hint = pkce-tray prüft den Anbieter, bevor es das Konto in seiner Konfigurationsdatei speichert.
window-name = Name
window-issuer = Anbieter (Aussteller)
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
window-announced = { $state }. { $why }

## Warum etwas fehlschlug oder endete. Wo ein Anbieter oder das System
## einen Grund nennt, folgt er in dessen eigenen Worten.

error-other = { $detail }
error-busy = Eine Anmeldung läuft bereits
error-unknown-account = Es gibt kein Konto namens „{ $name }“; die Konten sind: { $known }
error-redirect-refused = Der Anbieter hat die Anmeldeanfrage abgelehnt ({ $cause }). pkce-tray lauscht auf Port { $port }, weil Port { $wanted } belegt oder für diesen Benutzer nicht erlaubt ist, und ein Anbieter, der Weiterleitungsadressen genau vergleicht, kennt nur die bei ihm eingetragene: Tragen Sie { $redirect } beim Anbieter ein, oder geben Sie pkce-tray Port { $wanted } und starten Sie es neu
error-unknown-state = Für diesen state-Wert wartet keine Anmeldung; er ist unbekannt, abgelaufen oder schon verwendet
error-wrong-callback = Diese Antwort kam an die Weiterleitungsadresse eines anderen Kontos zurück als die, von der ihre Anmeldung ausging, und wurde abgelehnt; die Anmeldung wartet weiter auf ihren Anbieter
error-already-waiting = Auf die Antwort dieser Anmeldung wartet schon eine Anfrage
error-challenge-mismatch = Die code_challenge passt nicht zur Challenge, die für diesen state-Wert ausgegeben wurde
error-cleared = Die Anmeldung wurde verworfen, bevor der Anbieter antwortete
error-too-many-waiting = Schon { $count } Anmeldungen warten auf den Browser; schließen Sie eine davon ab oder brechen Sie sie ab und versuchen Sie es dann erneut
error-browser-timed-out = { $minutes ->
    [one] Der Browser ist nicht innerhalb einer Minute zurückgekommen. Versuchen Sie es erneut.
   *[other] Der Browser ist nicht innerhalb von { $minutes } Minuten zurückgekommen. Versuchen Sie es erneut.
}
error-cancelled = Die Anmeldung wurde abgebrochen oder abgelehnt ({ $description }).
error-provider-answered = Der Anbieter antwortete mit { $error }: { $description }
error-unreachable = Der Anmeldedienst unter { $host } war nicht erreichbar. Prüfen Sie Ihre Netzwerkverbindung und versuchen Sie es erneut.
error-untrusted = Der Anbieter unter { $host } hat ein Zertifikat vorgelegt, dem dieser Computer nicht vertraut; stammt es von einer eigenen Zertifizierungsstelle, fügen Sie diese dem Zertifikatspeicher des Systems hinzu oder nennen Sie ihre PEM-Datei in SSL_CERT_FILE
error-refused = Der Anbieter hat abgelehnt: { $description } ({ $error }).
error-provider-status = Der Anbieter hat die Anfrage ({ $what }) mit { $status } beantwortet, ohne OAuth-Fehler
error-provider-status-bare = Der Anbieter hat die Anfrage ({ $what }) mit { $status } beantwortet und nichts weiter gesagt
error-bad-response = Die Antwort des Anbieters entspricht nicht OpenID Connect: { $detail }
error-invalid-id-token = Das ID-Token wurde zurückgewiesen: { $detail }
error-no-revocation = Der Anbieter bietet keinen Endpunkt zum Widerrufen an
error-no-pushed-requests = Der Anbieter verlangt Pushed Authorization Requests (RFC 9126), nennt aber keinen pushed_authorization_request_endpoint
error-no-device-flow = Der Anbieter bietet keine Anmeldung von einem anderen Gerät an (sein Discovery-Dokument nennt keinen device_authorization_endpoint); melden Sie sich im Browser an, oder über SSH mit `pkce-tray sign-in --no-browser` und einem weitergeleiteten Port
error-not-signed-in = Nicht angemeldet
error-cannot-renew = Das Zugriffstoken läuft in { $seconds } s ab, und es gibt kein Aktualisierungstoken, um es zu erneuern; melden Sie sich erneut an
error-cannot-narrow = Der Anbieter hat kein Aktualisierungstoken ausgegeben, also lässt sich kein anderes Token anfordern; melden Sie sich erneut mit Offline-Zugriff an
error-superseded = { $seconds ->
    [one] Dieses Aktualisierungstoken wurde vor 1 Sekunde ersetzt; melden Sie sich erneut an oder verwenden Sie das aktuelle
   *[other] Dieses Aktualisierungstoken wurde vor { $seconds } Sekunden ersetzt; melden Sie sich erneut an oder verwenden Sie das aktuelle
}
error-keychain-unavailable = { $store ->
    [macos] Der macOS-Schlüsselbund
    [windows] Die Windows-Anmeldeinformationsverwaltung
   *[other] Der Schlüsselbund des Systems (Secret Service)
} ist nicht verfügbar ({ $detail })
error-keychain-damaged = Der Eintrag im Schlüsselbund ist beschädigt und wurde übergangen
error-config-read = Die Konfigurationsdatei { $path } lässt sich nicht lesen: { $detail }
error-config-write = Die Konfigurationsdatei { $path } lässt sich nicht schreiben: { $detail }
error-config-parse = Die Konfigurationsdatei { $path } ist bei { $place } ungültig: { $detail }
error-bad-issuer = Der Aussteller „{ $issuer }“ ist keine URL
error-insecure-issuer = Der Aussteller „{ $issuer }“ ist einfaches http auf einem anderen Computer, wo jeder auf dem Weg die Tokens lesen könnte; verwenden Sie seine https-Adresse (einfaches http ist nur für einen Anbieter auf diesem Computer)
error-bad-account-name = „{ $name }“ ist kein gültiger Kontoname: Verwenden Sie bis zu 32 Buchstaben, Ziffern, Punkte, Bindestriche und Unterstriche, beginnend mit einem Buchstaben oder einer Ziffer
error-account-exists = Es gibt schon ein Konto namens „{ $name }“
error-same-keychain-item = Die Konten „{ $first }“ und „{ $next }“ würden ihre Sitzungen in einem Eintrag im Schlüsselbund ablegen (eine Client-ID mit Doppelpunkt sieht aus wie der Name eines anderen Kontos); benennen Sie eines davon um
error-not-in-file = Das Konto „{ $name }“ steht nicht in der Konfigurationsdatei { $path } (es kommt aus Optionen oder der Umgebung): Tragen Sie es dort ein, um es zum Standard zu machen

## Was aus einer Sitzung und aus den Anfragen des Fensters wurde

session-expired = Ihre Sitzung ist abgelaufen. Melden Sie sich erneut an.
session-other-user = Der Anbieter hat die Sitzung für einen anderen Benutzer erneuert. Melden Sie sich erneut an.
session-refused = Ihre Sitzung ist beendet: Der Anbieter nimmt sie nicht mehr an. Melden Sie sich erneut an.
session-memory-only = { $why }: Ihre Anmeldung wird nur im Arbeitsspeicher gehalten und endet, wenn pkce-tray beendet wird.
signed-out = Abgemeldet.
signed-out-here-only = Hier abgemeldet, aber Ihre Sitzung beim Anbieter ist vielleicht noch aktiv: { $why }. Um sie auch dort zu beenden, melden Sie sich unter { $place } ab
signed-out-no-revocation = pkce-tray kann den Anbieter nicht bitten, sie zu beenden (er bietet keinen Widerruf an)
signed-out-unconfirmed = er hat das Ende nicht bestätigt ({ $detail })
account-added = Das Konto { $name } wurde hinzugefügt. Melden Sie sich unten damit an.
account-not-added = Das Konto wurde nicht hinzugefügt: { $why }
start-at-login-failed = „{ window-start-at-login }“ ließ sich nicht ändern: { $detail }.
notifications-not-kept = Der Schalter „{ window-notifications }“ wurde nicht gespeichert: { $why }
