// vae_training.h: what every VAE experiment does with a model — train it for an epoch, and score a dataset
// (ELBO, importance-weighted log p(x), reconstruction log-likelihood, latent means) per example.
// experiments/vae.cpp (the study), anomaly.cpp and semisupervised.cpp all call these, so there is one copy.
// Read next: ../experiments/vae.cpp.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "datasets/batches.h"
#include "io/progress.h"
#include "models/vae.h"
#include "optim/optimizer.h"

namespace tg::models {

/// What one training step minimises for a batch x (B, D), drawing the noise it needs from the run's generator.
struct VaeLoss {
  Var<float> loss;                   // the batch's mean: what the optimizer minimises
  Tensor<float> reconstruction, kl;  // per example (B), in nats, where the objective has these terms (else empty)
};
struct VaeObjective {
  std::string model;  // what is training ("VAE", "autoencoder"), named in errors and progress lines
  std::function<VaeLoss(const Vae<float>& vae, const Tensor<float>& x, Rng& rng)> loss;
  bool loss_is_neg_elbo = true;  // false under KL warm-up: the epoch then reports reconstruction + KL, the true -ELBO
};
/// The ELBO with one sample per example (Vae::neg_elbo); kl_weight < 1 weights the KL term (KL warm-up).
VaeObjective elbo_objective(double kl_weight = 1);
/// Burda et al. (2015)'s importance-weighted bound with k samples per example (Vae::iwae_loss); no per-example terms.
VaeObjective iwae_objective(int64_t k);
/// The same network as a plain autoencoder: decode the posterior mean, no sampling, no KL (the anomaly
/// experiment's baseline "of the same size, trained the same way"). Its reconstruction is its whole loss.
VaeObjective autoencoder_objective();

/// How an epoch cuts the training set into batches.
struct VaeBatches {
  int64_t size = 512;
  data::Binarize binarize = data::Binarize::None;  // Dynamic: a fresh Bernoulli draw of every batch
};

struct VaeEpoch {
  double neg_elbo = 0, reconstruction = 0, kl = 0;  // means per example over the epoch, in nats
};

/// One pass over `train` in an order shuffled by rng, through nn/train_loop.h (one step per batch). neg_elbo is the
/// epoch's mean loss (the -ELBO, the IWAE bound's negative, or the autoencoder's reconstruction loss), or
/// reconstruction + KL where the loss is not the -ELBO. Throws std::runtime_error naming the epoch and step if the
/// loss is not finite (the caller keeps its last good checkpoint, written only after an epoch succeeds).
VaeEpoch train_vae_epoch(const Vae<float>& vae, optim::Optimizer& opt, const data::Dataset& train, const VaeBatches& batches,
                         const VaeObjective& objective, Rng& rng, int epoch, io::Progress* progress = nullptr);

/// An & Cho (2015)'s reconstruction probability: mean over L samples z ~ q(z|x) of log p(x|z), per example.
std::vector<double> reconstruction_probability(const Vae<float>& vae, const data::Dataset& d, int64_t L, Rng& rng);

/// -log p(x | z = mu(x)) per example: the plain autoencoder's reconstruction error.
std::vector<double> autoencoder_error(const Vae<float>& vae, const data::Dataset& d);

struct VaeScores {
  std::vector<double> elbo;               // one-sample ELBO per example
  std::vector<double> log_px;             // importance-weighted log p(x) (empty when K = 0)
  std::vector<double> reconstruction_ll;  // log p(x|z) at one z ~ q(z|x)
  std::vector<double> kl;                 // KL(q(z|x) || p(z))
  Tensor<float> latent_mean;              // (N, Z): mu(x), for t-SNE and the one-class SVM
  Tensor<float> latent_logvar;            // (N, Z): log sigma^2(x), how sure the encoder is of each code
};

/// Scores every example of `d` as it stands (binarise the dataset first if the model was trained on
/// binary pixels). iw_samples = K for log p(x); 0 skips that (the costly part).
VaeScores score_vae(const Vae<float>& vae, const data::Dataset& d, int64_t iw_samples, Rng& rng);

/// Starts the decoder's output bias at the logit of each pixel's mean value over `train`, clipped to [0.001, 0.999],
/// so that the untrained decoder already draws the average image: the IWAE authors' initialisation (yburda/iwae,
/// datasets.py, get_train_bias_np).
void set_output_bias_to_data_mean(const Vae<float>& vae, const data::Dataset& train);

/// log p(x|z) per row of z (R, Z) for the Bernoulli decoder, where row r belongs to image x_rows[r / per_x].
Tensor<float> bernoulli_log_likelihood(const Vae<float>& vae, const Tensor<float>& z, const Tensor<float>& x,
                                       int64_t per_x);

double mean(const std::vector<double>& v);

/// The latent dimensions in use: those whose posterior mean varies over the first `rows` examples of means (N, Z),
/// variance > 0.01 (std > 0.1). Burda et al. (2015)'s "active units" (Cov_x E_q[u] > 0.01) and the dimensions the
/// authors of M1+M2 kept (std > 0.1 over 1,000 images) are this one criterion.
std::vector<int64_t> active_dimensions(const Tensor<float>& means, int64_t rows);

}  // namespace tg::models
