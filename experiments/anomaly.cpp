// anomaly.cpp: `make anomaly` — the study's to-do list, measured. Two parts, as one script:
//   1. Held-out digit (An & Cho 2015): for each digit d, models see only the other nine digits; the test set's
//      images of d are the anomalies. Every scorer gives each test image an anomaly score; AUC-ROC and AUC-PR
//      per digit, latent size and scorer go to auc.csv.
//   2. Artificial anomalies: a VAE of all ten digits; normal test digits against corrupted ones (noise, occlusion,
//      inversion, rotation, overlays, and Fashion-MNIST when installed): AUC per type, what the latent codes
//      show (norm of the mean, KL), how well a small classifier tells the types apart from the codes alone,
//      and a t-SNE picture.
// Scorers: VAE -ELBO, -log p(x) (importance-weighted), -reconstruction probability (An & Cho, L samples);
// one-class SVMs on the latent means, on the raw pixels, and on PCA of the pixels with Z components; PCA
// reconstruction error and a plain autoencoder of the same size (the classical baselines); and combinations of
// likelihood and latent codes: the average of the ranks of -log p(x) and of the latent OC-SVM score (two views
// combined without putting their units on one scale), and one-class SVMs that see more of the posterior:
// on [mu, log sigma^2] (an encoder that does not recognise an input gives it a broad posterior near the prior,
// which the means alone place in the densest part of normal code space), and on [mu, log sigma^2, log p(x)].
// This program computes and writes the run folder (auc.csv, artificial.csv, tsne_artificial_z*.csv,
// artificial_examples.safetensors, summary.json); experiments/anomaly_report.cpp draws it (`make anomaly` runs
// both; `make anomaly-report RUN=...` redraws). Read next: anomaly_report.cpp.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <numeric>

#include "analysis/auc.h"
#include "analysis/corruptions.h"
#include "analysis/one_class_svm.h"
#include "analysis/pca.h"
#include "analysis/tsne.h"
#include "io/csv.h"
#include "io/program.h"
#include "io/run_folder.h"
#include "io/safetensors.h"
#include "experiments/anomaly_scorers.h"
#include "experiments/anomaly_settings.h"
#include "experiments/data_summary.h"
#include "io/summary.h"
#include "models/vae_training.h"
#include "models/classifier.h"
#include "nn/train_loop.h"

using namespace tg;
namespace fs = std::filesystem;

std::vector<double> negated(std::vector<double> v) {
  for (double& x : v) x = -x;
  return v;
}
data::Dataset first_n(const data::Dataset& d, int64_t n, Rng& rng) {  // a seeded random subset of n images
  std::vector<int64_t> p = data::shuffled_indices(d.count, rng);
  p.resize(static_cast<size_t>(std::min(n, d.count)));
  return data::select(d, p);
}
data::Dataset without_digit(const data::Dataset& d, int digit) {
  std::vector<int64_t> keep;
  for (int64_t i = 0; i < d.count; ++i)
    if (d.labels[i] != digit) keep.push_back(i);
  return data::select(d, keep);
}
std::vector<double> pca_error(const analysis::Pca& p, const Tensor<float>& x) {
  const int64_t n = x.rows();
  const Tensor<float> back = p.reconstruct(p.project(x));
  std::vector<double> e(static_cast<size_t>(n), 0.0);
  for (int64_t i = 0; i < n; ++i)
    for (int64_t j = 0; j < p.dims; ++j) e[i] += (back[i * p.dims + j] - x[i * p.dims + j]) * (back[i * p.dims + j] - x[i * p.dims + j]);
  return e;
}

// Per image: [mu (Z), log sigma^2 (Z)] and, when asked, log p(x): what a one-class model of the posterior sees.
Tensor<float> posterior_features(const models::VaeScores& v, bool with_log_px) {
  const int64_t n = v.latent_mean.rows(), Z = v.latent_mean.cols(), width = 2 * Z + (with_log_px ? 1 : 0);
  Tensor<float> f(Shape{n, width});
  for (int64_t i = 0; i < n; ++i) {
    float* row = f.data() + i * width;
    for (int64_t j = 0; j < Z; ++j) row[j] = v.latent_mean.at(i, j), row[Z + j] = v.latent_logvar.at(i, j);
    if (with_log_px) row[2 * Z] = static_cast<float>(v.log_px.at(static_cast<size_t>(i)));
  }
  return f;
}

