// Shared plumbing for every export of Composer's native shim.
//
// Contract with the managed side (Runtime/Native/NativeMethods*.cs):
//  * A tensor crosses the boundary as an opaque handle: an owning TensorImpl* (one reference).
//    Ownership passes to the managed side, which returns it exactly once via cmp_tensor_free.
//  * No C++ exception ever crosses the boundary. Every export catches, parks the message in a
//    thread-local slot and returns a failure value (a null handle, or -1); the managed side then
//    reads cmp_last_error() and throws.
//  * Every handle handed out is counted, so tests can prove a loop leaks nothing.
#pragma once

#include <ATen/ATen.h>
#include <torch/version.h>

#include <atomic>
#include <cstdint>
#include <string>

#define CMP_API extern "C" __attribute__((visibility("default")))

// Guards for APIs that differ between libtorch 1.13 (Debian) and 2.x (PyTorch wheels).
#define CMP_TORCH_AT_LEAST(major, minor) \
  (TORCH_VERSION_MAJOR > (major) || (TORCH_VERSION_MAJOR == (major) && TORCH_VERSION_MINOR >= (minor)))

using Handle = at::TensorImpl*;

// A scalar operand as the managed side passes it (by value, blittable).
// kind: 0 = floating (d), 1 = integral (i), 2 = boolean (i != 0).
struct cmp_scalar {
  double d;
  int64_t i;
  int32_t kind;
};

namespace cmp {

extern std::atomic<int64_t> live_tensors;
void set_error(const char* message);

// Hands a result to the managed side: releases one reference into a raw handle.
inline Handle give(at::Tensor&& t) {
  if (!t.defined()) return nullptr;
  live_tensors.fetch_add(1, std::memory_order_relaxed);
  return t.unsafeReleaseTensorImpl();
}

// Views a managed handle as an at::Tensor without touching its reference count.
class Borrowed {
 public:
  explicit Borrowed(Handle h)
      : t_(c10::intrusive_ptr<at::TensorImpl, at::UndefinedTensorImpl>::reclaim(h)) {}
  ~Borrowed() { (void)t_.unsafeReleaseTensorImpl(); }
  Borrowed(const Borrowed&) = delete;
  Borrowed& operator=(const Borrowed&) = delete;
  operator const at::Tensor&() const { return t_; }
  const at::Tensor& operator*() const { return t_; }
  const at::Tensor* operator->() const { return &t_; }

 private:
  at::Tensor t_;
};

// An optional tensor argument: a null handle means "none".
inline c10::optional<at::Tensor> optional_tensor(Handle h) {
  if (h == nullptr) return c10::nullopt;
  Borrowed b(h);
  return *b;  // copies (one more reference) so the optional owns its value
}

inline at::Scalar scalar(cmp_scalar s) {
  switch (s.kind) {
    case 1: return at::Scalar(s.i);
    case 2: return at::Scalar(s.i != 0);
    default: return at::Scalar(s.d);
  }
}

inline at::IntArrayRef ints(const int64_t* values, int32_t count) {
  return at::IntArrayRef(values, static_cast<size_t>(count));
}

inline at::Device device(int32_t type, int32_t index) {
  return at::Device(static_cast<at::DeviceType>(type), static_cast<c10::DeviceIndex>(index));
}

inline at::TensorOptions options(int32_t dtype, int32_t device_type, int32_t device_index) {
  return at::TensorOptions().dtype(static_cast<at::ScalarType>(dtype)).device(device(device_type, device_index));
}

// Runs `body`, which returns an at::Tensor, and hands its result over; on any exception parks the
// message and returns a null handle.
template <class F>
inline Handle guard(F&& body) noexcept {
  try {
    return give(body());
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown native error in libtorch");
  }
  return nullptr;
}

// Runs `body`, which returns nothing; 0 on success, -1 with the message parked on failure.
template <class F>
inline int32_t guard_status(F&& body) noexcept {
  try {
    body();
    return 0;
  } catch (const c10::Error& e) {
    set_error(e.what_without_backtrace());
  } catch (const std::exception& e) {
    set_error(e.what());
  } catch (...) {
    set_error("unknown native error in libtorch");
  }
  return -1;
}

// Writes a list of results into a caller-provided buffer; returns the count, or -1 when the buffer
// is too small (nothing is handed out then, so nothing leaks).
inline int32_t give_all(std::vector<at::Tensor>&& results, Handle* out, int32_t capacity) {
  if (static_cast<int64_t>(results.size()) > capacity) {
    set_error("internal: result buffer too small for the number of tensors returned");
    return -1;
  }
  for (size_t i = 0; i < results.size(); ++i) out[i] = give(std::move(results[i]));
  return static_cast<int32_t>(results.size());
}

inline std::vector<at::Tensor> tensor_list(const Handle* handles, int32_t count) {
  std::vector<at::Tensor> list;
  list.reserve(static_cast<size_t>(count));
  for (int32_t i = 0; i < count; ++i) {
    Borrowed b(handles[i]);
    list.push_back(*b);
  }
  return list;
}

}  // namespace cmp
