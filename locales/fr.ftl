# pkce-tray en français. Toujours les mêmes mots : « se connecter »,
# « connexion », « session », « compte », « fournisseur », « trousseau » ;
# on vouvoie.

## L’état d’une session

status-signed-in-as = Connecté en tant que { $who }
status-signed-in = Connecté
status-signing-in-again = Connecté en tant que { $who } ; reconnexion…
status-signing-in = Connexion…
status-failed = Échec de la connexion
status-signed-out = Déconnecté

## Le menu de la zone de notification

menu-not-signed-in = Non connecté
menu-account-line = { $account } : { $state }
menu-keychain = Trousseau indisponible : connecté jusqu’à la fermeture
menu-provider-sign-out = Toujours connecté chez le fournisseur ? S’y déconnecter…
menu-sign-in = Se connecter…
menu-cancel = Annuler la connexion
menu-sign-out = Se déconnecter
menu-notifications = Notifications
menu-start-at-login = Lancer à l’ouverture de session
menu-open = Ouvrir pkce-tray
menu-quit = Quitter
menu-other-ended = session terminée
menu-other-signed-out = non connecté
menu-other-signed-in-as = connecté en tant que { $who }
menu-other-signed-in = connecté
menu-other-signing-in-again = connecté en tant que { $who } ; reconnexion…
menu-other-signing-in = connexion…
menu-other-failed = échec de la connexion
menu-sign-in-to = Se connecter à { $account }…
menu-cancel-sign-in-to = Annuler la connexion à { $account }
menu-sign-out-of = Se déconnecter de { $account }
menu-use-as-default = Utiliser { $account } par défaut

## L’infobulle

tooltip = pkce-tray : { $state }
tooltip-provider = le fournisseur garde peut-être encore la session
tooltip-keychain = trousseau indisponible
tooltip-joined = { $first } ; { $next }
list-joined = { $first }, { $next }
sentences-joined = { $first } { $next }
tooltip-attention = { $count ->
    [one] { $accounts } demande votre attention
   *[other] { $accounts } demandent votre attention
}

## Les notifications

notice-session-ended = Votre session est terminée
notice-session-ended-named = { $account } : session terminée
notice-session-ended-who = { $who } n’est plus connecté.
notice-session-ended-you = Vous n’êtes plus connecté.
notice-signed-in = Connecté
notice-signed-in-named = { $account } : connecté
notice-signed-in-who = Connecté en tant que { $who }.
notice-signed-in-done = La connexion est terminée.
notice-client-signed-in = Connexion terminée
notice-client-signed-in-named = { $account } : connexion terminée
notice-client-signed-in-body = Un programme de cet ordinateur l’a demandée et a reçu sa réponse.
notice-sign-in-failed = Échec de la connexion
notice-sign-in-failed-named = { $account } : échec de la connexion
notice-not-saved = Session non enregistrée
notice-not-saved-named = { $account } : session non enregistrée
notice-not-saved-body = Le trousseau ne l’a pas gardée ; elle dure jusqu’à la fermeture de pkce-tray.
notice-sign-in = Se connecter

## La page du navigateur à la fin d’une connexion

page-success-title = Vous êtes connecté
page-success-text = pkce-tray a reçu votre connexion. Vous pouvez fermer cet onglet.
page-failure-title = La connexion n’a pas abouti

## La fenêtre

