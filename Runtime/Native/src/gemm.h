// Float32 matrix products on the CPU through oneDNN's sgemm, when the libtorch install has it.
//
// libtorch 1.13 without MKL sends CPU float32 matrix products to the system BLAS. Under the setting
// this project runs with (OpenBLAS on one thread, so that torch threads × BLAS threads stay within
// the cores), a product uses one core however many intra-op threads libtorch has, and OpenBLAS
// 0.3.21 serialises concurrent calls, so splitting a product across libtorch's threads gains
// nothing. oneDNN, which libtorch itself links for convolutions, has an sgemm that runs on
// libtorch's own OpenMP pool: on two cores it measured 3–3.7× faster than OpenBLAS on the shapes of
// Composer's layers (e.g. 2048 × 256 · 256 × 1024: 14.6 ms → 4.3 ms), and 8× on one-row products.
// The symbol is looked up at run time in the loaded libdnnl; an install that links oneDNN statically
// with hidden symbols (the PyTorch wheels) keeps ATen's products. COMPOSER_GEMM=aten turns it off.
#pragma once

#include <ATen/ATen.h>

namespace cmp {

// Whether oneDNN's sgemm was found (and not turned off by COMPOSER_GEMM=aten).
bool fast_sgemm_available();

// Whether a tensor can be an sgemm operand: CPU, float32, non-empty, and the library found.
bool fast_sgemm_takes(const at::Tensor& t);

// Whether a product of these operands can go to sgemm: CPU, float32, 2-D, non-empty, and the
// library found.
bool fast_sgemm_applies(const at::Tensor& a, const at::Tensor& b);

// out = a · b + beta · out for a (M × K) and b (K × N) views whose rows or columns are contiguous
// (transposed views cost nothing); out must be a contiguous (M × N) float32 tensor.
void fast_sgemm(const at::Tensor& a, const at::Tensor& b, at::Tensor& out, float beta);

// a · b through sgemm when it applies, at::mm otherwise.
at::Tensor mm(const at::Tensor& a, const at::Tensor& b);

}  // namespace cmp
