// Errors, handle lifetime, live-tensor accounting and runtime facts (version, threads, devices).
#include "shim.h"

#include <ATen/Parallel.h>
#include <ATen/core/grad_mode.h>

namespace cmp {
std::atomic<int64_t> live_tensors{0};
thread_local std::string last_error;
void set_error(const char* message) { last_error = message ? message : "unknown native error"; }
}  // namespace cmp

// The message of the last failure on this thread, or null when there is none.
CMP_API const char* cmp_last_error() { return cmp::last_error.empty() ? nullptr : cmp::last_error.c_str(); }
CMP_API void cmp_clear_error() { cmp::last_error.clear(); }

CMP_API int64_t cmp_live_tensors() { return cmp::live_tensors.load(std::memory_order_relaxed); }

CMP_API void cmp_tensor_free(Handle h) {
  if (h == nullptr) return;
  cmp::live_tensors.fetch_sub(1, std::memory_order_relaxed);
  // Reclaiming and dropping releases the reference the managed side owned.
  auto owned = c10::intrusive_ptr<at::TensorImpl, at::UndefinedTensorImpl>::reclaim(h);
}

// A second owner of the same tensor (same storage, same autograd identity).
CMP_API Handle cmp_tensor_share(Handle h) {
  return cmp::guard([&] { return at::Tensor(*cmp::Borrowed(h)); });
}

CMP_API int32_t cmp_torch_version() { return TORCH_VERSION_MAJOR * 10000 + TORCH_VERSION_MINOR * 100 + TORCH_VERSION_PATCH; }

CMP_API int32_t cmp_get_num_threads() { return at::get_num_threads(); }
CMP_API int32_t cmp_set_num_threads(int32_t n) {
  return cmp::guard_status([&] { at::set_num_threads(n); });
}

CMP_API int32_t cmp_cuda_is_available() {
  try { return at::hasCUDA() ? 1 : 0; } catch (...) { return 0; }
}
CMP_API int32_t cmp_cuda_device_count() {
  try { return at::hasCUDA() ? static_cast<int32_t>(at::detail::getCUDAHooks().getNumGPUs()) : 0; } catch (...) { return 0; }
}
CMP_API int32_t cmp_cuda_synchronize(int32_t index) {
  return cmp::guard_status([&] {
    if (at::hasCUDA()) at::detail::getCUDAHooks().deviceSynchronize(index);
  });
}

CMP_API int32_t cmp_grad_enabled() { return at::GradMode::is_enabled() ? 1 : 0; }
CMP_API void cmp_set_grad_enabled(int32_t enabled) { at::GradMode::set_enabled(enabled != 0); }
