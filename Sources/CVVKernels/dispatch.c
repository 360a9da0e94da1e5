/* CPU feature detection: CPUID for AVX2/FMA/F16C plus XGETBV to check the OS saves YMM state. */
#include "cvv_kernels.h"

#if defined(__x86_64__) || defined(_M_X64) || defined(__i386__) || defined(_M_IX86)
#define VV_X86 1
#if defined(__clang__) || defined(__GNUC__)
#include <cpuid.h>
#else
#include <intrin.h>
#endif
#include <immintrin.h>

static void vv_cpuid(unsigned leaf, unsigned sub, unsigned regs[4]) {
#if defined(__clang__) || defined(__GNUC__)
    __cpuid_count(leaf, sub, regs[0], regs[1], regs[2], regs[3]);
#else
    int r[4];
    __cpuidex(r, (int)leaf, (int)sub);
    regs[0] = (unsigned)r[0]; regs[1] = (unsigned)r[1]; regs[2] = (unsigned)r[2]; regs[3] = (unsigned)r[3];
#endif
}

#if defined(__clang__) || defined(__GNUC__)
__attribute__((target("xsave")))
#endif
static unsigned long long vv_xgetbv0(void) {
    return _xgetbv(0);
}
#endif

int vv_isa_detected(void) {
#ifdef VV_X86
    unsigned r[4];
    vv_cpuid(0, 0, r);
    if (r[0] < 7) return VV_ISA_SCALAR;
    vv_cpuid(1, 0, r);
    unsigned ecx = r[2];
    int fma = (ecx >> 12) & 1, osxsave = (ecx >> 27) & 1, avx = (ecx >> 28) & 1, f16c = (ecx >> 29) & 1;
    if (!(fma && osxsave && avx && f16c)) return VV_ISA_SCALAR;
    if ((vv_xgetbv0() & 0x6) != 0x6) return VV_ISA_SCALAR; /* XMM and YMM state enabled by the OS */
    vv_cpuid(7, 0, r);
    if (!((r[1] >> 5) & 1)) return VV_ISA_SCALAR; /* AVX2 */
    return VV_ISA_AVX2;
#else
    return VV_ISA_SCALAR;
#endif
}
