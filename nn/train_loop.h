// train_loop.h: the one training loop every model here uses. An epoch is a number of steps; each step opens a
// tape, asks the caller for the loss of its next batch, refuses a loss that is not a finite number (naming what
// was training, the epoch, the step and the last finite loss), runs backward, updates the parameters and clears
// their gradients, and redraws the progress line. What a batch is (images, labels, noise, a labelled and an
// unlabelled half) is the caller's: it lives in the `batch_loss` function, so the loop stays this one page.
// Read next: ../models/vae_training.cpp (the VAE's batches), ../experiments/mnist_mlp.cpp (a classifier's).
#pragma once
#include <cmath>
#include <functional>
#include <stdexcept>
#include <string>

#include <fmt/format.h>

#include "autograd/autograd.h"
#include "io/progress.h"
#include "optim/optimizer.h"

namespace tg::nn {

struct BatchLoss {
  Var<float> loss;       // the scalar the optimizer minimises (a mean over the batch)
  int64_t examples = 0;  // how many examples it averaged, for the epoch's mean and the progress line
};

struct EpochLoss {
  double per_example = 0;  // the epoch's mean loss, each step weighted by its examples
  double per_step = 0;     // the plain mean over steps
  int64_t steps = 0;
};

/// Runs `steps` optimisation steps; batch_loss(step) builds step `step`'s loss on the tape this loop opened.
inline EpochLoss train_epoch(optim::Optimizer& optimizer, int64_t steps, const std::function<BatchLoss(int64_t)>& batch_loss,
                             const std::string& what, int epoch, io::Progress* progress = nullptr) {
  EpochLoss e;
  double weighted = 0, plain = 0, last_finite = NAN;
  int64_t examples = 0;
  for (int64_t step = 0; step < steps; ++step) {
    Tape<float> tape;
    const BatchLoss b = batch_loss(step);
    const float loss = b.loss.item();
    if (!std::isfinite(loss))  // stop here: the parameters are still those of the last finite step
      throw std::runtime_error(fmt::format("{}: non-finite loss ({}) at epoch {}, step {}; the last finite loss was {}",
                                           what, loss, epoch, step, last_finite));
    tape.backward(b.loss);
    optimizer.step();
    optimizer.zero_grad();
    last_finite = loss;
    weighted += double(loss) * double(b.examples);
    plain += loss;
    examples += b.examples;
    if (progress) progress->batch_done(b.examples, loss);
  }
  e.steps = steps;
  e.per_example = examples > 0 ? weighted / double(examples) : NAN;
  e.per_step = steps > 0 ? plain / double(steps) : NAN;
  return e;
}

/// The number of steps of batch size `batch` over n examples (the last one may be smaller).
inline int64_t steps_for(int64_t n, int64_t batch) { return (n + batch - 1) / batch; }

}  // namespace tg::nn
