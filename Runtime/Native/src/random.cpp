// Random-number generator control: manual_seed, get_rng_state / set_rng_state.
//
// Everything goes through at::globalContext().defaultGenerator(device), which reaches the CUDA
// generators through ATen's CUDA hooks, so this file needs no CUDA headers and builds the same
// against CPU-only and CUDA libtorch. Every access holds the generator's mutex, as ATen's own
// samplers do (Note [Acquire lock when using random generators]).
#include "shim.h"

#include <mutex>

namespace {

int64_t cuda_devices() {
  // A CUDA build on a machine without GPUs reports 0; seeding a missing device would fail.
  return at::hasCUDA() ? at::detail::getCUDAHooks().getNumGPUs() : 0;
}

at::Generator generator(int32_t device_type, int32_t device_index) {
  auto device = cmp::device(device_type, device_index);
  if (device.is_cuda()) {
    TORCH_CHECK(at::hasCUDA(), "cannot reach the random generator of ", device,
                ": this libtorch was built without CUDA or no GPU is visible");
    TORCH_CHECK(device.index() < cuda_devices(), "cannot reach the random generator of ", device, ": only ",
                cuda_devices(), " CUDA device(s) are visible");
  }
  // A copy shares the generator (Generator is a reference-counted handle to its implementation).
  return at::globalContext().defaultGenerator(device);
}

}  // namespace

// Seeds the CPU generator and the generator of every visible CUDA device, like torch.manual_seed.
CMP_API int32_t cmp_manual_seed(uint64_t seed) {
  return cmp::guard_status([&] {
    {
      auto cpu = at::detail::getDefaultCPUGenerator();
      std::lock_guard<std::mutex> lock(cpu.mutex());
      cpu.set_current_seed(seed);
    }
    for (int64_t i = 0, n = cuda_devices(); i < n; ++i) {
      auto gen = at::globalContext().defaultGenerator(at::Device(at::kCUDA, static_cast<c10::DeviceIndex>(i)));
      std::lock_guard<std::mutex> lock(gen.mutex());
      gen.set_current_seed(seed);
    }
  });
}

// The generator's full state as a uint8 CPU tensor (torch.get_rng_state / torch.cuda.get_rng_state).
CMP_API Handle cmp_get_rng_state(int32_t device_type, int32_t device_index) {
  return cmp::guard([&] {
    auto gen = generator(device_type, device_index);
    std::lock_guard<std::mutex> lock(gen.mutex());
    return gen.get_state();
  });
}

// Restores a state captured by cmp_get_rng_state; libtorch checks its dtype and size.
CMP_API int32_t cmp_set_rng_state(int32_t device_type, int32_t device_index, Handle state) {
  return cmp::guard_status([&] {
    auto gen = generator(device_type, device_index);
    std::lock_guard<std::mutex> lock(gen.mutex());
    gen.set_state(cmp::Borrowed(state));
  });
}
