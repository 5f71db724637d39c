/* A stand-in bcryptprimitives.dll for Wine 8.0 (Debian 12), which lacks it.
 *
 * Rust's standard library (1.78 and later) imports ProcessPrng from
 * bcryptprimitives.dll for its random hash seeds; every Windows 10 and 11
 * has that DLL, Wine only from 9.x. packaging/wine-test.sh builds this file
 * with MinGW-w64 into the test's private Wine prefix, only when the Wine at
 * hand has no bcryptprimitives.dll of its own. It is never shipped. */
#include <windows.h>

/* advapi32's RtlGenRandom. */
BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T len) {
    while (len > 0) {
        ULONG n = len > 0x40000000 ? 0x40000000 : (ULONG)len;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        len -= n;
    }
    return TRUE;
}
