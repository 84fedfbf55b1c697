// Direct access to CPU tensor memory for checkpoint I/O: the managed side reads file bytes straight
// into a fresh tensor and writes a tensor's bytes straight to a file, with no staging copy between.
#include "shim.h"

using cmp::Borrowed;

// The same values as a contiguous CPU tensor detached from autograd. When the tensor already is one,
// the result shares its storage (no copy); otherwise this is the one copy a save needs.
CMP_API Handle cmp_contiguous_cpu(Handle h) {
  return cmp::guard([&] { return Borrowed(h)->detach().to(at::kCPU).contiguous(); });
}

// The address of the first element of a contiguous CPU tensor; null when it has no elements.
CMP_API int32_t cmp_data_ptr(Handle h, void** out) {
  return cmp::guard_status([&] {
    Borrowed t(h);
    TORCH_CHECK(t->device().is_cpu() && t->is_contiguous(), "direct data access needs a contiguous CPU tensor, got one on ",
                t->device(), t->is_contiguous() ? "" : " (not contiguous)");
    *out = t->numel() == 0 ? nullptr : t->data_ptr();
  });
}