// A VAE (or, with models::autoencoder_objective(), a plain autoencoder of the same size) trained on `train` for o.epochs.
std::unique_ptr<models::Vae<float>> train_model(const AnomalySettings& o, const data::Dataset& train, int64_t Z,
                                                const models::VaeObjective& objective, uint64_t seed) {
  Rng rng(seed);
  auto vae = std::make_unique<models::Vae<float>>(train.dim(), o.hidden, Z, rng);
  optim::Adam adam(vae->parameters(), 1e-3f);
  io::Progress progress(o.epochs, train.count);
  for (int e = 1; e <= o.epochs; ++e) {
    progress.start_epoch(e);
    const models::VaeEpoch s = models::train_vae_epoch(*vae, adam, train, {o.batch, data::Binarize::None}, objective, rng, e, &progress);
    if (e == o.epochs || e % 10 == 0) progress.end_epoch(fmt::format("{}  loss {:.2f}", objective.model, s.neg_elbo));
  }
  return vae;
}

// Everything each scorer says about `test`, given models trained on `normal` (the latent-size-dependent part).
std::map<std::string, std::vector<double>> score_all(const AnomalySettings& o, const models::Vae<float>& vae, const models::Vae<float>& ae,
                                                     const data::Dataset& normal, const data::Dataset& test, int64_t Z, Rng& rng,
                                                     models::VaeScores* keep = nullptr) {
  std::map<std::string, std::vector<double>> s;
  models::VaeScores v = models::score_vae(vae, test, o.iw_samples, rng);
  s["vae_neg_elbo"] = negated(v.elbo);
  s["vae_neg_log_px"] = negated(v.log_px);
  s["vae_neg_recon_prob"] = negated(models::reconstruction_probability(vae, test, o.recon_samples, rng));
  s["autoencoder_error"] = models::autoencoder_error(ae, test);
  const data::Dataset svm_train = first_n(normal, o.svm_points, rng);
  const models::VaeScores train_codes = models::score_vae(vae, svm_train, o.iw_samples, rng);
  analysis::OneClassSvm latent_svm(train_codes.latent_mean, {.nu = o.nu, .gamma = 0});
  s["ocsvm_latent"] = latent_svm.score(v.latent_mean);
  analysis::OneClassSvm posterior_svm(posterior_features(train_codes, false), {.nu = o.nu, .gamma = 0});
  s["ocsvm_posterior"] = posterior_svm.score(posterior_features(v, false));
  analysis::OneClassSvm joint_svm(posterior_features(train_codes, true), {.nu = o.nu, .gamma = 0});
  s["ocsvm_posterior_log_px"] = joint_svm.score(posterior_features(v, true));
  const Tensor<float> normal_px = data::scaled_pixels(svm_train), test_px = data::scaled_pixels(test);
  const analysis::Pca pca = analysis::fit_pca(normal_px, std::min<int64_t>(Z, svm_train.dim()));
  s["pca_error"] = pca_error(pca, test_px);
  analysis::OneClassSvm pca_svm(pca.project(normal_px), {.nu = o.nu, .gamma = 0});
  s["ocsvm_pca"] = pca_svm.score(pca.project(test_px));
  // Likelihood and latent codes together: the mean of the two scores' ranks.
  const std::vector<double> r1 = analysis::average_ranks(s["vae_neg_log_px"]), r2 = analysis::average_ranks(s["ocsvm_latent"]);
  std::vector<double> combined(r1.size());
  for (size_t i = 0; i < r1.size(); ++i) combined[i] = (r1[i] + r2[i]) / 2;
  s["combined_rank"] = combined;
  if (keep) *keep = std::move(v);
  return s;
}

// scorer -> latent size -> held-out digit -> AUC-ROC
using AucTable = std::map<std::string, std::map<int64_t, std::map<int, double>>>;

