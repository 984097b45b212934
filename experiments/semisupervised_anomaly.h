// semisupervised_anomaly.h: the semi-supervised program's second, optional study (--anomaly-labels): can a few
// labelled anomalies teach M2 what an unsupervised model's likelihood misses? A held-out digit is the anomaly; M2
// with two classes (normal, anomaly) learns from n labelled images of each and every other normal image unlabelled,
// and its probability of "anomaly" is scored by AUC-ROC on the test set, beside a VAE of the normal digits scored by
// -log p(x). Its models are fixed, not options: they are the main study's M2 (300 hidden units, as the authors'
// for 100 labels) and the study's VAE at Z = 20, small enough to run beside it. Read next: semisupervised.cpp.
#pragma once
#include <algorithm>
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
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/program.h"
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

// The anomaly study's record, anomaly.json in the run folder: the settings that shape its models, then each model's
// AUC as soon as it is measured (written atomically). Its models are minutes long and keep no checkpoint; the record
// is what a resume reads back, so a stopped study loses at most the model it was training, and a resume without
// --anomaly-labels keeps the study instead of writing a summary without it.
inline constexpr const char* kAnomalyRecord = "anomaly.json";  // in the run folder

inline io::Json anomaly_study_settings(const SemisupervisedSettings& o) {
  return {{"digit", o.anomaly_digit}, {"epochs", o.anomaly_epochs}, {"seed", o.seeds.front()}, {"latent", o.latent},
          {"batch", o.batch}, {"labelled_batch", o.labelled_batch}, {"weighting", o.weighting}, {"alpha", o.alpha},
          {"lr", o.lr}, {"activation", o.activation}};
}

// A folder whose summary.json holds the study but has no anomaly.json was made before the record existed: its
// record is made from the summary (its settings and AUCs), so that it too is kept.
inline io::Json anomaly_record_from_summary(const io::Json& summary, const std::string& file) {
  SemisupervisedSettings then = read_semisupervised_settings(summary, file);
  io::Json record = {{"settings", anomaly_study_settings(then)}, {"auc_unsupervised", summary.at("anomaly_auc_unsupervised")},
                     {"auc_m2", io::Json::array()}};
  for (int64_t n : then.anomaly_labels) {
    const std::string key = fmt::format("anomaly_auc_m2_{}_labels", n);
    if (summary.contains(key)) record["auc_m2"].push_back({{"labels", n}, {"auc", summary.at(key)}});
  }
  return record;
}

/// Opens the study's record, before any model. A fresh run starts an empty one. A resume reads what the folder holds:
/// without --anomaly-labels it takes the recorded study's digit, epochs and counts (nothing is trained again); with
/// them, it adds any recorded count the option leaves out, so nothing measured is dropped. A recorded setting that
/// differs from this invocation's is refused, naming the file, the setting and both values.
inline io::Json open_anomaly_record(SemisupervisedSettings& o, const std::string& folder) {
  const std::string path = folder + "/" + kAnomalyRecord, summary_path = folder + "/summary.json";
  io::Json record;
  if (o.resume && std::filesystem::exists(path)) {
    record = io::read_json_file(path);
  } else if (o.resume && std::filesystem::exists(summary_path)) {
    const io::Json summary = io::read_json_file(summary_path);
    if (summary.is_object() && summary.contains("anomaly_auc_unsupervised"))
      record = anomaly_record_from_summary(summary, summary_path);
  }
  if (record.is_null()) return {{"settings", anomaly_study_settings(o)}, {"auc_m2", io::Json::array()}};
  const auto is_auc = [](const io::Json& v) { return v.is_number() && v.get<double>() >= 0 && v.get<double>() <= 1; };
  bool well_formed = record.is_object() && record.contains("settings") && record.at("settings").is_object() &&
                     record.contains("auc_m2") && record.at("auc_m2").is_array() &&
                     (!record.contains("auc_unsupervised") || is_auc(record.at("auc_unsupervised")));
  if (well_formed)
    for (const io::Json& m : record.at("auc_m2"))
      well_formed = well_formed && m.is_object() && m.contains("labels") && m.at("labels").is_number_integer() &&
                    m.contains("auc") && is_auc(m.at("auc"));
  if (!well_formed)
    throw std::runtime_error(fmt::format("{}: expected the anomaly study's record ({{\"settings\": {{...}}, \"auc_m2\": "
                                         "[{{\"labels\": n, \"auc\": a in [0, 1]}}, ...]}}), found {}",
                                         path, record.dump().substr(0, 200)));
  const io::Json& was = record.at("settings");
  if (o.anomaly_labels.empty()) {  // keep the recorded study (a digit or epochs of the wrong type fail the comparison below)
    if (was.contains("digit") && was.at("digit").is_number_integer()) o.anomaly_digit = was.at("digit").get<int>();
    if (was.contains("epochs") && was.at("epochs").is_number_integer()) o.anomaly_epochs = was.at("epochs").get<int>();
  }
  const io::Json now = anomaly_study_settings(o);
  for (const auto& [key, value] : now.items())
    if (!was.contains(key) || was.at(key) != value)
      throw std::runtime_error(fmt::format("{}: the anomaly study was made with {} {}, but this resume has {}; resume with "
                                           "the same settings, or start another folder (OUT=)",
                                           path, key, was.contains(key) ? was.at(key).dump() : "(none)", value.dump()));
  for (const io::Json& m : record.at("auc_m2")) {
    const int64_t n = m.at("labels").get<int64_t>();
    if (std::find(o.anomaly_labels.begin(), o.anomaly_labels.end(), n) == o.anomaly_labels.end()) o.anomaly_labels.push_back(n);
  }
  return record;
}

