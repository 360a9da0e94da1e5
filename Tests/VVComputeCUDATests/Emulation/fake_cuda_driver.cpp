/* A stand-in libcuda for GPU-less machines: implements the driver API functions CUDADriverAPI resolves, with host
 * memory as "device" memory, synchronous streams, and cuLaunchKernel running the kernels of
 * Sources/VVComputeCUDA/Kernels under the host emulation (cuda_host.h). Module images (CUBIN/PTX from NVRTC) are
 * accepted and ignored: functions are looked up by name in the emulated kernel table. With it, CUDABackend's whole
 * host path (probe, context, stream, memory pool, argument packing, launches, transfers) runs end to end.
 * Streams are synchronous; stream capture records each launch (its arguments copied), copy and fill as a host
 * closure, and a graph launch runs them again in order, so captured graphs replay as the real driver's do.
 * Built by scripts/fake_cuda_driver.sh; reports one device "vibevoice emulated GPU", compute capability 8.0. */
#include "cuda_host.h"

namespace gpu {
#include "kernels_host.inc"
}

#include <cstdio>
#include <cstdlib>
#include <functional>
#include <map>
#include <mutex>
#include <string>
#include <tuple>
#include <utility>
#include <vector>

namespace {
/* Reads a launch's arguments now and returns the launch, to run at once or when a captured graph replays. */
using Launcher = std::function<void()> (*)(unsigned grid, unsigned block, void **params);

template <typename T> T argument(void **params, size_t index) {
    T value;
    std::memcpy(&value, params[index], sizeof(T));
    return value;
}

template <auto Kernel, typename... A, size_t... I>
std::function<void()> bind_with(void (*)(A...), unsigned grid, unsigned block, void **params,
                                std::index_sequence<I...>) {
    auto args = std::make_tuple(argument<std::remove_cv_t<A>>(params, I)...);
    return [grid, block, args]() { std::apply([&](auto... a) { vv_launch(Kernel, grid, block, a...); }, args); };
}

template <auto Kernel> std::function<void()> launcher(unsigned grid, unsigned block, void **params) {
    return bind_with<Kernel>(Kernel, grid, block, params, std::make_index_sequence<[]<typename... A>(void (*)(A...)) {
                                                              return sizeof...(A);
                                                          }(Kernel)>{});
}

#define VV_ENTRY(name) {#name, &launcher<&gpu::name>}
const std::map<std::string, Launcher> kernels = {
    VV_ENTRY(vv_linear_f32), VV_ENTRY(vv_linear_bf16), VV_ENTRY(vv_linear_f16),
    VV_ENTRY(vv_gemm_f32), VV_ENTRY(vv_gemm_bf16), VV_ENTRY(vv_gemm_f16),
    VV_ENTRY(vv_embedding_f32), VV_ENTRY(vv_embedding_bf16), VV_ENTRY(vv_embedding_f16),
    VV_ENTRY(vv_rms_norm_f32), VV_ENTRY(vv_rope_f32),
    VV_ENTRY(vv_write_kv_f32), VV_ENTRY(vv_write_kv_bf16), VV_ENTRY(vv_write_kv_f16),
    VV_ENTRY(vv_attention_f32), VV_ENTRY(vv_attention_bf16), VV_ENTRY(vv_attention_f16),
    VV_ENTRY(vv_silu_mul_f32), VV_ENTRY(vv_unary_f32), VV_ENTRY(vv_binary_f32), VV_ENTRY(vv_scale_f32),
    VV_ENTRY(vv_modulate_f32), VV_ENTRY(vv_axpy_f32), VV_ENTRY(vv_timestep_embedding_f32), VV_ENTRY(vv_argmax_f32),
    VV_ENTRY(vv_conv1d_f32), VV_ENTRY(vv_conv1d_bf16), VV_ENTRY(vv_conv1d_f16),
    VV_ENTRY(vv_conv_transpose1d_f32), VV_ENTRY(vv_conv_transpose1d_bf16), VV_ENTRY(vv_conv_transpose1d_f16),
    VV_ENTRY(vv_convert_f32_to_bf16), VV_ENTRY(vv_convert_f32_to_f16), VV_ENTRY(vv_convert_bf16_to_f32),
    VV_ENTRY(vv_convert_f16_to_f32), VV_ENTRY(vv_copy_2d_u16), VV_ENTRY(vv_transpose_f32),
};

int context_token, module_token;
int launches = 0;
std::mutex launch_lock;  /* the emulation's state is global: one launch at a time, whichever thread calls */

using Work = std::function<void()>;
struct Stream { std::vector<Work> *capture = nullptr; };
struct Graph { std::vector<Work> nodes; };
constexpr int capture_unsupported = 900;  /* CUDA_ERROR_STREAM_CAPTURE_UNSUPPORTED */

bool capturing(void *stream) { return stream && ((Stream *)stream)->capture; }

/* Runs work now, or records it when the stream is capturing. */
int submit(void *stream, Work work) {
    if (capturing(stream)) ((Stream *)stream)->capture->push_back(std::move(work));
    else work();
    return 0;
}
}  // namespace

