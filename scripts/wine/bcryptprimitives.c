/* A stand-in for Windows' bcryptprimitives.dll, which Debian 12's Wine 8.0
 * lacks: Rust's standard library imports ProcessPrng from it for random
 * numbers. The real one does the same: the system's preferred RNG. */
#include <windows.h>
#include <bcrypt.h>

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    return BCryptGenRandom(NULL, data, (ULONG)length, BCRYPT_USE_SYSTEM_PREFERRED_RNG) == 0;
}