window-loading = Chargement…
window-sign-in-hint = Connectez-vous avec votre compte. Votre navigateur ouvre la page de connexion ; revenez ici ensuite.
window-sign-in = Se connecter
window-provider-sign-out = Se déconnecter aussi chez le fournisseur
window-provider-sign-out-of = Se déconnecter de { $account } aussi chez le fournisseur
window-finish-in-browser = Terminez la connexion dans votre navigateur.
window-reopen = Rouvrir la page de connexion
window-cancel = Annuler
window-retry = Réessayer
window-offer = Vos outils peuvent utiliser cette connexion tant que pkce-tray est lancé. Activez « { window-start-at-login } » ci-dessous pour la retrouver après chaque redémarrage.
window-sign-out = Se déconnecter
window-other-accounts = Autres comptes
window-details = Détails
window-details-of = Détails de { $account }
window-redirect-uris = Adresses de redirection à déclarer
window-kept-in-keychain = Conservée dans le trousseau du système
window-add-account = Ajouter un compte
window-add-account-hint = pkce-tray vérifie le fournisseur avant d’enregistrer le compte dans son fichier de configuration.
window-name = Nom
window-issuer = Fournisseur (émetteur)
window-client-id = Identifiant client
window-checking = Vérification du fournisseur…
window-notifications = Notifications
window-start-at-login = Lancer à l’ouverture de session
window-api = API PKCE locale :
window-expiry = La session se renouvelle automatiquement (jeton valable jusqu’à { $time }).
window-default = { $account } (par défaut)
window-sign-in-to = Se connecter à { $account }
window-cancel-sign-in-to = Annuler la connexion à { $account }
window-sign-out-of = Se déconnecter de { $account }
window-use-as-default = Utiliser par défaut
window-use-as-default-label = Utiliser { $account } comme compte par défaut
window-announced = { $state }. { $why }

## Pourquoi quelque chose a échoué ou pris fin. Quand un fournisseur ou
## le système donne une raison, elle suit dans ses propres mots.

