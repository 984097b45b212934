// autograd.h: the one header a program needs from autograd/. It includes every op family, so any binary
// that includes it carries the whole op registry (the gradient checks count on that).
//
// The folder: tensor.h, var.h, tape.h and registry.h are the engine; ops/ holds every op as math, a check, the
// forward pass and a backward closure. backend/ is the speed machinery behind a few names the ops call: gemm
// (blas.h), sparse_gemm for a mostly-zero operand (sparse.h), parallel_for over one thread pool (parallel.h),
// fast_exp and fast_log1p_unit (fast_math.h) and the allocator's settings (memory.h). `make REFERENCE=1` builds
// the same names as plain loops, one thread, no sparse path and libm, and passes the same gradient checks.
//
// Shape letters used in comments throughout: B batch, D input features (784 for MNIST), H hidden units,
// Z latent dimension, K classes or importance samples.
// Read next: tape.h (how recording works), then any ops/ header (what an op looks like); print.h prints Tensors and Vars.
#pragma once
#include "autograd/backend/blas.h"
#include "autograd/ops/elementwise.h"
#include "autograd/ops/gaussian.h"
#include "autograd/ops/losses.h"
#include "autograd/ops/matmul.h"
#include "autograd/ops/reduce.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/ops/unary.h"
#include "autograd/print.h"
#include "autograd/registry.h"
#include "autograd/rng.h"
#include "autograd/tape.h"
#include "autograd/tensor.h"
#include "autograd/var.h"
