// m2_training.cpp: M2's batches, objective weights, epoch and diagnostics.
#include "models/m2_training.h"

#include <cmath>
#include <stdexcept>

#include <fmt/format.h>

#include "datasets/batches.h"
#include "models/vae.h"

namespace tg::models {

Tensor<float> Features::rows(std::span<const int64_t> idx, Rng* rng) const {
  const int64_t D = dim();
  Tensor<float> t(Shape{static_cast<int64_t>(idx.size()), D});
  for (size_t r = 0; r < idx.size(); ++r)
    std::copy(mean.data() + idx[r] * D, mean.data() + (idx[r] + 1) * D, t.data() + static_cast<int64_t>(r) * D);
  if (rng && logvar.defined()) {  // x = mean + e^(logvar / 2) eps: a fresh draw from q(z|x) of M1
    const Tensor<float> eps = standard_normal<float>(t.shape(), *rng);
    for (size_t r = 0; r < idx.size(); ++r)
      for (int64_t d = 0; d < D; ++d)
        t.at(static_cast<int64_t>(r), d) += std::exp(0.5f * logvar.at(idx[r], d)) * eps.at(static_cast<int64_t>(r), d);
  }
  if (rng && binary_draws)  // in row order from one Rng, as data::gather's Binarize::Dynamic
    for (int64_t i = 0; i < t.numel(); ++i) t.data()[i] = rng->uniform() < t.data()[i] ? 1.0f : 0.0f;
  return t;
}

Features pixel_features(const data::Dataset& d) {
  Features f;
  f.mean = data::scaled_pixels(d);
  f.labels.assign(d.labels.begin(), d.labels.end());
  return f;
}

Weighting parse_weighting(const std::string& name) {
  if (name == "paper") return Weighting::Paper;
  if (name == "balanced") return Weighting::Balanced;
  throw std::invalid_argument(fmt::format("--weighting: expected paper or balanced, got '{}'", name));
}

ObjectiveWeights objective_weights(Weighting w, int64_t n_labelled, int64_t n_unlabelled, double alpha) {
  if (n_labelled <= 0 || n_unlabelled < 0)
    throw std::invalid_argument(fmt::format("objective_weights: {} labelled and {} unlabelled examples", n_labelled, n_unlabelled));
  const double N = double(n_labelled + n_unlabelled), Nl = double(n_labelled);
  ObjectiveWeights o;
  o.per_labelled_example = alpha * N / Nl;  // the authors' beta
  if (w == Weighting::Paper) {
    o.labelled = Nl / N;
    o.unlabelled = double(n_unlabelled) / N;
    o.classification = alpha;  // = (N_l / N) beta
  } else {
    o.labelled = 1;
    o.unlabelled = n_unlabelled > 0 ? 1 : 0;
    o.classification = o.per_labelled_example;
  }
  return o;
}

nn::EpochLoss train_m2_epoch(const M2<float>& m2, optim::Optimizer& opt, const Features& data,
                             const std::vector<int64_t>& labelled, const std::vector<int32_t>& classes,
                             const std::vector<int64_t>& unlabelled, const M2Setup& setup, Rng& rng,
                             const std::string& what, int epoch, io::Progress* progress) {
  const int64_t K = m2.classes(), Z = m2.latent();
  const int64_t n_u = static_cast<int64_t>(unlabelled.size()), n_l = static_cast<int64_t>(labelled.size());
  const int64_t steps = nn::steps_for(n_u, setup.batch), per_step_l = std::min(setup.labelled_batch, n_l);
  const std::vector<int64_t> order_u = data::shuffled_indices(n_u, rng);
  std::vector<int64_t> order_l;  // positions into `labelled`: whole shuffled passes, as many as the epoch needs
  while (static_cast<int64_t>(order_l.size()) < steps * per_step_l) {
    const std::vector<int64_t> pass = data::shuffled_indices(n_l, rng);
    order_l.insert(order_l.end(), pass.begin(), pass.end());
  }
  auto batch_loss = [&](int64_t step) -> nn::BatchLoss {
    std::vector<int64_t> ub, lb;
    for (int64_t i : data::batch_at(order_u, step * setup.batch, setup.batch)) ub.push_back(unlabelled[i]);
    std::vector<int32_t> y;
    Tensor<float> y_onehot = Tensor<float>::zeros(Shape{per_step_l, K});
    for (int64_t i = 0; i < per_step_l; ++i) {
      const int64_t pos = order_l[step * per_step_l + i];
      lb.push_back(labelled[pos]);
      y.push_back(classes[pos]);
      y_onehot.at(i, y.back()) = 1;
    }
    Var<float> xl(data.rows(lb, &rng)), xu(data.rows(ub, &rng));
    Var<float> l_term = mean(m2.labelled_loss(xl, y_onehot, standard_normal<float>(Shape{per_step_l, Z}, rng)));
    Var<float> u_term = mean(m2.unlabelled_loss(xu, standard_normal<float>(Shape{xu.shape()[0] * K, Z}, rng)));
    Var<float> ce_term = mean(cross_entropy(m2.class_logits(xl), y));
    const ObjectiveWeights& w = setup.weights;
    Var<float> loss = scale(l_term, float(w.labelled)) + scale(u_term, float(w.unlabelled)) +
                      scale(ce_term, float(w.classification));
    return {loss, static_cast<int64_t>(ub.size())};
  };
  return nn::train_epoch(opt, steps, batch_loss, what, epoch, progress);
}

Tensor<float> class_probabilities(const M2<float>& m2, const Features& data) {
  NoGrad no_grad;
  Tensor<float> p(Shape{data.count(), m2.classes()});
  const std::vector<int64_t> all = data::identity_order(data.count());
  for (int64_t s = 0; s < data.count(); s += 1000) {
    const std::span<const int64_t> idx = data::batch_at(all, s, 1000);
    const Tensor<float> lp = log_softmax(m2.class_logits(Var<float>(data.rows(idx))), 1).value();
    for (int64_t i = 0; i < lp.numel(); ++i) p.data()[s * m2.classes() + i] = std::exp(lp.data()[i]);
  }
  return p;
}

M2Diagnostics diagnose_m2(const M2<float>& m2, const Features& data, int64_t gap_rows, Rng& rng) {
  M2Diagnostics d;
  const int64_t N = data.count(), K = m2.classes();
  const Tensor<float> p = class_probabilities(m2, data);
  d.error = classification_error(p, data.labels);
  for (int64_t r = 0; r < N; ++r) {
    d.cross_entropy -= std::log(std::max(p.at(r, data.labels[r]), 1e-30f)) / double(N);
    for (int64_t k = 0; k < K; ++k)
      if (p.at(r, k) > 0) d.entropy -= p.at(r, k) * std::log(p.at(r, k)) / double(N);
  }
  NoGrad no_grad;
  const int64_t G = std::min(gap_rows, N);
  const std::vector<int64_t> all = data::identity_order(G);
  for (int64_t s = 0; s < G; s += 250) {
    const std::span<const int64_t> idx = data::batch_at(all, s, 250);
    const int64_t B = static_cast<int64_t>(idx.size());
    Var<float> x(data.rows(idx));
    // The same noise for every class of a row (common random numbers): L(x, y) then differs across y only
    // through y, so a model that ignores y has a gap of exactly 0, and the gap's estimate has little noise.
    const Tensor<float> eps = standard_normal<float>(Shape{B, m2.latent()}, rng);
    const Tensor<float> L = m2.class_losses(x, repeat_rows(eps, 0, B, K)).value();
    Tensor<float> y_true = Tensor<float>::zeros(Shape{B, K});
    for (int64_t b = 0; b < B; ++b) {
      const int32_t y = data.labels[idx[b]];
      y_true.at(b, y) = 1;
      double others = 0;
      for (int64_t k = 0; k < K; ++k)
        if (k != y) others += L.at(b, k) / double(K - 1);
      d.class_use_gap += (others - L.at(b, y)) / double(G);
    }
    if (m2.likelihood() == Likelihood::Gaussian) {
      const Tensor<float> out = m2.decoder_output_at_mean(x, y_true);  // [mean | logvar]
      const int64_t D = out.cols() / 2;
      for (int64_t b = 0; b < B; ++b)
        for (int64_t j = D; j < 2 * D; ++j) d.decoder_logvar += out.at(b, j) / double(G * D);
    }
  }
  return d;
}

}  // namespace tg::models
