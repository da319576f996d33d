; The installer's hooks (packaging/windows/installer-hooks.nsh), each in an
; installer of its own, run silently under Wine by scripts/wine-check:
; makensis -DHOOKS=… -DOUT=… [-DUNINSTALL] hooks-check.nsi
Unicode true
; 64-bit: Debian's wine64 runs no 32-bit programs.
Target amd64-unicode
Name "pkce-tray hooks"
OutFile "${OUT}"
RequestExecutionLevel user
InstallDir "C:\Program Files\pkce-tray"
!include "${HOOKS}"

Section
!ifdef UNINSTALL
  !insertmacro NSIS_HOOK_PREUNINSTALL
!else
  !insertmacro NSIS_HOOK_POSTINSTALL
!endif
SectionEnd
