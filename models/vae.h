// vae.h: the variational autoencoder of Kingma & Welling (2013) as in the study: one hidden layer of H ReLU
// units in the encoder and in the decoder (or more layers, for M1; or tanh units, as in the 2013 paper), a diagonal
// Gaussian q(z|x), prior N(0, I), Bernoulli decoder.
//   encode:   x (B, D) -> relu(x W1 + b1) (B, H) -> (B, 2Z) -> mu (B, Z), logvar (B, Z)
//   sample:   z = mu + e^(logvar / 2) * eps,   eps ~ N(0, I)                      (reparameterisation)
//   decode:   z (B, Z) -> relu(z W3 + b3) (B, H) -> logits (B, D), p(x_d = 1 | z) = sigmoid(logit_d)
//   -ELBO(x) = -log p(x|z) + KL(q(z|x) || N(0, I)) = bce_with_logits_rowsum(logits, x) + gaussian_kl(mu, lv)
// Templated on the scalar so the whole model can be gradient-checked in double. Read next: vae_training.h.
#pragma once
#include <string>
#include <vector>

#include "autograd/autograd.h"
#include "nn/linear.h"

namespace tg::models {

template <typename T>
class Vae {
 public:
  /// hidden_layers: layers of H units in the encoder and again in the decoder (the study: 1; the M1 model of
  /// Kingma et al. 2014: 2); activation: of those layers, Relu (the study) or Tanh (Kingma & Welling 2013).
  Vae(int64_t D, int64_t H, int64_t Z, Rng& rng, int hidden_layers = 1, nn::Activation activation = nn::Activation::Relu)
      : Z_(Z),
        activation_(activation),
        enc_hidden_(hidden_stack(D, H, hidden_layers, rng)),
        enc_out_(H, 2 * Z, rng),
        dec_hidden_(hidden_stack(Z, H, hidden_layers, rng)),
        dec_out_(H, D, rng) {}

  struct Posterior {
    Var<T> mu, logvar;  // (B, Z) each
  };
  Posterior encode(const Var<T>& x) const {
    Var<T> out = enc_out_(hidden(enc_hidden_, x, activation_));  // (B, 2Z): one gemm for both heads
    return {slice(out, 0, Z_), slice(out, Z_, 2 * Z_)};
  }
  /// Bernoulli logits (B, D) for latent codes z (B, Z).
  Var<T> decode(const Var<T>& z) const { return dec_out_(hidden(dec_hidden_, z, activation_)); }

  struct NegElbo {
    Var<T> loss;           // scalar: mean over the batch of -ELBO, in nats per example
    Var<T> reconstruction; // (B): -log p(x|z) at the sampled z
    Var<T> kl;             // (B): KL(q(z|x) || N(0, I))
    Posterior posterior;   // mu, logvar (B, Z): returned so callers need not run the encoder again
  };
  /// One reparameterised sample per example; eps (B, Z) is drawn by the caller from its Rng. kl_weight < 1 scales
  /// the KL term of the loss (KL warm-up, Sonderby et al. 2016: the decoder learns to use the codes before the
  /// prior pulls them in); `reconstruction` and `kl` are reported unscaled, so -ELBO is still their sum.
  NegElbo neg_elbo(const Var<T>& x, const Tensor<T>& eps, double kl_weight = 1) const {
    Posterior q = encode(x);
    Var<T> z = gaussian_sample(q.mu, q.logvar, eps);
    Var<T> reconstruction = bce_with_logits_rowsum(decode(z), x);
    Var<T> kl = gaussian_kl(q.mu, q.logvar);
    if (kl_weight == 1) return {mean(add(reconstruction, kl)), reconstruction, kl, q};
    return {mean(add(reconstruction, kl * T(kl_weight))), reconstruction, kl, q};
  }

