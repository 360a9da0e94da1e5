/* Runs every CUDA kernel of Sources/VVComputeCUDA/Kernels on the CPU under cuda_host.h and compares it with the CPU
 * backend's C kernels (Sources/CVVKernels) on the same inputs. Built and run by scripts/emulate_cuda_kernels.sh;
 * prints one line per case and exits 1 if any case is outside its tolerance (max-abs / max(1, max|reference|)). */
#include "cuda_host.h"

namespace gpu {
#include "kernels_host.inc"
}

#include "cvv_kernels.h"

#include <algorithm>
#include <cstdio>
#include <string>

namespace {
int failures = 0, cases = 0;
uint64_t seed = 0x5EED;

std::vector<float> random_values(size_t n, float scale = 1.0f) {
    std::vector<float> v(n);
    for (auto &x : v) {
        seed = seed * 6364136223846793005ull + 1442695040888963407ull;
        x = ((float)(uint32_t)(seed >> 33) * 0x1p-31f * 2 - 1) * scale;
    }
    return v;
}

void check(const std::string &name, const std::vector<float> &got, const std::vector<float> &want, float tolerance) {
    float scale = 1.0f, worst = got.size() == want.size() ? 0.0f : INFINITY;
    for (float w : want) scale = std::max(scale, std::fabs(w));
    for (size_t i = 0; i < std::min(got.size(), want.size()); i++) {
        float d = std::fabs(got[i] - want[i]);
        if (!(d <= worst)) worst = d;
    }
    bool ok = worst / scale <= tolerance;
    cases++;
    if (!ok) failures++;
    std::printf("%s %-48s %.2e (tolerance %.0e)\n", ok ? "ok  " : "FAIL", name.c_str(), worst / scale, tolerance);
}

/* Weight bytes of dtype code `wtype` (0 f32, 1 bf16, 2 f16), rounded by the CPU backend's converter. */
std::vector<uint8_t> weight_bytes(const std::vector<float> &values, int wtype) {
    std::vector<uint8_t> bytes(values.size() * (wtype == 0 ? 4 : 2));
    if (wtype == 0) std::memcpy(bytes.data(), values.data(), bytes.size());
    else vv_convert_from_f32(wtype, values.data(), (uint16_t *)bytes.data(), (int64_t)values.size());
    return bytes;
}

const char *type_name(int wtype) { return wtype == 0 ? "f32" : wtype == 1 ? "bf16" : "f16"; }

unsigned grid_for(long long n, unsigned block, unsigned cap) {
    return (unsigned)std::max(1ll, std::min((n + block - 1) / block, (long long)cap));
}

void linear_cases() {
    int shapes[][3] = {{1, 37, 13}, {5, 64, 96}, {7, 96, 40}, {33, 200, 70}, {70, 33, 130}};
    for (auto &s : shapes)
        for (int wtype = 0; wtype < 3; wtype++) {
            int m = s[0], k = s[1], n = s[2];
            auto x = random_values(m * k), w = random_values(n * k), bias = random_values(n);
            auto wb = weight_bytes(w, wtype);
            std::vector<float> got(m * n), want(m * n);
            auto kernel = wtype == 0 ? gpu::vv_linear_f32 : wtype == 1 ? gpu::vv_linear_bf16 : gpu::vv_linear_f16;
            vv_launch(kernel, grid_for(n, 8, 3), 256, x.data(), (const void *)wb.data(), bias.data(), got.data(), m, k, n);
            vv_linear(0, wtype, x.data(), m, k, wb.data(), bias.data(), want.data(), n, 0, n);
            check("linear " + std::string(type_name(wtype)) + " " + std::to_string(m) + "x" + std::to_string(k) + "x" +
                      std::to_string(n), got, want, 1e-5f);
            std::vector<float> tiled(m * n);
            auto gemm = wtype == 0 ? gpu::vv_gemm_f32 : wtype == 1 ? gpu::vv_gemm_bf16 : gpu::vv_gemm_f16;
            vv_launch(gemm, 2u, 256u, x.data(), (const void *)wb.data(), bias.data(), tiled.data(), m, k, n);
            check("gemm " + std::string(type_name(wtype)) + " " + std::to_string(m) + "x" + std::to_string(k) + "x" +
                      std::to_string(n), tiled, want, 1e-5f);
        }
}

void embedding_and_norm_cases() {
    auto table = random_values(50 * 16);
    int ids[] = {3, 0, 49, 3, 17, 50, -1};
    for (int wtype = 0; wtype < 3; wtype++) {
        auto tb = weight_bytes(table, wtype);
        std::vector<float> got(7 * 16), want(7 * 16, 0.0f);
        auto kernel = wtype == 0 ? gpu::vv_embedding_f32 : wtype == 1 ? gpu::vv_embedding_bf16 : gpu::vv_embedding_f16;
        vv_launch(kernel, 2u, 64u, (const void *)tb.data(), (const int *)ids, got.data(), 7, 16, 50);
        for (int r = 0; r < 5; r++) vv_convert_to_f32(0, wtype, tb.data() + ids[r] * 16 * (wtype == 0 ? 4 : 2), want.data() + r * 16, 16);
        check(std::string("embedding ") + type_name(wtype) + " (ids 50 and -1 give zeros)", got, want, 0);
    }
    for (int n : {64, 1000})
        for (int weighted = 0; weighted < 2; weighted++) {
            auto x = random_values(6 * n, 3), g = random_values(n);
            std::vector<float> got(6 * n), want(6 * n);
            vv_launch(gpu::vv_rms_norm_f32, 4u, 256u, x.data(), weighted ? g.data() : nullptr, got.data(), 6, n, 1e-6f);
            vv_rms_norm_f32(0, x.data(), weighted ? g.data() : nullptr, want.data(), 6, n, 1e-6f);
            check("rmsNorm n=" + std::to_string(n) + (weighted ? " weighted" : " no weight"), got, want, 1e-6f);
        }
    auto x = random_values(6 * 64, 3);
    int positions[] = {0, 1, 700, 8191, 2, 40};
    std::vector<float> got(6 * 64), want(6 * 64);
    vv_launch(gpu::vv_rope_f32, 1u, 64u, x.data(), (const int *)positions, got.data(), 6, 2, 32, 1000000.0f);
    vv_rope_f32(x.data(), positions, want.data(), 6, 2, 32, 1000000.0);
    check("rope 6x2x32, positions up to 8191", got, want, 1e-6f);
}

void attention_cases() {
    const int batch = 2, tokens = 3, heads = 4, kvh = 2, capacity = 300;
    int positions[] = {250, 251, 252, 7, 8, 9};
    for (int d : {64, 128})
        for (int wtype = 0; wtype < 3; wtype++)
            for (int head_major = 0; head_major < 2; head_major++) {
                int es = wtype == 0 ? 4 : 2;
                size_t cache_n = (size_t)batch * kvh * capacity * d;
                auto keys = weight_bytes(random_values(cache_n, 2), wtype), values = weight_bytes(random_values(cache_n), wtype);
                auto fresh = random_values(batch * tokens * kvh * d, 2), q = random_values(batch * tokens * heads * d);
                auto gpu_keys = keys, cpu_keys = keys;
                auto write = wtype == 0 ? gpu::vv_write_kv_f32 : wtype == 1 ? gpu::vv_write_kv_bf16 : gpu::vv_write_kv_f16;
                vv_launch(write, 3u, 128u, (void *)gpu_keys.data(), (const float *)fresh.data(), (const int *)positions, batch, tokens, kvh, d, capacity, head_major);
                for (int b = 0; b < batch; b++)
                    for (int h = 0; h < kvh; h++)
                        for (int t = 0; t < tokens; t++) {
                            size_t to = (((size_t)b * kvh + h) * capacity + positions[b * tokens + t]) * d;
                            size_t from = head_major ? (((size_t)b * kvh + h) * tokens + t) * d : (((size_t)b * tokens + t) * kvh + h) * d;
                            if (wtype == 0) std::memcpy(cpu_keys.data() + to * 4, fresh.data() + from, d * 4);
                            else vv_convert_from_f32(wtype, fresh.data() + from, (uint16_t *)(cpu_keys.data() + to * 2), d);
                        }
                std::vector<float> gk(cache_n), ck(cache_n);
                vv_convert_to_f32(0, wtype, gpu_keys.data(), gk.data(), cache_n);
                vv_convert_to_f32(0, wtype, cpu_keys.data(), ck.data(), cache_n);
                std::string label = std::string(type_name(wtype)) + " d" + std::to_string(d) + (head_major ? " head-major" : "");
                check("writeKV " + label, gk, ck, 0);
                std::vector<float> got(q.size()), want(q.size()), scratch(heads * capacity);
                float scale = 1.0f / std::sqrt((float)d);
                auto attend = wtype == 0 ? gpu::vv_attention_f32 : wtype == 1 ? gpu::vv_attention_bf16 : gpu::vv_attention_f16;
                vv_launch(attend, 5u, 128u, (const float *)q.data(), (const void *)cpu_keys.data(), (const void *)values.data(), (const int *)positions, got.data(), batch, tokens, heads, kvh, d, capacity, scale);
                int group = heads / kvh;
                for (int b = 0; b < batch; b++)
                    for (int h = 0; h < kvh; h++)
                        for (int t = 0; t < tokens; t++) {
                            size_t base = ((size_t)b * kvh + h) * capacity * d * es;
                            size_t row = ((size_t)(b * tokens + t) * heads + h * group) * d;
                            vv_attention_group_f32(0, q.data() + row, group, cpu_keys.data() + base, values.data() + base, wtype,
                                                   positions[b * tokens + t] + 1, d, d, scale, scratch.data(), want.data() + row);
                        }
                check("attention " + label, got, want, 1e-5f);
            }
}

void elementwise_cases() {
    const int n = 4 * 24;
    auto a = random_values(n, 4), c = random_values(n), row = random_values(24), row2 = random_values(24);
    std::vector<float> got(n), want(n);
    vv_launch(gpu::vv_silu_mul_f32, 1u, 32u, a.data(), c.data(), got.data(), (long long)n);
    vv_silu_mul_f32(a.data(), c.data(), want.data(), n);
    check("siluMul", got, want, 1e-6f);
    for (int op = 0; op < 4; op++) {
        vv_launch(gpu::vv_unary_f32, 2u, 32u, op, a.data(), got.data(), (long long)n);
        vv_unary_f32(op, a.data(), want.data(), n);
        check("unary " + std::to_string(op), got, want, 1e-6f);
    }
    for (int op = 0; op < 2; op++)
        for (int broadcast = 0; broadcast < 2; broadcast++) {
            const float *b = broadcast ? row.data() : c.data();
            vv_launch(gpu::vv_binary_f32, 1u, 64u, op, a.data(), b, got.data(), 4, 24, broadcast ? 1 : 4);
            vv_binary_f32(op, a.data(), b, want.data(), 4, 24, broadcast ? 1 : 4);
            check(std::string(op ? "mul" : "add") + (broadcast ? " broadcast" : ""), got, want, 0);
        }
    vv_launch(gpu::vv_scale_f32, 1u, 32u, a.data(), -0.75f, got.data(), (long long)n);
    vv_scale_f32(a.data(), -0.75f, want.data(), n);
    check("scale", got, want, 0);
    vv_launch(gpu::vv_modulate_f32, 1u, 32u, a.data(), row.data(), row2.data(), got.data(), 4, 24, 1);
    vv_modulate_f32(a.data(), row.data(), row2.data(), want.data(), 4, 24, 1);
    check("modulate broadcast", got, want, 1e-6f);
    std::fill(got.begin(), got.end(), 0.0f);
    std::fill(want.begin(), want.end(), 0.0f);
    for (auto [coefficient, term] : {std::pair{0.3f, &a}, std::pair{-1.7f, &c}}) {
        vv_launch(gpu::vv_axpy_f32, 1u, 32u, coefficient, term->data(), got.data(), (long long)n);
        vv_axpy_f32(coefficient, term->data(), want.data(), n);
    }
    check("combine (axpy)", got, want, 1e-6f);
    float t[] = {999, 799, 600.5f, 0};
    for (int dim : {256, 7}) {
        std::vector<float> g(4 * dim), w(4 * dim);
        vv_launch(gpu::vv_timestep_embedding_f32, 3u, 64u, (const float *)t, g.data(), 4, dim, (float)(-std::log(10000.0)));
        vv_timestep_embedding_f32(t, w.data(), 4, dim, 10000.0);
        check("timestepEmbedding dim " + std::to_string(dim), g, w, 1e-6f);
    }
    auto logits = random_values(5 * 300, 5);
    logits[4 * 300 + 17] = NAN;
    logits[4 * 300 + 200] = NAN;
    logits[3 * 300 + 10] = 9;
    logits[3 * 300 + 250] = 9;
    int allowed[] = {250, 10, 299, 5};
    for (int with_allowed = 0; with_allowed < 2; with_allowed++) {
        std::vector<int> ids(5);
        vv_launch(gpu::vv_argmax_f32, 2u, 256u, logits.data(), with_allowed ? (const int *)allowed : (const int *)nullptr, with_allowed ? 4 : 0, ids.data(), 5, 300);
        std::vector<float> g(5), w(5);
        for (int r = 0; r < 5; r++) {
            g[r] = (float)ids[r];
            w[r] = (float)vv_argmax_f32(logits.data() + r * 300, 300, with_allowed ? allowed : nullptr, with_allowed ? 4 : 0);
        }
        check(std::string("argmax") + (with_allowed ? " allowed" : "") + " (ties, NaNs)", g, w, 0);
    }
}

void conv_and_layout_cases() {
    const int batch = 2, cin = 6, time = 30;
    auto x = random_values(batch * cin * time);
    struct Conv { int cout, kernel, stride, dilation, groups, wtype; };
    for (Conv c : {Conv{4, 5, 2, 2, 2, 1}, Conv{5, 4, 3, 2, 1, 1}, Conv{6, 7, 1, 1, 6, 2}, Conv{8, 3, 1, 1, 1, 0}}) {
        int out_time = (time - c.dilation * (c.kernel - 1) - 1) / c.stride + 1;
        auto w = weight_bytes(random_values(c.cout * (cin / c.groups) * c.kernel), c.wtype);
        auto bias = random_values(c.cout);
        std::vector<float> got(batch * c.cout * out_time), want(got.size());
        auto kernel = c.wtype == 0 ? gpu::vv_conv1d_f32 : c.wtype == 1 ? gpu::vv_conv1d_bf16 : gpu::vv_conv1d_f16;
        vv_launch(kernel, 2u, 64u, x.data(), (const void *)w.data(), bias.data(), got.data(), batch, cin, time, c.cout, c.kernel, out_time, c.stride, c.dilation, c.groups);
        vv_conv1d_f32(c.wtype, x.data(), w.data(), bias.data(), want.data(), cin, time, c.cout, c.kernel, out_time, c.stride, c.dilation, c.groups, 0, batch * c.cout);
        check("conv1d " + std::string(type_name(c.wtype)) + " cout " + std::to_string(c.cout) + " k" + std::to_string(c.kernel) + " s" + std::to_string(c.stride) + " d" + std::to_string(c.dilation) + " g" + std::to_string(c.groups), got, want, 1e-6f);
    }
    struct Up { int cout, kernel, stride, groups, wtype; };
    for (Up u : {Up{5, 8, 4, 1, 1}, Up{4, 8, 4, 2, 0}, Up{6, 3, 5, 3, 2}}) {
        int out_time = (time - 1) * u.stride + u.kernel;
        auto w = weight_bytes(random_values(cin * (u.cout / u.groups) * u.kernel), u.wtype);
        auto bias = random_values(u.cout);
        std::vector<float> got(batch * u.cout * out_time), want(got.size());
        auto kernel = u.wtype == 0 ? gpu::vv_conv_transpose1d_f32 : u.wtype == 1 ? gpu::vv_conv_transpose1d_bf16 : gpu::vv_conv_transpose1d_f16;
        vv_launch(kernel, 3u, 64u, x.data(), (const void *)w.data(), bias.data(), got.data(), batch, cin, time, u.cout, u.kernel, u.stride, u.groups);
        vv_conv_transpose1d_f32(u.wtype, x.data(), w.data(), bias.data(), want.data(), cin, time, u.cout, u.kernel, u.stride, u.groups, 0, batch * u.cout);
        check("convTranspose1d " + std::string(type_name(u.wtype)) + " k" + std::to_string(u.kernel) + " s" + std::to_string(u.stride) + " g" + std::to_string(u.groups), got, want, 1e-6f);
    }
    std::vector<float> special = {0.0f, -0.0f, 1.0f, 65504.0f, 65520.0f, 1e-7f, 6e-8f, 3e-8f, 1e30f, INFINITY, -INFINITY, 1.00390625f, 1.01171875f, -2.5e-5f};
    auto values = random_values(200, 100);
    values.insert(values.end(), special.begin(), special.end());
    for (int wtype = 1; wtype < 3; wtype++) {
        std::vector<unsigned short> g(values.size());
        auto down = wtype == 1 ? gpu::vv_convert_f32_to_bf16 : gpu::vv_convert_f32_to_f16;
        vv_launch(down, 1u, 64u, (const float *)values.data(), g.data(), (long long)values.size());
        auto want = weight_bytes(values, wtype);
        std::vector<float> gf(values.size()), wf(values.size()), back(values.size());
        vv_convert_to_f32(0, wtype, g.data(), gf.data(), values.size());
        vv_convert_to_f32(0, wtype, want.data(), wf.data(), values.size());
        check(std::string("convert f32 to ") + type_name(wtype) + " (overflow, subnormals, ties)", gf, wf, 0);
        auto up = wtype == 1 ? gpu::vv_convert_bf16_to_f32 : gpu::vv_convert_f16_to_f32;
        vv_launch(up, 2u, 32u, (const unsigned short *)want.data(), back.data(), (long long)values.size());
        check(std::string("convert ") + type_name(wtype) + " to f32", back, wf, 0);
    }
    /* concat along the last axis of [2, 3, 5] and [2, 3, 4] as bytes, then transpose [2, 3, 9]. */
    auto p = random_values(2 * 3 * 5), q = random_values(2 * 3 * 4);
    std::vector<float> got(2 * 3 * 9), want(2 * 3 * 9);
    vv_launch(gpu::vv_copy_2d_u16, 1u, 32u, (unsigned short *)got.data(), 18ll, (const unsigned short *)p.data(), 10ll, 10ll, 6ll);
    vv_launch(gpu::vv_copy_2d_u16, 2u, 32u, (unsigned short *)(got.data() + 5), 18ll, (const unsigned short *)q.data(), 8ll, 8ll, 6ll);
    for (int r = 0; r < 6; r++) {
        std::copy(p.begin() + r * 5, p.begin() + r * 5 + 5, want.begin() + r * 9);
        std::copy(q.begin() + r * 4, q.begin() + r * 4 + 4, want.begin() + r * 9 + 5);
    }
    check("concat (copy_2d)", got, want, 0);
    std::vector<float> tg(got.size()), tw(got.size());
    vv_launch(gpu::vv_transpose_f32, 1u, 32u, (const float *)want.data(), tg.data(), 2, 3, 9);
    vv_transpose_batched_f32(want.data(), tw.data(), 2, 3, 9);
    check("transpose 2x3x9", tg, tw, 0);
}
}  // namespace

int main() {
    linear_cases();
    embedding_and_norm_cases();
    attention_cases();
    elementwise_cases();
    conv_and_layout_cases();
    std::printf("%d/%d emulated kernel cases match the CPU kernels\n", cases - failures, cases);
    return failures ? 1 : 0;
}
