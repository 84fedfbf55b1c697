// Factories: zeros, ones, empty, full, arange, rand, randn, randint.
#include "shim.h"

#define CMP_SHAPED_FACTORY(name, expr)                                                                      \
  CMP_API Handle cmp_##name(const int64_t* dims, int32_t ndim, int32_t dtype, int32_t device_type,          \
                            int32_t device_index, int32_t requires_grad) {                                  \
    return cmp::guard([&] {                                                                                 \
      auto shape = cmp::ints(dims, ndim);                                                                   \
      auto opts = cmp::options(dtype, device_type, device_index);                                           \
      auto t = (expr);                                                                                      \
      if (requires_grad) t.requires_grad_(true);                                                            \
      return t;                                                                                             \
    });                                                                                                     \
  }

CMP_SHAPED_FACTORY(zeros, at::zeros(shape, opts))
CMP_SHAPED_FACTORY(ones, at::ones(shape, opts))
CMP_SHAPED_FACTORY(empty, at::empty(shape, opts))
CMP_SHAPED_FACTORY(rand, at::rand(shape, opts))
CMP_SHAPED_FACTORY(randn, at::randn(shape, opts))

CMP_API Handle cmp_full(const int64_t* dims, int32_t ndim, cmp_scalar value, int32_t dtype, int32_t device_type,
                        int32_t device_index, int32_t requires_grad) {
  return cmp::guard([&] {
    auto t = at::full(cmp::ints(dims, ndim), cmp::scalar(value), cmp::options(dtype, device_type, device_index));
    if (requires_grad) t.requires_grad_(true);
    return t;
  });
}

CMP_API Handle cmp_randint(int64_t low, int64_t high, const int64_t* dims, int32_t ndim, int32_t dtype,
                           int32_t device_type, int32_t device_index) {
  return cmp::guard([&] {
    return at::randint(low, high, cmp::ints(dims, ndim), cmp::options(dtype, device_type, device_index));
  });
}

CMP_API Handle cmp_arange(cmp_scalar start, cmp_scalar end, cmp_scalar step, int32_t dtype, int32_t device_type,
                          int32_t device_index) {
  return cmp::guard([&] {
    return at::arange(cmp::scalar(start), cmp::scalar(end), cmp::scalar(step), cmp::options(dtype, device_type, device_index));
  });
}
