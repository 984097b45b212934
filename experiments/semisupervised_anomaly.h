// semisupervised_anomaly.h: the semi-supervised program's second, optional study (--anomaly-labels): can a few
// labelled anomalies teach M2 what an unsupervised model's likelihood misses? A held-out digit is the anomaly; M2
// with two classes (normal, anomaly) learns from n labelled images of each and every other normal image unlabelled,
// and its probability of "anomaly" is scored by AUC-ROC on the test set, beside a VAE of the normal digits scored by
// -log p(x). Its models are fixed, not options: they are the main study's M2 (300 hidden units, as the authors'
// for 100 labels) and the study's VAE at Z = 20, small enough to run beside it. Read next: semisupervised.cpp.
#pragma once
#include <cstdio>
#include <filesystem>
#include <stdexcept>
#include <string>
#include <vector>

#include <fmt/format.h>

#include "analysis/auc.h"
#include "datasets/batches.h"
#include "datasets/mnist.h"
#include "experiments/semisupervised_settings.h"
#include "io/json.h"
#include "io/progress.h"
#include "io/summary.h"
#include "models/m2_training.h"
#include "models/vae_training.h"
#include "optim/optimizer.h"

namespace tg {

inline constexpr int64_t kVaeHidden = 400, kVaeLatent = 20, kVaeBatch = 512;  // the study's VAE, at Z = 20
inline constexpr int64_t kVaeImportanceSamples = 100;                         // K for its -log p(x) score
inline constexpr int64_t kM2Hidden = 300;                                     // the main study's M2 for 100 labels

// The anomaly study (--anomaly-labels) needs, for each count n, n training images of the held-out digit and n of
// the others to label, and the digit in the test split to score: checked before any training, rather than a count
// silently skipped after hours.
inline void check_anomaly_labels(const SemisupervisedSettings& o, const data::MnistSplits& mnist) {
  if (o.anomaly_labels.empty()) return;
  int64_t anomalies = 0, in_test = 0;
  for (uint8_t c : mnist.train.labels) anomalies += c == o.anomaly_digit;
  for (uint8_t c : mnist.test.labels) in_test += c == o.anomaly_digit;
  const int64_t normal = mnist.train.count - anomalies;
  for (int64_t n : o.anomaly_labels)
    if (n > anomalies || n > normal)
      throw std::runtime_error(fmt::format("--anomaly-labels {}: the training split has {} images of digit {} and {} of the others, "
                                           "but {} of each are to be labelled", n, anomalies, o.anomaly_digit, normal, n));
  if (in_test == 0 || in_test == mnist.test.count)
    throw std::runtime_error(fmt::format("{}: the test split has {} images of digit {} among {}: the anomaly study's AUC needs both "
                                         "kinds", mnist.files[3], in_test, o.anomaly_digit, mnist.test.count));
}

// The anomaly study keeps no checkpoint: its AUCs live only in summary.json, which every invocation writes anew. A
// resume without --anomaly-labels would drop them, so it is refused, naming what the folder holds.
inline void check_resume_keeps_anomaly_study(const SemisupervisedSettings& o, const std::string& summary_path) {
  if (!o.resume || !o.anomaly_labels.empty() || !std::filesystem::exists(summary_path)) return;
  const io::Json before = io::read_json_file(summary_path);
  if (!before.is_object() || !before.contains("anomaly_auc_unsupervised")) return;
  std::string counts;
  for (const io::Json& n : before.value("anomaly_labels", io::Json::array())) counts += (counts.empty() ? "" : " ") + n.dump();
  throw std::runtime_error(fmt::format("{}: holds the anomaly study (--anomaly-labels {}), which this resume without "
                                       "--anomaly-labels would drop; give the same --anomaly-labels (the study runs "
                                       "again: it keeps no checkpoint), or resume a copy of the folder",
                                       summary_path, counts));
}

/// A few labelled anomalies (digit o.anomaly_digit) and many unlabelled normal digits: M2 with two classes, for each
/// count of o.anomaly_labels, against an unsupervised VAE of the normal digits scored by -log p(x). Writes the AUCs
/// into summary.
inline void anomaly_study(const SemisupervisedSettings& o, const data::MnistSplits& mnist, io::Summary& summary) {
  const models::Features train = models::pixel_features(mnist.train), valid = models::pixel_features(mnist.valid), test = models::pixel_features(mnist.test);
  std::vector<int64_t> normal_idx, anomaly_idx;
  for (int64_t i = 0; i < train.count(); ++i) (train.labels[i] == o.anomaly_digit ? anomaly_idx : normal_idx).push_back(i);
  std::vector<bool> is_anomaly;
  for (int32_t y : test.labels) is_anomaly.push_back(y == o.anomaly_digit);
  const uint64_t seed = o.seeds.front();
  Rng rng(derive_seed(seed, "anomaly vae"));
  const data::Dataset normal = data::select(mnist.train, normal_idx);
  models::Vae<float> vae(train.dim(), kVaeHidden, kVaeLatent, rng);
  optim::Adam adam(vae.parameters(), 1e-3f);
  io::Progress progress(o.anomaly_epochs, normal.count);
  for (int e = 1; e <= o.anomaly_epochs; ++e) {
    progress.start_epoch(e);
    const models::VaeEpoch s = models::train_vae_epoch(vae, adam, normal, {kVaeBatch, data::Binarize::None}, models::elbo_objective(), rng, e, &progress);
    progress.end_epoch(fmt::format("VAE of the normal digits  -ELBO {:.2f}", s.neg_elbo));
  }
  std::vector<double> score = models::score_vae(vae, mnist.test, kVaeImportanceSamples, rng).log_px;
  for (double& s : score) s = -s;
  const double baseline = analysis::auc_roc(score, is_anomaly);
  summary.set("anomaly_auc_unsupervised", baseline);
  for (int64_t n_a : o.anomaly_labels) {
    Rng pick(derive_seed(seed, fmt::format("anomaly labels {}", n_a)));
    auto shuffled = [&](const std::vector<int64_t>& v) {
      std::vector<int64_t> out;
      for (int64_t i : data::shuffled_indices(static_cast<int64_t>(v.size()), pick)) out.push_back(v[i]);
      return out;
    };
    // labelled: n_a of each; unlabelled: the other normal digits
    const std::vector<int64_t> a = shuffled(anomaly_idx), nm = shuffled(normal_idx);
    std::vector<int64_t> labelled(a.begin(), a.begin() + n_a);
    labelled.insert(labelled.end(), nm.begin(), nm.begin() + n_a);
    std::vector<int32_t> classes;
    for (int64_t i : labelled) classes.push_back(train.labels[i] == o.anomaly_digit ? 1 : 0);
    const std::vector<int64_t> unlabelled(nm.begin() + n_a, nm.end());
    Rng m2_rng(derive_seed(seed, fmt::format("anomaly m2 {}", n_a)));
    models::M2<float> m2(train.dim(), kM2Hidden, o.latent, 2, models::Likelihood::Bernoulli, m2_rng, activation_of(o));
    optim::Adam m2_adam(m2.parameters(), static_cast<float>(o.lr));
    const models::M2Setup setup{o.batch, o.labelled_batch,
                                models::objective_weights(models::parse_weighting(o.weighting), 2 * n_a,
                                                          static_cast<int64_t>(unlabelled.size()), o.alpha)};
    std::printf("-- anomalies: digit %d, %lld labelled anomalies\n", o.anomaly_digit, (long long)n_a);
    io::Progress p(o.anomaly_epochs, static_cast<int64_t>(unlabelled.size()));
    for (int e = 1; e <= o.anomaly_epochs; ++e) {
      p.start_epoch(e);
      const nn::EpochLoss l = models::train_m2_epoch(m2, m2_adam, train, labelled, classes, unlabelled, setup, m2_rng, "M2 (normal/anomaly)", e, &p);
      p.end_epoch(fmt::format("M2 (normal/anomaly)  loss {:.2f}", l.per_step));
    }
    const Tensor<float> prob = models::class_probabilities(m2, test);
    std::vector<double> s;
    for (int64_t i = 0; i < prob.rows(); ++i) s.push_back(prob.at(i, 1));
    const double auc = analysis::auc_roc(s, is_anomaly);
    summary.set(fmt::format("anomaly_auc_m2_{}_labels", n_a), auc);
    std::printf("   AUC %.3f (unsupervised %.3f)\n", auc, baseline);
  }
}

}  // namespace tg