extern "C" {
int cuInit(unsigned) { return 0; }
int cuDriverGetVersion(int *version) { *version = 12040; return 0; }
int cuDeviceGetCount(int *count) { *count = 1; return 0; }
int cuDeviceGet(int *device, int ordinal) { if (ordinal != 0) return 101; *device = 0; return 0; }
int cuDeviceGetName(char *name, int length, int) { std::snprintf(name, (size_t)length, "vibevoice emulated GPU"); return 0; }
int cuDeviceGetAttribute(int *value, int attribute, int) {
    *value = attribute == 75 ? 8 : attribute == 76 ? 0 : attribute == 16 ? 4 : 0;
    return 0;
}
int cuDeviceTotalMem_v2(size_t *bytes, int) { *bytes = (size_t)8 << 30; return 0; }
int cuDevicePrimaryCtxRetain(void **context, int) { *context = &context_token; return 0; }
int cuDevicePrimaryCtxRelease_v2(int) { return 0; }
int cuCtxSetCurrent(void *) { return 0; }
int cuCtxSynchronize() { return 0; }
int cuMemGetInfo_v2(size_t *free_bytes, size_t *total) { *free_bytes = (size_t)7 << 30; *total = (size_t)8 << 30; return 0; }
int cuMemAlloc_v2(unsigned long long *address, size_t bytes) {
    void *p = std::malloc(bytes ? bytes : 1);
    if (!p) return 2;
    std::memset(p, 0xA5, bytes);  /* garbage, as real device memory would hold: ops must not rely on zeroed memory */
    *address = (unsigned long long)(uintptr_t)p;
    return 0;
}
int cuMemFree_v2(unsigned long long address) { std::free((void *)(uintptr_t)address); return 0; }
int cuMemcpyHtoD_v2(unsigned long long dst, const void *src, size_t bytes) { std::memcpy((void *)(uintptr_t)dst, src, bytes); return 0; }
int cuMemcpyHtoDAsync_v2(unsigned long long dst, const void *src, size_t bytes, void *stream) {
    return submit(stream, [=] { std::memcpy((void *)(uintptr_t)dst, src, bytes); });  /* a graph re-reads src */
}
int cuMemcpyDtoHAsync_v2(void *dst, unsigned long long src, size_t bytes, void *stream) {
    if (capturing(stream)) return capture_unsupported;
    std::memcpy(dst, (const void *)(uintptr_t)src, bytes);
    return 0;
}
int cuMemcpyDtoDAsync_v2(unsigned long long dst, unsigned long long src, size_t bytes, void *stream) {
    return submit(stream, [=] { std::memmove((void *)(uintptr_t)dst, (const void *)(uintptr_t)src, bytes); });
}
int cuMemsetD8Async(unsigned long long dst, unsigned char value, size_t bytes, void *stream) {
    return submit(stream, [=] { std::memset((void *)(uintptr_t)dst, value, bytes); });
}
int cuModuleLoadData(void **module, const void *image) { if (!image) return 1; *module = &module_token; return 0; }
int cuModuleGetFunction(void **function, void *, const char *name) {
    auto found = kernels.find(name);
    if (found == kernels.end()) return 500;  /* CUDA_ERROR_NOT_FOUND */
    *function = (void *)found->second;
    return 0;
}
int cuModuleUnload(void *) { return 0; }
int cuLaunchKernel(void *function, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by, unsigned bz, unsigned,
                   void *stream, void **params, void **) {
    if (gy != 1 || gz != 1 || by != 1 || bz != 1 || bx % 32 != 0 || gx == 0) return 1;  /* CUDA_ERROR_INVALID_VALUE */
    Work launch = ((Launcher)function)(gx, bx, params);
    return submit(stream, [launch] {
        std::lock_guard<std::mutex> guard(launch_lock);
        launches++;
        launch();
    });
}
int cuStreamCreate(void **stream, unsigned) { *stream = new Stream(); return 0; }
int cuStreamDestroy_v2(void *stream) { if (capturing(stream)) return capture_unsupported; delete (Stream *)stream; return 0; }
int cuStreamSynchronize(void *stream) { return capturing(stream) ? capture_unsupported : 0; }
int cuStreamBeginCapture_v2(void *stream, int) {
    if (!stream || capturing(stream)) return 1;
    ((Stream *)stream)->capture = new std::vector<Work>();
    return 0;
}
int cuStreamEndCapture(void *stream, void **graph) {
    if (!capturing(stream)) return 1;
    auto *s = (Stream *)stream;
    *graph = new Graph{std::move(*s->capture)};
    delete s->capture;
    s->capture = nullptr;
    return 0;
}
int cuGraphGetNodes(void *graph, void **, size_t *count) { *count = ((Graph *)graph)->nodes.size(); return 0; }
int cuGraphInstantiateWithFlags(void **exec, void *graph, unsigned long long) { *exec = new Graph(*(Graph *)graph); return 0; }
int cuGraphLaunch(void *exec, void *stream) {
    auto nodes = ((Graph *)exec)->nodes;
    return submit(stream, [nodes] { for (auto &node : nodes) node(); });
}
int cuGraphExecDestroy(void *exec) { delete (Graph *)exec; return 0; }
int cuGraphDestroy(void *graph) { delete (Graph *)graph; return 0; }
int cuGetErrorName(int code, const char **text) {
    static thread_local std::string name;
    name = "FAKE_CUDA_ERROR_" + std::to_string(code);
    *text = name.c_str();
    return 0;
}
int cuGetErrorString(int code, const char **text) { return cuGetErrorName(code, text); }
}