/// A few labelled anomalies (digit o.anomaly_digit) and many unlabelled normal digits: M2 with two classes, for each
/// count of o.anomaly_labels, against an unsupervised VAE of the normal digits scored by -log p(x). Each model's AUC
/// goes into the record at record_path as it is measured, and is read back from there instead of trained again
/// (every model draws from its own seed, so skipping one changes no other); writes the AUCs into summary.
inline void anomaly_study(const SemisupervisedSettings& o, const data::MnistSplits& mnist, io::Json& record,
                          const std::string& record_path, io::Summary& summary) {
  const auto save = [&] {  // then a safe point: Ctrl-C stops here, with every AUC so far in the record
    io::write_file_atomically(record_path, record.dump(2) + "\n");
    io::stop_here_if_requested(fmt::format("{} holds the anomaly study's AUCs so far", record_path));
  };
  save();  // its settings before any model (and a record made from an older summary is kept as a file)
  const models::Features train = models::pixel_features(mnist.train), valid = models::pixel_features(mnist.valid), test = models::pixel_features(mnist.test);
  std::vector<int64_t> normal_idx, anomaly_idx;
  for (int64_t i = 0; i < train.count(); ++i) (train.labels[i] == o.anomaly_digit ? anomaly_idx : normal_idx).push_back(i);
  std::vector<bool> is_anomaly;
  for (int32_t y : test.labels) is_anomaly.push_back(y == o.anomaly_digit);
  const uint64_t seed = o.seeds.front();
  if (record.contains("auc_unsupervised")) {
    std::printf("-- anomalies: the unsupervised VAE's AUC read back from %s\n", record_path.c_str());
  } else {
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
    record["auc_unsupervised"] = analysis::auc_roc(score, is_anomaly);
    save();
  }
  const double baseline = record.at("auc_unsupervised").get<double>();
  summary.set("anomaly_auc_unsupervised", baseline);
  const auto recorded = [&](int64_t n) -> const io::Json* {
    for (const io::Json& m : record.at("auc_m2"))
      if (m.at("labels").get<int64_t>() == n) return &m.at("auc");
    return nullptr;
  };
  for (int64_t n_a : o.anomaly_labels) {
    if (const io::Json* auc = recorded(n_a)) {
      std::printf("-- anomalies: %lld labelled, AUC %.3f read back from %s\n", (long long)n_a, auc->get<double>(), record_path.c_str());
      summary.set(fmt::format("anomaly_auc_m2_{}_labels", n_a), auc->get<double>());
      continue;
    }
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
    record["auc_m2"].push_back({{"labels", n_a}, {"auc", auc}});
    save();
    summary.set(fmt::format("anomaly_auc_m2_{}_labels", n_a), auc);
    std::printf("   AUC %.3f (unsupervised %.3f)\n", auc, baseline);
  }
}

}  // namespace tg
