; Tauri's NSIS installer hooks (tauri.conf.json: bundle > windows > nsis >
; installerHooks). A per-user install: the link scheme goes under
; HKCU\Software\Classes, as the app itself writes it at start.

!define PKCE_TRAY_SCHEME "app.pkcetray.desktop"

!macro NSIS_HOOK_POSTINSTALL
  WriteRegStr HKCU "Software\Classes\${PKCE_TRAY_SCHEME}" "" "URL:pkce-tray sign-in"
  WriteRegStr HKCU "Software\Classes\${PKCE_TRAY_SCHEME}" "URL Protocol" ""
  WriteRegStr HKCU "Software\Classes\${PKCE_TRAY_SCHEME}\DefaultIcon" "" '"$INSTDIR\pkce-tray.exe",0'
  WriteRegStr HKCU "Software\Classes\${PKCE_TRAY_SCHEME}\shell\open\command" "" '"$INSTDIR\pkce-tray.exe" "%1"'
!macroend

; Uninstalling removes what the app and the installer wrote: the scheme
; and the start-at-login entry (auto-launch's value in the Run key).
!macro NSIS_HOOK_PREUNINSTALL
  DeleteRegKey HKCU "Software\Classes\${PKCE_TRAY_SCHEME}"
  DeleteRegValue HKCU "Software\Microsoft\Windows\CurrentVersion\Run" "pkce-tray"
!macroend
