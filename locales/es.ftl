# pkce-tray en español. Siempre las mismas palabras: «iniciar sesión»,
# «inicio de sesión», «sesión», «cuenta», «proveedor», «llavero»; se
# trata de «tú».

## El estado de una sesión

status-signed-in-as = Sesión iniciada como { $who }
status-signed-in = Sesión iniciada
status-signing-in-again = Sesión iniciada como { $who }; iniciando sesión de nuevo…
status-signing-in = Iniciando sesión…
status-failed = No se pudo iniciar sesión
status-signed-out = Sesión cerrada

## El menú de la bandeja

menu-not-signed-in = Sin sesión iniciada
menu-account-line = { $account }: { $state }
menu-keychain = Llavero no disponible: sesión iniciada hasta salir
menu-provider-sign-out = ¿Sigues con la sesión abierta en el proveedor? Ciérrala allí…
menu-sign-in = Iniciar sesión…
menu-cancel = Cancelar el inicio de sesión
menu-sign-out = Cerrar sesión
menu-notifications = Notificaciones
menu-start-at-login = Iniciar al entrar en el equipo
menu-open = Abrir pkce-tray
menu-quit = Salir
menu-other-ended = sesión terminada
menu-other-signed-out = sin sesión iniciada
menu-other-signed-in-as = sesión iniciada como { $who }
menu-other-signed-in = sesión iniciada
menu-other-signing-in-again = sesión iniciada como { $who }; iniciando sesión de nuevo…
menu-other-signing-in = iniciando sesión…
menu-other-failed = no se pudo iniciar sesión
menu-sign-in-to = Iniciar sesión en { $account }…
menu-cancel-sign-in-to = Cancelar el inicio de sesión en { $account }
menu-sign-out-of = Cerrar sesión en { $account }
menu-use-as-default = Usar { $account } como predeterminada

## La descripción emergente

tooltip = pkce-tray: { $state }
tooltip-provider = puede que el proveedor mantenga la sesión
tooltip-keychain = llavero no disponible
tooltip-attention = { $count ->
    [one] { $accounts } necesita atención
   *[other] { $accounts } necesitan atención
}

## Las notificaciones

notice-session-ended = Tu sesión ha terminado
notice-session-ended-named = { $account }: sesión terminada
notice-session-ended-who = { $who } ya no tiene la sesión iniciada.
notice-session-ended-you = Ya no tienes la sesión iniciada.
notice-signed-in = Sesión iniciada
notice-signed-in-named = { $account }: sesión iniciada
notice-signed-in-who = Sesión iniciada como { $who }.
notice-signed-in-done = El inicio de sesión ha terminado.
notice-client-signed-in = Inicio de sesión terminado
notice-client-signed-in-named = { $account }: inicio de sesión terminado
notice-client-signed-in-body = Un programa de este equipo lo pidió y ya tiene su respuesta.
notice-sign-in-failed = No se pudo iniciar sesión
notice-sign-in-failed-named = { $account }: no se pudo iniciar sesión
notice-not-saved = Sesión no guardada
notice-not-saved-named = { $account }: sesión no guardada
notice-not-saved-body = El llavero no la guardó; dura hasta que pkce-tray se cierre.
notice-sign-in = Iniciar sesión

## La página del navegador al final de un inicio de sesión

page-success-title = Has iniciado sesión
page-success-text = pkce-tray tiene tu inicio de sesión. Puedes cerrar esta pestaña.
page-failure-title = El inicio de sesión no se completó

## La ventana

window-loading = Cargando…
window-sign-in-hint = Inicia sesión con tu cuenta. Tu navegador abre la página de inicio de sesión; vuelve aquí cuando termines.
window-sign-in = Iniciar sesión
window-provider-sign-out = Cerrar sesión también en el proveedor
window-finish-in-browser = Termina de iniciar sesión en tu navegador.
window-reopen = Abrir de nuevo la página de inicio de sesión
window-cancel = Cancelar
window-retry = Reintentar
window-offer = Tus herramientas pueden usar este inicio de sesión mientras pkce-tray esté en marcha. Activa «{ window-start-at-login }» abajo para tenerlo tras cada reinicio.
window-sign-out = Cerrar sesión
window-other-accounts = Otras cuentas
window-add-account = Añadir cuenta
window-add-account-hint = pkce-tray comprueba el proveedor antes de guardar la cuenta en su archivo de configuración.
window-name = Nombre
window-issuer = Proveedor (emisor)
window-client-id = ID de cliente
window-checking = Comprobando el proveedor…
window-notifications = Notificaciones
window-start-at-login = Iniciar al entrar en el equipo
window-api = API PKCE local:
window-expiry = La sesión se renueva sola (token válido hasta las { $time }).
window-default = { $account } (predeterminada)
window-sign-in-to = Iniciar sesión en { $account }
window-cancel-sign-in-to = Cancelar el inicio de sesión en { $account }
window-sign-out-of = Cerrar sesión en { $account }
window-use-as-default = Usar como predeterminada
window-use-as-default-label = Usar { $account } como cuenta predeterminada
