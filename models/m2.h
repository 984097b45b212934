// m2.h: the semi-supervised VAE "M2" of Kingma, Rezende, Mohamed & Welling (2014). A class y (K classes, uniform
// prior) and a latent z ~ N(0, I) generate x; three networks, each one hidden layer of H units (softplus in the
// paper and the authors' code; ReLU is an option):
//   classifier  q(y|x):    x (B, D)           -> logits (B, K)
//   encoder     q(z|x,y):  [x, onehot(y)]     -> mu, logvar (B, Z)
//   decoder     p(x|y,z):  [z, onehot(y)]     -> Bernoulli logits (B, D), or a Gaussian's (mean, logvar) (B, 2D)
// Losses per example, in nats (the paper's eq. 6 and 7, written as quantities to minimise):
//   labelled    L(x, y) = -log p(x|y,z) + KL(q(z|x,y) || N(0, I)) - log p(y),   one z ~ q(z|x,y)
//   unlabelled  U(x)    = sum_y q(y|x) L(x, y) - H(q(y|x))
// U needs L(x, y) for every class: the batch is repeated K times with y = 0..K-1 and sent through the encoder and
// decoder as one (B*K)-row pass. The encoder's hidden layer is linear in [x, onehot(y)], so it is computed as
// x W_x + b (B rows, the costly 784-wide product, once per example) repeated K times, plus row y of W_y.
// Templated on the scalar so the whole loss is gradient-checked in double.
// Read next: ../experiments/semisupervised.cpp.
#pragma once
#include <cmath>

#include "autograd/autograd.h"
#include "nn/linear.h"
#include "nn/mlp.h"

namespace tg::models {

enum class Likelihood { Bernoulli, Gaussian };  // pixels in [0, 1]; real-valued features (M1's codes)

template <typename T>
class M2 {
 public:
  M2(int64_t D, int64_t H, int64_t Z, int64_t K, Likelihood likelihood, Rng& rng,
     nn::Activation activation = nn::Activation::Softplus)
      : D_(D), Z_(Z), K_(K), likelihood_(likelihood), activation_(activation),
        classifier_({D, H, K}, activation, rng, nn::Init::HeUniform),
        enc_x_(D, H, rng, nn::Init::HeUniform), enc_y_(class_weights(D, H, K, rng)), enc_out_(H, 2 * Z, rng),
        dec_hidden_(Z + K, H, rng, nn::Init::HeUniform),
        dec_out_(H, likelihood == Likelihood::Bernoulli ? D : 2 * D, rng) {}

  /// Logits of q(y|x): (B, K).
  Var<T> class_logits(const Var<T>& x) const { return classifier_(x); }

  /// L(x, y) per row (B): x (B, D) data, y_onehot (B, K), eps (B, Z) standard normal.
  Var<T> labelled_loss(const Var<T>& x, const Tensor<T>& y_onehot, const Tensor<T>& eps) const {
    return pair_loss(enc_x_(x), x, y_onehot, eps);
  }
  /// U(x) per row (B), for all K classes in one pass. eps (B*K, Z): row b*K + y is the noise for (x_b, y).
  /// x is data (constant): the reconstruction reads it as a constant, once for each class.
  Var<T> unlabelled_loss(const Var<T>& x, const Tensor<T>& eps) const {
    Var<T> per_class = class_losses(x, eps);                // L(x_b, y) as (B, K)
    Var<T> log_q = log_softmax(class_logits(x), 1);          // (B, K)
    return sum(mul(exp(log_q), add(per_class, log_q)), 1);  // sum_y q (L + log q) = E_q[L] - H(q)
  }
  /// L(x_b, y) for every row and every class: (B, K). eps as for unlabelled_loss.
  Var<T> class_losses(const Var<T>& x, const Tensor<T>& eps) const {
    const int64_t B = x.shape()[0];
    Tensor<T> y_rep = Tensor<T>::zeros(Shape{B * K_, K_});  // row b*K + y: class y, to pair with x_b
    for (int64_t r = 0; r < B * K_; ++r) y_rep.at(r, r % K_) = T(1);
    Var<T> x_part = repeat_each_row(enc_x_(x), K_);  // x_b W_x + b, K times each
    // The reconstruction targets for rows b*K .. b*K + K-1: the Bernoulli loss reads x_b for each of them (no copy);
    // the Gaussian density takes them as K copies of each row.
    const Var<T> targets = likelihood_ == Likelihood::Bernoulli ? Var<T>(x.value()) : Var<T>(repeat_rows(x.value(), 0, B, K_));
    return reshape(pair_loss(x_part, targets, y_rep, eps), Shape{B, K_});
  }
  /// The decoder's output at z = the encoder's mean for (x, y): (B, D) logits, or (B, 2D) Gaussian [mean | logvar].
  Tensor<T> decoder_output_at_mean(const Var<T>& x, const Tensor<T>& y_onehot) const {
    NoGrad no_grad;
    Var<T> y(y_onehot);
    Var<T> h = enc_out_(nn::activate(activation_, add(enc_x_(x), matmul(y, enc_y_))));
    return dec_out_(hidden(dec_hidden_, concat<T>({slice(h, 0, Z_), y}))).value();
  }


