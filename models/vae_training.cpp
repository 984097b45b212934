// vae_training.cpp: the epoch loop and the scoring loop. Read next: importance_sampling.h.
#include "models/vae_training.h"

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <stdexcept>

#include "autograd/ops/scalar_math.h"
#include "models/importance_sampling.h"
#include "nn/train_loop.h"

namespace tg::models {

double mean(const std::vector<double>& v) {
  double s = 0;
  for (double x : v) s += x;
  return v.empty() ? NAN : s / double(v.size());
}

std::vector<int64_t> active_dimensions(const Tensor<float>& means, int64_t rows) {
  const int64_t N = std::min(rows, means.rows()), Z = means.cols();
  std::vector<int64_t> active;
  for (int64_t j = 0; j < Z; ++j) {
    double m = 0, v = 0;
    for (int64_t i = 0; i < N; ++i) m += means.at(i, j) / double(N);
    for (int64_t i = 0; i < N; ++i) v += (means.at(i, j) - m) * (means.at(i, j) - m) / double(N);
    if (v > 0.01) active.push_back(j);
  }
  return active;
}

VaeObjective elbo_objective(double kl_weight) {
  return {"VAE", [kl_weight](const Vae<float>& vae, const Tensor<float>& x, Rng& rng) -> VaeLoss {
            const Tensor<float> eps = standard_normal<float>(Shape{x.rows(), vae.latent()}, rng);
            const Vae<float>::NegElbo out = vae.neg_elbo(Var<float>(x), eps, kl_weight);
            return {out.loss, out.reconstruction.value(), out.kl.value()};
          },
          kl_weight == 1};
}

VaeObjective iwae_objective(int64_t k) {
  return {"VAE", [k](const Vae<float>& vae, const Tensor<float>& x, Rng& rng) -> VaeLoss {
            // k samples per example: rows b*k .. b*k+k-1 belong to example b
            return {vae.iwae_loss(Var<float>(x), standard_normal<float>(Shape{x.rows() * k, vae.latent()}, rng), k), {}, {}};
          }};
}

VaeObjective autoencoder_objective() {
  return {"autoencoder", [](const Vae<float>& vae, const Tensor<float>& x, Rng&) -> VaeLoss {
            const Var<float> rec = bce_with_logits_rowsum(vae.decode(vae.encode(Var<float>(x)).mu), Var<float>(x));
            return {mean(rec), rec.value(), {}};
          }};
}

VaeEpoch train_vae_epoch(const Vae<float>& vae, optim::Optimizer& opt, const data::Dataset& train, const VaeBatches& batches,
                         const VaeObjective& objective, Rng& rng, int epoch, io::Progress* progress) {
  const std::vector<int64_t> order = data::shuffled_indices(train.count, rng);
  Tensor<float> x;  // (B, D), reused across steps
  VaeEpoch e;
  auto add_up = [](double& total, const Tensor<float>& per_example) {
    if (!per_example.defined()) return;  // the objective has no such term
    for (int64_t b = 0; b < per_example.numel(); ++b) total += per_example[b];
  };
  const nn::EpochLoss loss = nn::train_epoch(opt, nn::steps_for(train.count, batches.size), [&](int64_t step) -> nn::BatchLoss {
    data::gather(train, data::batch_at(order, step * batches.size, batches.size), x, nullptr, batches.binarize, &rng);
    const VaeLoss l = objective.loss(vae, x, rng);
    add_up(e.reconstruction, l.reconstruction);
    add_up(e.kl, l.kl);
    return {l.loss, x.rows()};
  }, objective.model, epoch, progress);
  e.neg_elbo = loss.per_example;
  e.reconstruction /= double(train.count);
  e.kl /= double(train.count);
  if (!objective.loss_is_neg_elbo) e.neg_elbo = e.reconstruction + e.kl;
  return e;
}

Tensor<float> bernoulli_log_likelihood(const Vae<float>& vae, const Tensor<float>& z, const Tensor<float>& x,
                                       int64_t per_x) {
  NoGrad no_grad;
  const Tensor<float> logits = vae.decode(Var<float>(z)).value();  // (R, D)
  const int64_t R = logits.rows(), D = logits.cols();
  Tensor<float> ll(Shape{R});
  parallel_rows(R, D, [&](int64_t first, int64_t last) {  // rows are independent: the same bits on any thread count
    std::vector<float> scratch(static_cast<size_t>(D));  // one per thread
    for (int64_t r = first; r < last; ++r)  // log p(x|z) = -sum_d bce(logit_d, x_d): the loss op's row value
      ll[r] = -bce_logits_row_value(logits.data() + r * D, x.data() + (r / per_x) * D, scratch.data(), D);
  });
  return ll;
}

std::vector<double> reconstruction_probability(const Vae<float>& vae, const data::Dataset& d, int64_t L, Rng& rng) {
  NoGrad no_grad;
  const int64_t Z = vae.latent(), chunk = std::max<int64_t>(1, 2000 / L);
  std::vector<double> out;
  const std::vector<int64_t> order = data::identity_order(d.count);
  Tensor<float> x;
  for (int64_t start = 0; start < d.count; start += chunk) {
    data::gather(d, data::batch_at(order, start, chunk), x, nullptr);
    const int64_t B = x.rows();
    auto q = vae.encode(Var<float>(x));
    Var<float> mu(repeat_rows(q.mu.value(), 0, B, L)), lv(repeat_rows(q.logvar.value(), 0, B, L));  // q, L times each
    const Tensor<float> z = gaussian_sample(mu, lv, standard_normal<float>(Shape{B * L, Z}, rng)).value();
    const Tensor<float> ll = bernoulli_log_likelihood(vae, z, x, L);
    for (int64_t b = 0; b < B; ++b) {
      double s = 0;
      for (int64_t l = 0; l < L; ++l) s += ll[b * L + l];
      out.push_back(s / double(L));
    }
  }
  return out;
}

std::vector<double> autoencoder_error(const Vae<float>& vae, const data::Dataset& d) {
  NoGrad no_grad;
  std::vector<double> out;
  const std::vector<int64_t> order = data::identity_order(d.count);
  Tensor<float> x;
  for (int64_t start = 0; start < d.count; start += 1000) {
    data::gather(d, data::batch_at(order, start, 1000), x, nullptr);
    Var<float> xv(x);
    const Tensor<float> rec = bce_with_logits_rowsum(vae.decode(vae.encode(xv).mu), xv).value();
    for (int64_t b = 0; b < rec.numel(); ++b) out.push_back(rec[b]);
  }
  return out;
}

VaeScores score_vae(const Vae<float>& vae, const data::Dataset& d, int64_t iw_samples, Rng& rng) {
  NoGrad no_grad;
  const int64_t Z = vae.latent(), chunk = 500;
  VaeScores s;
  s.latent_mean = Tensor<float>(Shape{d.count, Z});
  s.latent_logvar = Tensor<float>(Shape{d.count, Z});
  const std::vector<int64_t> order = data::identity_order(d.count);
  Tensor<float> x;
  // With K importance samples this takes minutes: a line every 15 s says how far it is (and to a log file too).
  using Clock = std::chrono::steady_clock;
  const auto t0 = Clock::now();
  auto last_line = t0;
  for (int64_t start = 0; start < d.count; start += chunk) {
    if (iw_samples > 0 && start > 0 && Clock::now() - last_line > std::chrono::seconds(15)) {
      last_line = Clock::now();
      const double seconds = std::chrono::duration<double>(last_line - t0).count();
      std::printf("  log p(x), K = %lld: %lld of %lld images, %s so far, ETA %s\n", (long long)iw_samples, (long long)start,
                  (long long)d.count, io::format_duration(seconds).c_str(),
                  io::format_duration(seconds / double(start) * double(d.count - start)).c_str());
      std::fflush(stdout);
    }
    data::gather(d, data::batch_at(order, start, chunk), x, nullptr);
    const int64_t B = x.rows();
    auto out = vae.neg_elbo(Var<float>(x), standard_normal<float>(Shape{B, Z}, rng));
    const Vae<float>::Posterior& q = out.posterior;  // the encoder ran once, inside neg_elbo
    for (int64_t b = 0; b < B; ++b) {
      const double rec = out.reconstruction.value()[b], kl = out.kl.value()[b];
      s.elbo.push_back(-(rec + kl));
      s.reconstruction_ll.push_back(-rec);
      s.kl.push_back(kl);
      for (int64_t j = 0; j < Z; ++j) {
        s.latent_mean.at(start + b, j) = q.mu.value().at(b, j);
        s.latent_logvar.at(start + b, j) = q.logvar.value().at(b, j);
      }
    }
    if (iw_samples > 0) {
      std::vector<double> lp = iw_log_px<float>(
          q.mu.value(), q.logvar.value(), iw_samples, rng,
          [&](const Tensor<float>& z, int64_t first, int64_t count, int64_t per_example) {
            // rows of x for examples first..first+count, each used by per_example consecutive rows of z
            Tensor<float> xs(Shape{count, x.cols()});
            std::copy(x.data() + first * x.cols(), x.data() + (first + count) * x.cols(), xs.data());
            return bernoulli_log_likelihood(vae, z, xs, per_example);
          });
      s.log_px.insert(s.log_px.end(), lp.begin(), lp.end());
    }
  }
  return s;
}

void set_output_bias_to_data_mean(const Vae<float>& vae, const data::Dataset& train) {
  require(train.count > 0, "set_output_bias_to_data_mean: no training images");
  for (const auto& p : vae.parameters()) {
    if (p.name != "decoder.out.bias") continue;
    Tensor<float> bias = p.var.value();  // a view of the parameter's storage
    require(bias.numel() == train.dim(), "set_output_bias_to_data_mean: the decoder has {} outputs for images of {} pixels",
            bias.numel(), train.dim());
    for (int64_t j = 0; j < train.dim(); ++j) {
      double sum = 0;
      for (int64_t i = 0; i < train.count; ++i) sum += train.image(i)[j];
      const double mean = std::clamp(sum / (255.0 * double(train.count)), 0.001, 0.999);
      bias[j] = static_cast<float>(std::log(mean / (1 - mean)));
    }
    return;
  }
  throw std::logic_error("set_output_bias_to_data_mean: the VAE has no decoder.out.bias");
}

}  // namespace tg::models
