// Queries about a tensor (shape, dtype, device, flags) and copying data in and out.
// Queries never fail on a live handle, so they skip the exception guard.
#include "shim.h"

#include <cstring>

using cmp::Borrowed;

CMP_API int32_t cmp_dim(Handle h) { return static_cast<int32_t>(h->dim()); }
CMP_API int64_t cmp_numel(Handle h) { return h->numel(); }
CMP_API void cmp_shape(Handle h, int64_t* out) {
  auto sizes = h->sizes();
  std::memcpy(out, sizes.data(), sizes.size() * sizeof(int64_t));
}
CMP_API int64_t cmp_size(Handle h, int32_t dim) { return h->size(dim); }
CMP_API int32_t cmp_dtype(Handle h) { return static_cast<int32_t>(c10::typeMetaToScalarType(h->dtype())); }
CMP_API int32_t cmp_device_type(Handle h) { return static_cast<int32_t>(h->device_type()); }
CMP_API int32_t cmp_device_index(Handle h) { return h->device().has_index() ? h->device().index() : -1; }
CMP_API int32_t cmp_is_contiguous(Handle h) { return h->is_contiguous() ? 1 : 0; }
CMP_API int32_t cmp_requires_grad(Handle h) { return h->requires_grad() ? 1 : 0; }
CMP_API int32_t cmp_is_leaf(Handle h) { return Borrowed(h)->is_leaf() ? 1 : 0; }

// Creates a tensor holding a copy of `data` (element type `dtype`, row-major `dims`).
CMP_API Handle cmp_from_data(const void* data, int64_t byte_count, int32_t dtype, const int64_t* dims, int32_t ndim,
                             int32_t device_type, int32_t device_index) {
  return cmp::guard([&] {
    auto cpu = at::empty(cmp::ints(dims, ndim), at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)));
    TORCH_CHECK(static_cast<int64_t>(cpu.nbytes()) == byte_count, "the data holds ", byte_count,
                " bytes but a tensor of shape ", cpu.sizes(), " and dtype ", cpu.scalar_type(), " needs ", cpu.nbytes());
    if (byte_count > 0) std::memcpy(cpu.data_ptr(), data, static_cast<size_t>(byte_count));
    auto target = cmp::device(device_type, device_index);
    return target.is_cpu() ? cpu : cpu.to(target);
  });
}

// Copies the tensor's elements (row-major, any device, any layout) into `dst`.
CMP_API int32_t cmp_copy_to(Handle h, void* dst, int64_t byte_count) {
  return cmp::guard_status([&] {
    Borrowed t(h);
    auto cpu = t->detach().to(at::kCPU).contiguous();
    TORCH_CHECK(static_cast<int64_t>(cpu.nbytes()) == byte_count, "the destination holds ", byte_count,
                " bytes but the tensor has ", cpu.nbytes());
    if (byte_count > 0) std::memcpy(dst, cpu.data_ptr(), static_cast<size_t>(byte_count));
  });
}

// The value of a one-element tensor as double (floating/bool) or int64 (integral).
CMP_API int32_t cmp_item(Handle h, double* as_double, int64_t* as_long) {
  return cmp::guard_status([&] {
    auto s = Borrowed(h)->item();
    if (s.isIntegral(false)) {
      *as_long = s.toLong();
      *as_double = static_cast<double>(*as_long);
    } else if (s.isBoolean()) {
      *as_long = s.toBool() ? 1 : 0;
      *as_double = static_cast<double>(*as_long);
    } else {
      *as_double = s.toDouble();
      *as_long = static_cast<int64_t>(*as_double);
    }
  });
}

CMP_API Handle cmp_to(Handle h, int32_t dtype, int32_t device_type, int32_t device_index, int32_t non_blocking, int32_t copy) {
  return cmp::guard([&] {
    return Borrowed(h)->to(cmp::device(device_type, device_index), static_cast<at::ScalarType>(dtype), non_blocking != 0, copy != 0);
  });
}
