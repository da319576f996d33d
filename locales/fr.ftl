# pkce-tray en français. Toujours les mêmes mots : « se connecter »,
# « connexion », « session », « compte », « fournisseur », « trousseau » ;
# on vouvoie.

## L’état d’une session

status-signed-in-as = Connecté en tant que { $who }
status-signed-in = Connecté
status-signing-in-again = Connecté en tant que { $who } ; nouvelle connexion…
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
menu-other-signing-in-again = connecté en tant que { $who } ; nouvelle connexion…
menu-other-signing-in = connexion…
menu-other-failed = échec de la connexion
menu-sign-in-to = Se connecter à { $account }…
menu-cancel-sign-in-to = Annuler la connexion à { $account }
menu-sign-out-of = Se déconnecter de { $account }
menu-use-as-default = Utiliser { $account } par défaut

## L’infobulle

tooltip = pkce-tray : { $state }
tooltip-provider = le fournisseur garde peut-être la session
tooltip-keychain = trousseau indisponible
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
notice-client-signed-in-body = Un programme de cet ordinateur l’a demandée et a sa réponse.
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
window-finish-in-browser = Terminez la connexion dans votre navigateur.
window-reopen = Rouvrir la page de connexion
window-cancel = Annuler
window-retry = Réessayer
window-offer = Vos outils peuvent utiliser cette connexion tant que pkce-tray tourne. Activez « { window-start-at-login } » ci-dessous pour l’avoir après chaque redémarrage.
window-sign-out = Se déconnecter
window-other-accounts = Autres comptes
window-add-account = Ajouter un compte
window-add-account-hint = pkce-tray vérifie le fournisseur avant d’enregistrer le compte dans son fichier de configuration.
window-name = Nom
window-issuer = Fournisseur (émetteur)
window-client-id = Identifiant client
window-checking = Vérification du fournisseur…
window-notifications = Notifications
window-start-at-login = Lancer à l’ouverture de session
window-api = API PKCE locale :
window-expiry = La session se renouvelle toute seule (jeton valable jusqu’à { $time }).
window-default = { $account } (par défaut)
window-sign-in-to = Se connecter à { $account }
window-cancel-sign-in-to = Annuler la connexion à { $account }
window-sign-out-of = Se déconnecter de { $account }
window-use-as-default = Utiliser par défaut
window-use-as-default-label = Utiliser { $account } comme compte par défaut
