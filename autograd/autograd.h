// autograd.h: the one header a program needs from autograd/. It includes every op family, so any binary
// that includes it carries the whole op registry (the gradient checks count on that).
//
// Shape letters used in comments throughout: B batch, D input features (784 for MNIST), H hidden units,
// Z latent dimension, K classes or importance samples.
// Read next: tape.h (how recording works), then any ops/ header (what an op looks like).
#pragma once
#include "autograd/blas.h"
#include "autograd/ops/elementwise.h"
#include "autograd/ops/gaussian.h"
#include "autograd/ops/losses.h"
#include "autograd/ops/matmul.h"
#include "autograd/ops/reduce.h"
#include "autograd/ops/shape_ops.h"
#include "autograd/ops/unary.h"
#include "autograd/registry.h"
#include "autograd/rng.h"
#include "autograd/tape.h"
#include "autograd/tensor.h"
#include "autograd/var.h"
