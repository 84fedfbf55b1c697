// The floor for `bench/run op-overhead`: the same tiny op looped inside the shim, so the managed
// API's cost can be reported as (managed time − libtorch's own time).
#include "shim.h"

#include <chrono>

// Runs `iterations` of `a + b`, releasing each result, and returns the elapsed nanoseconds.
CMP_API int64_t cmp_bench_add_loop(Handle a, Handle b, int64_t iterations) {
  try {
    cmp::Borrowed yb(b);
    const at::Tensor& y = *yb;
    cmp::Borrowed xb(a);
    const at::Tensor& xs = *xb;
    auto start = std::chrono::steady_clock::now();
    for (int64_t i = 0; i < iterations; ++i) {
      at::Tensor c = at::add(xs, y);
    }
    auto stop = std::chrono::steady_clock::now();
    return std::chrono::duration_cast<std::chrono::nanoseconds>(stop - start).count();
  } catch (const std::exception& e) {
    cmp::set_error(e.what());
    return -1;
  }
}