// ---- 1. held-out digits (An & Cho 2015): writes auc.csv after every model, returns the AUC-ROC table
AucTable held_out_digits(const AnomalySettings& o, const data::MnistSplits& mnist) {
  const Tensor<float> test_px = data::scaled_pixels(mnist.test);
  io::CsvTable csv("scorer,digit,latent,auc_roc,auc_pr");
  AucTable roc;
  for (int d : o.digits) {
    const data::Dataset normal = without_digit(mnist.train, d);
    std::vector<bool> anomaly;
    for (int64_t i = 0; i < mnist.test.count; ++i) anomaly.push_back(mnist.test.labels[i] == d);
    // Every model and every random purpose has its own generator, derived from the seed and its name, so a
    // result never depends on which other digits or latent sizes ran before it.
    Rng pixel_rng(derive_seed(o.seed, fmt::format("held-out {}: pixel OC-SVM images", d)));
    // The raw-pixel OC-SVM does not depend on the latent size.
    const data::Dataset svm_train = first_n(normal, o.svm_points, pixel_rng);
    analysis::OneClassSvm pixel_svm(data::scaled_pixels(svm_train), {.nu = o.nu, .gamma = 0});
    const std::vector<double> pixel_scores = pixel_svm.score(test_px);
    for (int64_t Z : o.latents) {
      std::printf("-- digit %d held out, Z = %lld: %lld normal training images\n", d, (long long)Z, (long long)normal.count);
      auto vae = train_model(o, normal, Z, models::elbo_objective(), derive_seed(o.seed, fmt::format("held-out {}, Z = {}: VAE", d, Z)));
      auto ae = train_model(o, normal, Z, models::autoencoder_objective(),
                            derive_seed(o.seed, fmt::format("held-out {}, Z = {}: autoencoder", d, Z)));
      Rng rng(derive_seed(o.seed, fmt::format("held-out {}, Z = {}: scoring", d, Z)));
      std::map<std::string, std::vector<double>> s = score_all(o, *vae, *ae, normal, mnist.test, Z, rng);
      s["ocsvm_pixels"] = pixel_scores;
      for (const auto& [name, score] : s) {
        const double a = analysis::auc_roc(score, anomaly), p = analysis::auc_pr(score, anomaly);
        roc[known_anomaly_scorer(name)][Z][d] = a;
        csv.add_row(fmt::format("{},{},{},{:.4f},{:.4f}", name, d, Z, a, p));
      }
      std::printf("   AUC-ROC: -log p(x) %.3f  OC-SVM on mu %.3f, on [mu, log var] %.3f, + log p(x) %.3f  rank-combined %.3f  "
                  "pixels OC-SVM %.3f  PCA %.3f  AE %.3f\n",
                  roc["vae_neg_log_px"][Z][d], roc["ocsvm_latent"][Z][d], roc["ocsvm_posterior"][Z][d], roc["ocsvm_posterior_log_px"][Z][d],
                  roc["combined_rank"][Z][d], roc["ocsvm_pixels"][Z][d], roc["pca_error"][Z][d], roc["autoencoder_error"][Z][d]);
      csv.write(o.out + "/auc.csv");  // after every model: a long run shows progress on disk
    }
  }
  return roc;
}

// ---- 2. artificial anomalies: the normal test images, the digits to corrupt, and each corrupted type
struct Artificial {
  data::Dataset normal_test, source;
  std::vector<std::pair<std::string, data::Dataset>> types;  // name, images
  bool have_fashion = false;
};

