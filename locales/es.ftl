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
tooltip-provider = puede que el proveedor aún mantenga la sesión
tooltip-keychain = llavero no disponible
tooltip-joined = { $first }; { $next }
list-joined = { $first }, { $next }
sentences-joined = { $first } { $next }
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
page-success-text = pkce-tray ha recibido tu inicio de sesión. Puedes cerrar esta pestaña.
page-failure-title = El inicio de sesión no se completó

## La ventana

window-loading = Cargando…
window-sign-in-hint = Inicia sesión con tu cuenta. Tu navegador abre la página de inicio de sesión; vuelve aquí cuando termines.
window-sign-in = Iniciar sesión
window-provider-sign-out = Cerrar sesión también en el proveedor
window-provider-sign-out-of = Cerrar sesión en { $account } también en el proveedor
window-finish-in-browser = Termina de iniciar sesión en tu navegador.
window-reopen = Abrir de nuevo la página de inicio de sesión
window-cancel = Cancelar
window-retry = Reintentar
window-offer = Tus herramientas pueden usar este inicio de sesión mientras pkce-tray esté en marcha. Activa «{ window-start-at-login }» abajo para tenerlo tras cada reinicio.
window-sign-out = Cerrar sesión
window-other-accounts = Otras cuentas
window-details = Detalles
window-details-of = Detalles de { $account }
window-redirect-uris = Direcciones de redirección que registrar
window-kept-in-keychain = Guardada en el llavero del sistema
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
window-announced = { $state }. { $why }

## Por qué algo falló o terminó. Cuando un proveedor o el sistema da un
## motivo, sigue con sus propias palabras.