  /// The importance-weighted bound of Burda, Grosse & Salakhutdinov (2015) as a loss: the batch's mean of
  ///   -log (1/k) sum_j w_j,   w_j = p(x|z_j) p(z_j) / q(z_j|x),   z_j = mu + e^(lv/2) eps_j
  /// with k samples per example; eps (B*k, Z), rows b*k .. b*k+k-1 for example b. The k samples go through the
  /// decoder as one (B*k)-row product. k = 1 is the ELBO with its KL estimated from the one sample (neg_elbo uses
  /// the exact KL: the same in expectation). Composed of gradient-checked ops (logsumexp over each example's k).
  Var<T> iwae_loss(const Var<T>& x, const Tensor<T>& eps, int64_t k) const {
    const int64_t B = x.shape()[0];
    require(k >= 1 && eps.shape() == Shape{B * k, Z_}, "iwae_loss: eps {} for {} examples x k = {} samples, expected ({}, {})",
            to_string(eps.shape()), B, k, B * k, Z_);
    Posterior q = encode(x);
    Var<T> mu = repeat_each_row(q.mu, k), logvar = repeat_each_row(q.logvar, k);  // (B*k, Z): row b*k + j is example b
    Var<T> z = gaussian_sample(mu, logvar, eps);
    Var<T> zero(Tensor<T>::zeros(z.shape()));
    Var<T> log_w = gaussian_log_density(z, zero, zero) - gaussian_log_density(z, mu, logvar) -
                   bce_with_logits_rowsum(decode(z), x);  // log p(z) - log q(z|x) + log p(x|z), (B*k); x read k times
    Var<T> log_px = logsumexp(reshape(log_w, Shape{B, k}), 1) - T(std::log(double(k)));  // (B)
    return -mean(log_px);
  }

  Parameters<T> parameters() const {
    Parameters<T> all;
    auto add_stack = [&](const std::string& prefix, const std::vector<nn::Linear<T>>& stack) {
      for (size_t i = 0; i < stack.size(); ++i)  // "encoder.hidden", then "encoder.hidden2", ...
        append_parameters(all, prefix + (i == 0 ? "" : std::to_string(i + 1)), stack[i].parameters());
    };
    add_stack("encoder.hidden", enc_hidden_);
    append_parameters(all, "encoder.out", enc_out_.parameters());
    add_stack("decoder.hidden", dec_hidden_);
    append_parameters(all, "decoder.out", dec_out_.parameters());
    return all;
  }
  int64_t latent() const { return Z_; }

 private:
  static std::vector<nn::Linear<T>> hidden_stack(int64_t in, int64_t H, int layers, Rng& rng) {
    require(layers >= 1, "Vae: {} hidden layers, expected at least 1", layers);
    std::vector<nn::Linear<T>> stack;
    for (int i = 0; i < layers; ++i) stack.emplace_back(i == 0 ? in : H, H, rng, nn::Init::HeUniform);
    return stack;
  }
  static Var<T> hidden(const std::vector<nn::Linear<T>>& stack, Var<T> h, nn::Activation activation) {
    for (const nn::Linear<T>& layer : stack) h = nn::hidden_layer(layer, activation, h);
    return h;
  }

  int64_t Z_;
  nn::Activation activation_;
  std::vector<nn::Linear<T>> enc_hidden_;
  nn::Linear<T> enc_out_;
  std::vector<nn::Linear<T>> dec_hidden_;
  nn::Linear<T> dec_out_;
};

/// How a VAE's tensors are laid out in a checkpoint, for a reader in another tool (written into the file's
/// metadata as "layout"; docs/load_checkpoint.py follows it into PyTorch).
inline constexpr const char* kVaeCheckpointLayout =
    "model.<layer>.weight is [in, out] and model.<layer>.bias is [1, out]: y = x W + b (for torch.nn.Linear, "
    "whose weight is [out, in], transpose W). Encoder: x (784 pixels in [0, 1]) -> encoder.hidden -> activation "
    "-> encoder.out, whose 2Z outputs are [mu | logvar] (the first Z columns mu, the last Z the log-variance of "
    "q(z|x)). Decoder: z -> decoder.hidden -> activation -> decoder.out = logits of independent Bernoulli pixels, "
    "p(x_d = 1 | z) = sigmoid(logit_d). Prior p(z) = N(0, I). The activation (relu or tanh), latent and hidden "
    "sizes are the metadata fields of the same names. F32, little-endian, row-major.";

/// eps (rows, cols) ~ N(0, I) from rng.
template <typename T>
Tensor<T> standard_normal(Shape shape, Rng& rng) {
  Tensor<T> eps(shape);
  rng.fill_normal(eps.data(), eps.numel());  // the same draws as calling rng.normal() per element
  return eps;
}

}  // namespace tg::models