Artificial make_artificial(const AnomalySettings& o, const data::MnistSplits& mnist) {
  Artificial a;
  Rng rng(derive_seed(o.seed, "artificial: images and corruptions"));
  a.normal_test = first_n(mnist.test, o.artificial_points, rng);
  a.source = first_n(mnist.test, o.artificial_points, rng);  // digits to corrupt
  for (analysis::Corruption c : analysis::all_corruptions()) {
    data::Dataset t = a.source;
    for (int64_t i = 0; i < t.count; ++i)
      analysis::corrupt(c, t.pixels.data() + i * t.dim(), static_cast<int>(t.height), static_cast<int>(t.width),
                        a.normal_test.image((i + 1) % a.normal_test.count), rng);
    a.types.emplace_back(analysis::corruption_name(c), std::move(t));
  }
  for (const char* name : {"/t10k-images-idx3-ubyte.gz", "/t10k-images-idx3-ubyte"})
    if (!a.have_fashion && fs::exists(o.fashion + name)) {
      data::IdxArray f = data::read_idx(o.fashion + name, 3);
      if (f.dims[1] != a.source.height || f.dims[2] != a.source.width) {
        std::printf("Fashion-MNIST left out: its images are %lldx%lld, the data's %lldx%lld\n", (long long)f.dims[1],
                    (long long)f.dims[2], (long long)a.source.height, (long long)a.source.width);
        break;
      }
      data::Dataset fd;
      fd.height = f.dims[1], fd.width = f.dims[2];
      fd.count = std::min<int64_t>(o.artificial_points, f.dims[0]);
      fd.pixels.assign(f.bytes.begin(), f.bytes.begin() + fd.count * fd.height * fd.width);
      fd.labels.assign(static_cast<size_t>(fd.count), 0);
      a.types.emplace_back("fashion_mnist", std::move(fd));
      a.have_fashion = true;
    }
  if (!a.have_fashion && !fs::exists(o.fashion))
    std::printf("Fashion-MNIST left out: %s does not exist (`make anomaly` installs Debian's dataset-fashion-mnist)\n", o.fashion.c_str());
  return a;
}

// What each kind of anomaly looks like: one row per type, the same source digits across the rows (the reporter
// draws them from artificial_examples.safetensors).
void write_examples(const AnomalySettings& o, const Artificial& a) {
  int64_t shown = std::min<int64_t>(10, a.source.count);  // ten source digits, or as many as every type has
  for (const auto& [name, t] : a.types) shown = std::min(shown, t.count);
  std::vector<int64_t> first(static_cast<size_t>(shown));
  std::iota(first.begin(), first.end(), 0);
  data::Dataset shown_digits = data::select(a.source, first);  // row 1, then one row per type
  std::string row_names = "normal";
  for (const auto& [name, t] : a.types) {
    row_names += "," + name;
    data::append(shown_digits, data::select(t, first));
  }
  const Tensor<float> images = data::scaled_pixels(shown_digits);
  io::save_safetensors(o.out + "/artificial_examples.safetensors",
                       {{{"images", io::to_safetensor(images)}}, {{"rows", row_names}, {"columns", std::to_string(shown)}}});
}

// Can the codes alone tell the anomaly types apart? A softmax classifier (one hidden layer) trained on a random half
// of the codes (`codes`: one row of Z per image, `code_type` its type), its accuracy on the other half.
double type_classifier_accuracy(const std::vector<float>& codes, const std::vector<int>& code_type, int64_t Z, int64_t classes, uint64_t seed) {
  const int64_t n = static_cast<int64_t>(code_type.size());
  Rng crng(seed);
  const std::vector<int64_t> perm = data::shuffled_indices(n, crng);
  models::Classifier clf({Z, 64, classes}, nn::Activation::Relu, crng);
  optim::Adam adam(clf.parameters(), 3e-3f);
  auto batch_of = [&](int64_t from, int64_t to, Tensor<float>& x, std::vector<int32_t>& y) {
    x = Tensor<float>(Shape{to - from, Z});
    y.clear();
    for (int64_t i = from; i < to; ++i) {
      std::copy(codes.begin() + perm[i] * Z, codes.begin() + (perm[i] + 1) * Z, x.data() + (i - from) * Z);
      y.push_back(code_type[perm[i]]);
    }
  };
  Tensor<float> x;
  std::vector<int32_t> y;
  for (int epoch = 0; epoch < 200; ++epoch)
    nn::train_epoch(adam, nn::steps_for(n / 2, 256), [&](int64_t step) -> nn::BatchLoss {
      batch_of(step * 256, std::min(step * 256 + 256, n / 2), x, y);
      return {models::classifier_loss(clf, x, y), static_cast<int64_t>(y.size())};
    }, "anomaly-type classifier", epoch);
  batch_of(n / 2, n, x, y);  // the other half, in one call
  const int64_t held_out = n - n / 2;
  return double(models::correct_count(models::classifier_logits(clf, held_out, [&](int64_t, int64_t) { return x; }, held_out), y)) /
         double(held_out);
}