error-other = { $detail }
error-busy = Une connexion est déjà en cours
error-unknown-account = Aucun compte ne s’appelle « { $name } » ; les comptes sont : { $known }
error-redirect-refused = Le fournisseur a refusé la demande de connexion ({ $cause }). pkce-tray écoute sur le port { $port } parce que le port { $wanted } est occupé ou interdit à cet utilisateur, et un fournisseur qui compare les adresses de redirection à l’identique ne connaît que celle qu’on lui a déclarée : déclarez { $redirect } auprès du fournisseur, ou laissez le port { $wanted } à pkce-tray et relancez-le
error-unknown-state = Aucune connexion n’attend cet état ; il est inconnu, expiré ou déjà utilisé
error-wrong-callback = Cette réponse est revenue à l’adresse de redirection d’un autre compte que celui de sa connexion ; elle est refusée et la connexion attend toujours son fournisseur
error-already-waiting = Une requête attend déjà la réponse de cette connexion
error-challenge-mismatch = Le code_challenge ne correspond pas à celui émis pour cet état
error-cleared = La connexion a été abandonnée avant la réponse du fournisseur
error-too-many-waiting = { $count } connexions attendent déjà le navigateur ; terminez-en ou annulez-en une, puis réessayez
error-browser-timed-out = { $minutes ->
    [one] Le navigateur n’est pas revenu dans la minute. Réessayez.
   *[other] Le navigateur n’est pas revenu dans les { $minutes } minutes. Réessayez.
}
error-cancelled = La connexion a été annulée ou refusée ({ $description }).
error-provider-answered = Le fournisseur a répondu { $error } : { $description }
error-unreachable = Le service de connexion { $host } est injoignable. Vérifiez votre connexion réseau et réessayez.
error-untrusted = Le fournisseur { $host } a présenté un certificat auquel cet ordinateur ne fait pas confiance ; s’il vient d’une autorité de certification privée, ajoutez-la au magasin de certificats du système ou indiquez son fichier PEM dans SSL_CERT_FILE
error-refused = Le fournisseur a refusé : { $description } ({ $error }).
error-provider-status = Le fournisseur a répondu à la requête ({ $what }) par { $status }, sans erreur OAuth
error-provider-status-bare = Le fournisseur a répondu à la requête ({ $what }) par { $status }, sans rien dire de plus
error-bad-response = La réponse du fournisseur n’est pas conforme à OpenID Connect : { $detail }
error-invalid-id-token = Le jeton d’identité a été rejeté : { $detail }
error-no-revocation = Le fournisseur n’offre pas de point de terminaison de révocation
error-no-pushed-requests = Le fournisseur exige les Pushed Authorization Requests (RFC 9126) mais n’indique aucun pushed_authorization_request_endpoint
error-no-device-flow = Le fournisseur ne propose pas la connexion depuis un autre appareil (son document de découverte n’indique aucun device_authorization_endpoint) ; connectez-vous dans le navigateur, ou par SSH avec `pkce-tray sign-in --no-browser` et un port redirigé
error-not-signed-in = Non connecté
error-cannot-renew = Le jeton d’accès expire dans { $seconds } s et aucun jeton d’actualisation ne permet de le renouveler ; reconnectez-vous
error-cannot-narrow = Le fournisseur n’a émis aucun jeton d’actualisation, aucun autre jeton ne peut donc être demandé ; reconnectez-vous avec l’accès hors ligne
error-superseded = { $seconds ->
    [one] Ce jeton d’actualisation a été remplacé il y a { $seconds } seconde ; reconnectez-vous ou utilisez le jeton actuel
   *[other] Ce jeton d’actualisation a été remplacé il y a { $seconds } secondes ; reconnectez-vous ou utilisez le jeton actuel
}
error-keychain-unavailable = { $store ->
    [macos] Le trousseau de macOS
    [windows] Le Gestionnaire d’identification de Windows
   *[other] Le trousseau du système (Secret Service)
} n’est pas disponible ({ $detail })
error-keychain-damaged = L’élément du trousseau est endommagé et a été ignoré
error-config-read = Impossible de lire le fichier de configuration { $path } : { $detail }
error-config-write = Impossible d’écrire le fichier de configuration { $path } : { $detail }
error-config-parse = Le fichier de configuration { $path } n’est pas valide à { $place } : { $detail }
error-bad-issuer = L’émetteur « { $issuer } » n’est pas une URL
error-insecure-issuer = L’émetteur « { $issuer } » est en http simple sur une autre machine, où n’importe qui sur le chemin pourrait lire les jetons ; utilisez son adresse https (le http simple est réservé à un fournisseur sur cet ordinateur)
error-bad-account-name = « { $name } » ne peut pas nommer un compte : utilisez jusqu’à 32 lettres, chiffres, points, tirets et tirets bas, en commençant par une lettre ou un chiffre
error-account-exists = Un compte s’appelle déjà « { $name } »
error-same-keychain-item = Les comptes « { $first } » et « { $next } » garderaient leurs sessions dans un même élément du trousseau (un identifiant client avec deux-points ressemble au nom d’un autre compte) ; renommez l’un des deux
error-not-in-file = Le compte « { $name } » n’est pas dans le fichier de configuration { $path } (il vient des options ou de l’environnement) : ajoutez-le là pour en faire le compte par défaut

## Ce qu’il est advenu d’une session, et des demandes de la fenêtre

session-expired = Votre session a expiré. Reconnectez-vous.
session-other-user = Le fournisseur a renouvelé la session pour un autre utilisateur. Reconnectez-vous.
session-refused = Votre session a pris fin : le fournisseur ne l’accepte plus. Reconnectez-vous.
session-memory-only = { $why } : votre connexion n’est gardée qu’en mémoire et prend fin quand pkce-tray se ferme.
signed-out = Déconnecté.
signed-out-here-only = Déconnecté ici, mais votre session chez le fournisseur est peut-être encore active : { $why }. Pour la terminer là-bas aussi, déconnectez-vous sur { $place }
signed-out-no-revocation = pkce-tray ne peut pas demander au fournisseur d’y mettre fin (il n’offre pas de révocation)
signed-out-unconfirmed = il n’a pas confirmé la fin ({ $detail })
account-added = Le compte { $name } a été ajouté. Connectez-vous-y ci-dessous.
account-not-added = Le compte n’a pas été ajouté : { $why }
start-at-login-failed = « { window-start-at-login } » n’a pas pu être modifié : { $detail }.
notifications-not-kept = Le réglage « { window-notifications } » n’a pas été enregistré : { $why }
