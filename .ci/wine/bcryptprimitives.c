/* Wine 8 (Debian 12) has no bcryptprimitives.dll, which Rust's standard library imports for
 * ProcessPrng (its random numbers, e.g. for HashMap keys). This stand-in, put in the Wine prefix
 * for the CI smoke test only, answers with RtlGenRandom (advapi32's SystemFunction036).
 * Real Windows 10 and 11 have the real DLL; it is never shipped. */
#include <windows.h>

BOOLEAN WINAPI SystemFunction036(PVOID buffer, ULONG length);

__declspec(dllexport) BOOL WINAPI ProcessPrng(PBYTE data, SIZE_T length) {
    while (length > 0) {
        ULONG n = length > 0x40000000 ? 0x40000000 : (ULONG)length;
        if (!SystemFunction036(data, n)) return FALSE;
        data += n;
        length -= n;
    }
    return TRUE;
}