// The t-SNE of the codes, normal and each type, to `path` as x,y,type rows (the reporter draws the scatter); skipped
// for 100 codes or fewer.
void write_codes_tsne(const std::vector<float>& codes, const std::vector<int>& code_type, int64_t Z, const std::string& path) {
  const int64_t n = static_cast<int64_t>(code_type.size());
  if (n <= 100) return;
  analysis::TsneOptions topt;
  topt.verbose = true;
  const analysis::TsneResult e = analysis::tsne(Tensor<float>::from(Shape{n, Z}, codes), topt);
  io::CsvTable table("x,y,type");
  for (int64_t i = 0; i < n; ++i) table.add_row(fmt::format("{:.5f},{:.5f},{}", e.y[2 * i], e.y[2 * i + 1], code_type[i]));
  table.write(path);
}

// What the artificial part measured, per latent size: each type's AUC-ROC per scorer, and how often a classifier of
// the codes alone tells the types (and normal images) apart.
struct ArtificialResults {
  std::map<int64_t, std::map<std::string, std::map<std::string, double>>> auc_roc;  // Z -> type -> scorer -> AUC
  std::map<int64_t, double> type_classifier_accuracy;                               // Z -> accuracy
};

// A VAE and an autoencoder of all ten digits per latent size; normal test images against each type: writes
// artificial.csv (AUCs, the codes' norm and KL, the type classifier's accuracy) and tsne_artificial_z*.csv.
ArtificialResults artificial_anomalies(const AnomalySettings& o, const data::MnistSplits& mnist, const Artificial& a) {
  ArtificialResults results;
  io::CsvTable art("type,latent,scorer,auc_roc,latent_mean_norm,kl,classifier_accuracy");
  for (int64_t Z : o.latents) {
    std::printf("-- artificial anomalies, Z = %lld: a VAE of all ten digits\n", (long long)Z);
    auto vae = train_model(o, mnist.train, Z, models::elbo_objective(), derive_seed(o.seed, fmt::format("artificial, Z = {}: VAE", Z)));
    auto ae = train_model(o, mnist.train, Z, models::autoencoder_objective(),
                          derive_seed(o.seed, fmt::format("artificial, Z = {}: autoencoder", Z)));
    Rng score_rng(derive_seed(o.seed, fmt::format("artificial, Z = {}: scoring", Z)));
    // Per type: AUC of each scorer, the normal test images against the type; and the codes, for the classifier and t-SNE.
    std::vector<float> codes;
    std::vector<int> code_type;
    auto code_stats = [&](const models::VaeScores& v, int type_index) {
      double norm = 0, kl = 0;
      for (int64_t i = 0; i < v.latent_mean.rows(); ++i) {
        double s = 0;
        for (int64_t j = 0; j < Z; ++j) s += v.latent_mean.at(i, j) * v.latent_mean.at(i, j);
        norm += std::sqrt(s) / double(v.latent_mean.rows());
        kl += v.kl[i] / double(v.latent_mean.rows());
        codes.insert(codes.end(), v.latent_mean.data() + i * Z, v.latent_mean.data() + (i + 1) * Z);
        code_type.push_back(type_index);
      }
      return std::pair{norm, kl};
    };
    models::VaeScores normal_scores;
    score_all(o, *vae, *ae, mnist.train, a.normal_test, Z, score_rng, &normal_scores);
    const auto [normal_norm, normal_kl] = code_stats(normal_scores, 0);
    art.add_row(fmt::format("normal,{},none,,{:.4f},{:.4f},", Z, normal_norm, normal_kl));
    for (size_t t = 0; t < a.types.size(); ++t) {
      data::Dataset both = a.normal_test;  // normal images first, then this type's
      data::append(both, a.types[t].second);
      models::VaeScores v;
      std::map<std::string, std::vector<double>> s = score_all(o, *vae, *ae, mnist.train, both, Z, score_rng, &v);
      std::vector<bool> anomaly(static_cast<size_t>(both.count), false);
      std::fill(anomaly.begin() + a.normal_test.count, anomaly.end(), true);
      models::VaeScores only;  // the type's own codes, for stats and the classifier
      only.latent_mean = Tensor<float>(Shape{a.types[t].second.count, Z});
      std::copy(v.latent_mean.data() + a.normal_test.count * Z, v.latent_mean.data() + v.latent_mean.numel(), only.latent_mean.data());
      only.kl.assign(v.kl.begin() + a.normal_test.count, v.kl.end());
      const auto [norm, kl] = code_stats(only, static_cast<int>(t) + 1);
      std::map<std::string, double> aucs;
      for (const auto& [name, score] : s) {
        aucs[known_anomaly_scorer(name)] = analysis::auc_roc(score, anomaly);
        art.add_row(fmt::format("{},{},{},{:.4f},{:.4f},{:.4f},", a.types[t].first, Z, name, aucs[name], norm, kl));
      }
      results.auc_roc[Z][a.types[t].first] = aucs;
    }
    const int64_t classes = static_cast<int64_t>(a.types.size()) + 1;
    const double accuracy = type_classifier_accuracy(codes, code_type, Z, classes, derive_seed(o.seed, fmt::format("artificial, Z = {}: type classifier", Z)));
    art.add_row(fmt::format("all,{},classifier,,,,{:.4f}", Z, accuracy));
    results.type_classifier_accuracy[Z] = accuracy;
    write_codes_tsne(codes, code_type, Z, fmt::format("{}/tsne_artificial_z{}.csv", o.out, Z));
  }
  art.write(o.out + "/artificial.csv");
  return results;
}