  Parameters<T> parameters() const {
    Parameters<T> all;
    append_parameters(all, "classifier", classifier_.parameters());
    append_parameters(all, "encoder.hidden_x", enc_x_.parameters());
    all.push_back({"encoder.hidden_y.weight", enc_y_});
    append_parameters(all, "encoder.out", enc_out_.parameters());
    append_parameters(all, "decoder.hidden", dec_hidden_.parameters());
    append_parameters(all, "decoder.out", dec_out_.parameters());
    return all;
  }
  /// Decoder output for given z (B, Z) and classes: Bernoulli probabilities (B, D) (for pictures).
  Tensor<T> decode_mean(const Tensor<T>& z, const Tensor<T>& y_onehot) const {
    NoGrad no_grad;
    Var<T> out = dec_out_(hidden(dec_hidden_, concat<T>({Var<T>(z), Var<T>(y_onehot)})));
    return likelihood_ == Likelihood::Bernoulli ? sigmoid(out).value() : slice(out, 0, D_).value();
  }
  /// Zeroes the weights and biases that output log-variances (the encoder's, and the Gaussian decoder's), so that
  /// every variance starts at 1 whatever the start of the rest. At He and Glorot starts on M1's codes the decoder's
  /// log-variance can begin near -40, and the first step's loss near 1e17 nats: an M2 that never recovers
  /// (docs/earlier_results.md). The authors' N(0, 0.001^2) start puts them near 0 too, along with everything else.
  void zero_logvar_heads() {
    zero_columns(enc_out_, Z_, 2 * Z_);
    if (likelihood_ == Likelihood::Gaussian) zero_columns(dec_out_, D_, 2 * D_);
  }
  int64_t latent() const { return Z_; }
  int64_t classes() const { return K_; }
  Likelihood likelihood() const { return likelihood_; }

 private:
  // L(x, y) for rows of (x, y) pairs, given x_part = x W_x + b for each row's x and the targets x.
  Var<T> pair_loss(const Var<T>& x_part, const Var<T>& x, const Tensor<T>& y_onehot, const Tensor<T>& eps) const {
    Var<T> y(y_onehot);
    // (rows, 2Z); onehot(y) W_y = row y of W_y
    Var<T> h = enc_out_(nn::activate(activation_, add(x_part, matmul(y, enc_y_))));
    Var<T> mu = slice(h, 0, Z_), logvar = slice(h, Z_, 2 * Z_);
    Var<T> z = gaussian_sample(mu, logvar, eps);
    Var<T> out = dec_out_(hidden(dec_hidden_, concat<T>({z, y})));
    Var<T> reconstruction = likelihood_ == Likelihood::Bernoulli
                                ? bce_with_logits_rowsum(out, x)
                                : neg(gaussian_log_density(x, slice(out, 0, D_), slice(out, D_, 2 * D_)));
    const T log_prior_y = -std::log(T(K_));  // uniform p(y)
    return add(add(reconstruction, gaussian_kl(mu, logvar)), Var<T>(Tensor<T>::scalar(-log_prior_y)));
  }
  Var<T> hidden(const nn::Linear<T>& layer, const Var<T>& x) const { return nn::hidden_layer(layer, activation_, x); }
  // Output columns [from, to) of a layer: its weight (in, out) and bias (1, out) alike.
  static void zero_columns(const nn::Linear<T>& layer, int64_t from, int64_t to) {
    for (const auto& p : layer.parameters()) {
      Tensor<T> v = p.var.value();  // shares the parameter's storage
      for (int64_t r = 0; r < v.rows(); ++r)
        for (int64_t c = from; c < to; ++c) v.at(r, c) = T(0);
    }
  }
  // W_y, initialised as the class rows of one He-uniform (D + K, H) layer over [x, onehot(y)] would be.
  static Var<T> class_weights(int64_t D, int64_t H, int64_t K, Rng& rng) {
    Tensor<T> w(Shape{K, H});
    nn::init_weights(w, nn::Init::HeUniform, D + K, H, rng);
    return Var<T>(std::move(w), true);
  }

  int64_t D_, Z_, K_;
  Likelihood likelihood_;
  nn::Activation activation_;
  nn::Mlp<T> classifier_;
  nn::Linear<T> enc_x_;
  Var<T> enc_y_;
  nn::Linear<T> enc_out_, dec_hidden_, dec_out_;
};

}  // namespace tg::models