error-other = { $detail }
error-busy = Ya hay un inicio de sesión en curso
error-unknown-account = No hay ninguna cuenta llamada «{ $name }»; las cuentas son: { $known }
error-redirect-refused = El proveedor rechazó la solicitud de inicio de sesión ({ $cause }). pkce-tray escucha en el puerto { $port } porque el puerto { $wanted } está ocupado o no está permitido para este usuario, y un proveedor que compara las direcciones de redirección exactamente solo conoce la que tiene registrada: registra { $redirect } en el proveedor, o deja el puerto { $wanted } a pkce-tray y vuelve a iniciarlo
error-unknown-state = Ningún inicio de sesión espera este valor de state; es desconocido, ha caducado o ya se usó
error-wrong-callback = Esta respuesta volvió a la dirección de redirección de otra cuenta, no a la de su inicio de sesión, y se rechazó; el inicio de sesión sigue esperando a su proveedor
error-already-waiting = Ya hay una solicitud esperando la respuesta de este inicio de sesión
error-challenge-mismatch = El code_challenge no coincide con el emitido para este valor de state
error-cleared = El inicio de sesión se descartó antes de que respondiera el proveedor
error-too-many-waiting = Ya hay { $count } inicios de sesión esperando al navegador; termina o cancela uno y vuelve a intentarlo
error-browser-timed-out = { $minutes ->
    [one] El navegador no volvió en 1 minuto. Vuelve a intentarlo.
   *[other] El navegador no volvió en { $minutes } minutos. Vuelve a intentarlo.
}
error-cancelled = El inicio de sesión se canceló o se rechazó ({ $description }).
error-provider-answered = El proveedor respondió con { $error }: { $description }
error-unreachable = No se pudo contactar con el servicio de inicio de sesión en { $host }. Comprueba tu conexión de red y vuelve a intentarlo.
error-untrusted = El proveedor en { $host } presentó un certificado en el que este equipo no confía; si viene de una autoridad de certificación privada, añádela al almacén de certificados del sistema o indica su archivo PEM en SSL_CERT_FILE
error-refused = El proveedor lo rechazó: { $description } ({ $error }).
error-provider-status = El proveedor respondió a la solicitud ({ $what }) con { $status } y sin error OAuth
error-provider-status-bare = El proveedor respondió a la solicitud ({ $what }) con { $status } y nada más
error-bad-response = La respuesta del proveedor no es OpenID Connect: { $detail }
error-invalid-id-token = Se rechazó el token de ID: { $detail }
error-no-revocation = El proveedor no tiene punto de conexión de revocación
error-no-pushed-requests = El proveedor exige Pushed Authorization Requests (RFC 9126) pero no indica ningún pushed_authorization_request_endpoint
error-no-device-flow = El proveedor no ofrece iniciar sesión desde otro dispositivo (su documento de descubrimiento no indica ningún device_authorization_endpoint); inicia sesión en el navegador, o por SSH con `pkce-tray sign-in --no-browser` y un puerto redirigido
error-not-signed-in = No has iniciado sesión
error-cannot-renew = El token de acceso caduca en { $seconds } s y no hay token de actualización para renovarlo; vuelve a iniciar sesión
error-cannot-narrow = El proveedor no emitió ningún token de actualización, así que no se puede pedir otro token; vuelve a iniciar sesión con acceso sin conexión
error-superseded = { $seconds ->
    [one] Este token de actualización se sustituyó hace 1 segundo; vuelve a iniciar sesión o usa el actual
   *[other] Este token de actualización se sustituyó hace { $seconds } segundos; vuelve a iniciar sesión o usa el actual
}
error-keychain-unavailable = { $store ->
    [macos] El llavero de macOS
    [windows] El Administrador de credenciales de Windows
   *[other] El llavero del sistema (Secret Service)
} no está disponible ({ $detail })
error-keychain-damaged = El elemento del llavero está dañado y se ignoró
error-config-read = No se puede leer el archivo de configuración { $path }: { $detail }
error-config-write = No se puede escribir el archivo de configuración { $path }: { $detail }
error-config-parse = El archivo de configuración { $path } no es válido en { $place }: { $detail }
error-bad-issuer = El emisor «{ $issuer }» no es una URL
error-insecure-issuer = El emisor «{ $issuer }» es http simple en otro equipo, donde cualquiera en el camino podría leer los tokens; usa su dirección https (http simple es solo para un proveedor en este equipo)
error-bad-account-name = «{ $name }» no sirve como nombre de cuenta: usa hasta 32 letras, cifras, puntos, guiones y guiones bajos, empezando por una letra o una cifra
error-account-exists = Ya hay una cuenta llamada «{ $name }»
error-same-keychain-item = Las cuentas «{ $first }» y «{ $next }» guardarían sus sesiones en un mismo elemento del llavero (un id de cliente con dos puntos parece el nombre de otra cuenta); cambia el nombre de una de ellas
error-not-in-file = La cuenta «{ $name }» no está en el archivo de configuración { $path } (viene de opciones o del entorno): añádela allí para hacerla la predeterminada

## Qué fue de una sesión y de lo que pidió la ventana

session-expired = Tu sesión ha caducado. Vuelve a iniciar sesión.
session-other-user = El proveedor renovó la sesión para otro usuario. Vuelve a iniciar sesión.
session-refused = Tu sesión ha terminado: el proveedor ya no la acepta. Vuelve a iniciar sesión.
session-memory-only = { $why }: tu inicio de sesión se guarda solo en memoria y termina cuando se cierra pkce-tray.
signed-out = Sesión cerrada.
signed-out-here-only = Sesión cerrada aquí, pero tu sesión en el proveedor puede seguir activa: { $why }. Para cerrarla también allí, cierra sesión en { $place }
signed-out-no-revocation = pkce-tray no puede pedir al proveedor que la cierre (no ofrece revocación)
signed-out-unconfirmed = no confirmó el cierre ({ $detail })
account-added = Se añadió la cuenta { $name }. Inicia sesión en ella más abajo.
account-not-added = No se añadió la cuenta: { $why }
start-at-login-failed = No se pudo cambiar «{ window-start-at-login }»: { $detail }.
notifications-not-kept = No se guardó el ajuste «{ window-notifications }»: { $why }
