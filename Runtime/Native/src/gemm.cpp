// oneDNN's sgemm, resolved at run time (see gemm.h for why).
#include "gemm.h"
#include "shim.h"

#include <dlfcn.h>

#include <cstdlib>
#include <cstring>

namespace {

// oneDNN 2.x C API: row-major C = alpha · op(A) · op(B) + beta · C; returns dnnl_status_t (0 = success).
using SgemmFunction = int (*)(char transa, char transb, int64_t m, int64_t n, int64_t k, float alpha, const float* a,
                              int64_t lda, const float* b, int64_t ldb, float beta, float* c, int64_t ldc);

SgemmFunction resolve() {
  const char* setting = std::getenv("COMPOSER_GEMM");
  if (setting != nullptr && std::strcmp(setting, "aten") == 0) return nullptr;
  // libtorch_cpu loads libdnnl as a dependency, into the shim's local scope rather than the global
  // one, so ask for the already-loaded library by name before the global scope.
  for (const char* name : {"libdnnl.so.2", "libdnnl.so.3", "libdnnl.so"}) {
    if (void* library = dlopen(name, RTLD_NOW | RTLD_NOLOAD)) {
      if (void* symbol = dlsym(library, "dnnl_sgemm")) return reinterpret_cast<SgemmFunction>(symbol);
    }
  }
  return reinterpret_cast<SgemmFunction>(dlsym(RTLD_DEFAULT, "dnnl_sgemm"));
}

SgemmFunction sgemm_function() {
  static const SgemmFunction function = resolve();
  return function;
}

// How sgemm reads a (rows × cols) view: 'N' with leading dimension = row stride when rows are
// contiguous, 'T' with leading dimension = column stride when columns are (a transposed view).
struct Operand {
  at::Tensor storage;  // keeps a contiguous copy alive when the view had to be copied
  char trans;
  int64_t ld;
};

Operand operand(const at::Tensor& m) {
  const int64_t rows = m.size(0), cols = m.size(1);
  if (m.stride(1) == 1 && m.stride(0) >= std::max<int64_t>(1, cols)) return {m, 'N', m.stride(0)};
  if (m.stride(0) == 1 && m.stride(1) >= std::max<int64_t>(1, rows)) return {m, 'T', m.stride(1)};
  at::Tensor copy = m.contiguous();
  return {copy, 'N', std::max<int64_t>(1, cols)};
}

}  // namespace

namespace cmp {

bool fast_sgemm_available() { return sgemm_function() != nullptr; }

bool fast_sgemm_takes(const at::Tensor& t) {
  return t.device().is_cpu() && t.scalar_type() == at::kFloat && t.numel() > 0 && fast_sgemm_available();
}

bool fast_sgemm_applies(const at::Tensor& a, const at::Tensor& b) {
  return a.dim() == 2 && b.dim() == 2 && a.size(1) == b.size(0) && fast_sgemm_takes(a) && fast_sgemm_takes(b);
}

void fast_sgemm(const at::Tensor& a, const at::Tensor& b, at::Tensor& out, float beta) {
  TORCH_CHECK(out.is_contiguous() && out.size(0) == a.size(0) && out.size(1) == b.size(1),
              "internal: sgemm output must be a contiguous (", a.size(0), ", ", b.size(1), ") tensor");
  Operand left = operand(a), right = operand(b);
  const int status =
      sgemm_function()(left.trans, right.trans, a.size(0), b.size(1), a.size(1), 1.0f, left.storage.data_ptr<float>(),
                       left.ld, right.storage.data_ptr<float>(), right.ld, beta, out.data_ptr<float>(),
                       std::max<int64_t>(1, out.size(1)));
  TORCH_CHECK(status == 0, "oneDNN sgemm failed with status ", status, " on (", a.size(0), " × ", a.size(1), ") · (",
              b.size(0), " × ", b.size(1), "); set COMPOSER_GEMM=aten to use libtorch's products instead");
}

at::Tensor mm(const at::Tensor& a, const at::Tensor& b) {
  if (!fast_sgemm_applies(a, b)) return at::mm(a, b);
  at::Tensor out = at::empty({a.size(0), b.size(1)}, a.options());
  fast_sgemm(a, b, out, 0.0f);
  return out;
}

}  // namespace cmp

// 1 when CPU float32 products go to oneDNN's sgemm, 0 when they stay on ATen (and its BLAS).
CMP_API int32_t cmp_fast_sgemm_available() { return cmp::fast_sgemm_available() ? 1 : 0; }
