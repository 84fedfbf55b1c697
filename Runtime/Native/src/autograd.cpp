// Autograd: requires_grad, backward, .grad, detach.
#include "shim.h"

using cmp::Borrowed;

CMP_API int32_t cmp_requires_grad_(Handle h, int32_t requires) {
  return cmp::guard_status([&] { Borrowed(h)->requires_grad_(requires != 0); });
}

// grad_output may be null for a scalar output (it then defaults to 1).
CMP_API int32_t cmp_backward(Handle h, Handle grad_output, int32_t retain_graph) {
  return cmp::guard_status([&] {
    auto gradient = grad_output ? *Borrowed(grad_output) : at::Tensor();
    Borrowed(h)->backward(gradient, retain_graph != 0, false);
  });
}

// The accumulated gradient, or null with no error when there is none yet.
CMP_API Handle cmp_grad(Handle h) {
  return cmp::guard([&] { return Borrowed(h)->grad(); });
}

// Drops the gradient (set_to_none), the cheapest way to zero it before the next backward.
CMP_API int32_t cmp_clear_grad(Handle h) {
  return cmp::guard_status([&] { Borrowed(h)->mutable_grad() = at::Tensor(); });
}

// Zeroes the gradient in place, keeping its memory.
CMP_API int32_t cmp_zero_grad(Handle h) {
  return cmp::guard_status([&] {
    auto& g = Borrowed(h)->mutable_grad();
    if (g.defined()) {
      g.detach_();
      g.zero_();
    }
  });
}

CMP_API Handle cmp_detach(Handle h) { return cmp::guard([&] { return Borrowed(h)->detach(); }); }
CMP_API int32_t cmp_detach_(Handle h) { return cmp::guard_status([&] { Borrowed(h)->detach_(); }); }