// summary.json holds every AUC-ROC a page quotes (tests/source_check.h reads it there): per latent size, in the
// order of --latents, each scorer's mean over the held-out digits and its value per digit (in the order of
// --digits), and the artificial part's AUCs and type classifier. AUC-PR stays in auc.csv.
void write_summary(const AnomalySettings& o, const data::MnistSplits& mnist, const AucTable& roc, const Artificial& a,
                   const ArtificialResults& art) {
  std::map<std::pair<std::string, int64_t>, double> mean_auc;  // (scorer, Z) -> mean AUC-ROC over the held-out digits
  for (const auto& [name, by_z] : roc)
    for (const auto& [Z, by_digit] : by_z)
      for (const auto& [d, auc] : by_digit) mean_auc[{name, Z}] += auc / double(o.digits.size());
  const auto best = std::max_element(mean_auc.begin(), mean_auc.end(), [](const auto& x, const auto& y) { return x.second < y.second; });
  io::Summary s;
  s.set("experiment", "anomaly");
  const io::Json settings = o;  // the settings (anomaly_settings.h), then the data and the results
  for (const auto& [key, value] : settings.items()) s.set(key, value);
  set_data_fields(s, o.data, mnist);
  std::vector<std::string> type_names = {"normal"};
  for (const auto& [name, t] : a.types) type_names.push_back(name);
  s.set("artificial_types", type_names);
  s.set("best_scorer", best == mean_auc.end() ? std::string() : fmt::format("{} (Z = {})", best->first.first, best->first.second));
  s.set("best_mean_auc_roc", best == mean_auc.end() ? 0.0 : best->second);
  s.set("fashion_mnist", a.have_fashion);
  io::Json held_out = io::Json::array(), artificial = io::Json::array();
  for (int64_t Z : o.latents) {
    io::Json mean = io::Json::object(), by_digit = io::Json::object();
    for (const auto& [name, by_z] : roc) {
      if (!by_z.count(Z)) continue;
      mean[name] = mean_auc.at({name, Z});
      for (int d : o.digits) by_digit[name].push_back(by_z.at(Z).at(d));
    }
    held_out.push_back({{"latent", Z}, {"mean_auc_roc", mean}, {"auc_roc_by_digit", by_digit}});
    if (art.auc_roc.count(Z))
      artificial.push_back({{"latent", Z}, {"auc_roc", art.auc_roc.at(Z)}, {"type_classifier_accuracy", art.type_classifier_accuracy.at(Z)}});
  }
  s.set("held_out_digits", held_out);
  s.set("artificial", artificial);
  const io::Json provenance = io::provenance_of_this_process(o.threads);
  s.set("provenance", provenance);
  s.set("seconds", provenance.at("invocations").at(0).at("seconds"));  // last: the run is whole (make collect needs it)
  s.write(o.out + "/summary.json");
  std::printf("wrote %s/{auc.csv,artificial.csv,tsne_artificial_z*.csv,artificial_examples.safetensors,summary.json}\n", o.out.c_str());
}

// Before any training, what the run will rely on: each held-out digit must have images in the training and the test
// split (a model of the other nine needs the digit's test images to score, and the digit absent from its training).
void check_digits_present(const AnomalySettings& o, const data::MnistSplits& mnist) {
  for (int d : o.digits)
    for (const auto* split : {&mnist.train, &mnist.test})
      if (std::count(split->labels.begin(), split->labels.end(), d) == 0)
        throw std::runtime_error(fmt::format("--digits {}: the {} split of {} has no image of digit {}", d,
                                             split == &mnist.train ? "training" : "test", o.data, d));
}

int run(const AnomalySettings& o) {
  set_num_threads(o.threads);
  io::require_writable_folder(o.out, "--out");
  const data::MnistSplits mnist = data::load_mnist(o.data);
  std::printf("data: %s  train %lld  test %lld\n", o.data.c_str(), (long long)mnist.train.count, (long long)mnist.test.count);
  check_digits_present(o, mnist);
  // The artificial anomalies first (their own seed, so the order changes nothing): the Fashion-MNIST files are opened
  // and checked before the hours of training, not after.
  const Artificial artificial = make_artificial(o, mnist);
  const AucTable roc = held_out_digits(o, mnist);
  write_examples(o, artificial);
  const ArtificialResults artificial_results = artificial_anomalies(o, mnist, artificial);
  write_summary(o, mnist, roc, artificial, artificial_results);
  return 0;
}

int main(int argc, char** argv) {
  AnomalySettings o;
  CLI::App app{"Anomaly detection with VAE likelihoods and latent codes (held-out digits, artificial anomalies)"};
  app.add_option("--data", o.data, "folder with the four MNIST IDX files")->required();
  app.add_option("--out", o.out, "run folder");
  app.add_option("--latents", o.latents, "latent sizes, e.g. 3 5 200")->check(io::in_range(int64_t(1), int64_t(10000)));
  app.add_option("--digits", o.digits, "digits to hold out in turn")->check(io::in_range(0, 9));
  app.add_option("--epochs", o.epochs, "epochs per model")->check(io::in_range(1, 100000));
  app.add_option("--batch", o.batch, "examples per step")->check(io::in_range(int64_t(1), int64_t(60000)));
  app.add_option("--hidden", o.hidden, "hidden units")->check(io::in_range(int64_t(1), int64_t(100000)));
  app.add_option("--iw-samples", o.iw_samples, "K for -log p(x)")->check(io::in_range(int64_t(1), int64_t(100000)));
  app.add_option("--recon-samples", o.recon_samples, "L for the reconstruction probability")->check(io::in_range(int64_t(1), int64_t(10000)));
  app.add_option("--svm-points", o.svm_points, "normal training images for each one-class SVM")->check(io::in_range(int64_t(10), int64_t(60000)));
  app.add_option("--artificial-points", o.artificial_points, "images per artificial anomaly type")->check(io::in_range(int64_t(10), int64_t(10000)));
  app.add_option("--nu", o.nu, "one-class SVM nu")->check(io::in_range(1e-6, 1.0));
  app.add_option("--fashion", o.fashion, "Fashion-MNIST folder (used when it exists)");
  app.final_callback([&] { io::require_distinct(o.latents, "--latents"), io::require_distinct(o.digits, "--digits"); });
  app.add_option("--seed", o.seed, "seed");
  app.add_option("--threads", o.threads, "threads (matrix multiplies and large loops)")->check(io::in_range(1, 256));
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
