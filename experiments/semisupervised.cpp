// semisupervised.cpp: `make semisupervised` — learning digits from 100 labels with the semi-supervised VAEs of
// Kingma, Rezende, Mohamed & Welling (2014), the computing half (semisupervised_report draws the run folder):
//   M1+M2:  M1, a VAE with two hidden layers of 500 softplus units and Z = 50, trained on all the training images
//           with dynamic binarisation (one M1 per seed, serving every label count: M1 sees no labels, and a seed of
//           its own makes the seeds independent repeats); then M2 (models/m2.h, Gaussian likelihood) on M1's codes, as the authors'
//           learn_yz_x_ss.py does: only the dimensions whose means vary over the data (std > 0.1), a fresh sample
//           from q(z1|x) each time an image is used in training, the means at validation and test.
//   M2:     M2 on the pixels (Bernoulli likelihood): a fresh binarisation each time an image is used (the pixels
//           the paper's likelihood is for), scored on images binarised once; or with --binarize none grey levels.
// Each model trains for EPOCHS passes over the unlabelled images on the paper's objective (models/m2_training.h),
// weighted as --weighting (M1+M2) or --pixel-weighting (the pixel M2) says, measured on the validation split after
// every epoch; its test error is the one at the best validation epoch.
// Two more are recorded, since a reader of Oliver et al. (2018) asks for them: the last epoch's test error, and the
// test error at the epoch chosen by a validation set as small as a practitioner with few labels could afford
// (--small-valid, the first 1,000 validation images).
// Beside every model, the same classifier trained on the labelled examples alone: what the unlabelled data adds.
// Run folder: one sub-folder per trained model (m1-seed1/, m1m2-100-seed1/, m2-100-seed1/, ...), each with its training
// state (saved every epoch; RESUME=1 continues) and history.csv; invocations.json, the commands that worked on the
// folder (io/provenance.h); summary.json gathers the results.
// Optional (--anomaly-labels): do a few labelled anomalies help? M2 with two classes (normal digits, one held-out
// digit) against an unsupervised VAE's -log p(x), by AUC; anomaly.json records each model's AUC as it is measured,
// for a resume to read back (semisupervised_anomaly.h).
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>
#include <memory>

#include "analysis/auc.h"
#include "datasets/batches.h"
#include "io/csv.h"
#include "io/program.h"
#include "io/invocation_log.h"
#include "io/progress.h"
#include "io/provenance.h"
#include "io/run_folder.h"
#include "io/safetensors.h"
#include "experiments/data_summary.h"
#include "experiments/semisupervised_anomaly.h"
#include "experiments/semisupervised_selection.h"
#include "experiments/semisupervised_settings.h"
#include "io/summary.h"
#include "models/m2_training.h"
#include "models/vae_training.h"
#include "nn/init.h"
#include "models/classifier.h"
#include "nn/fit.h"
#include "nn/training_state.h"

using namespace tg;
namespace fs = std::filesystem;

std::string data_hash(const data::MnistSplits& mnist) { return mnist.sha256[0]; }

// The first n rows of f: the small validation set.
models::Features first_rows(const models::Features& f, int64_t n) {
  return {f.rows(data::identity_order(n)), {}, std::vector<int32_t>(f.labels.begin(), f.labels.begin() + n)};
}

// Writes history.csv: one row per epoch, one column per series (in the History's order), with the epoch first.
void write_history(const std::string& path, const nn::History& h) {
  std::string header = "epoch";
  for (const auto& [name, _] : h) header += "," + name;
  io::CsvTable table(header);
  for (size_t i = 0; i < nn::epochs_done(h); ++i) {
    std::string row = std::to_string(i + 1);
    for (const auto& [_, series] : h) row += fmt::format(",{:.6g}", series[i]);
    table.add_row(row);
  }
  table.write(path);
}

// After each epoch's state is saved: its history as a table too, and the epoch in the invocation log; then a safe
// point, where Ctrl-C stops the run (io/program.h).
void saved(const io::RunFolder& folder, const nn::History& history, io::InvocationLog& log) {
  write_history(folder.path("history.csv"), history);
  log.epoch_saved();
  io::stop_here_if_requested(fmt::format("{} holds epoch {}", folder.path("checkpoint.safetensors"), nn::epochs_done(history)));
}

// A model's time: the seconds of its history (training and validation, over every session of the run), in minutes.
double minutes_of(const nn::History& history) {
  double minutes = 0;
  for (double s : history.at("seconds")) minutes += s / 60;
  return minutes;
}

// Restores a sub-run's state when resuming one that exists; says what it did.
void maybe_resume(const SemisupervisedSettings& o, const std::string& checkpoint, const nn::TrainingState& state) {
  if (!o.resume || !fs::exists(checkpoint)) return;
  nn::load_training_state(checkpoint, state);
  std::printf("resuming %s after epoch %zu\n", checkpoint.c_str(), nn::epochs_done(state.history));
}

// Whether a folder holds checkpoints: resumed without an invocations.json, it was begun by an older version, whose
// commands are unknown (io/invocation_log.h marks its provenance incomplete).
bool has_checkpoints(const io::RunFolder& out) {
  for (const auto& e : fs::recursive_directory_iterator(out.folder()))
    if (e.path().filename() == "checkpoint.safetensors") return true;
  return false;
}

// A Gaussian prior N(0, sd^2) on every parameter adds -log p(theta) = |theta|^2 / (2 sd^2) to the authors' objective,
// which is a sum over the N training images; per image, as our step's loss is, its gradient is theta / (sd^2 N).
// sd 0: no prior.
void set_weight_prior(optim::Adam& adam, double sd, int64_t n_images) {
  if (sd > 0) adam.set_weight_decay(static_cast<float>(1.0 / (sd * sd * double(n_images))));
}

// ---- M1: a VAE on all training images; its q(z|x) for train (mean and log-variance: M2 samples from it),
// validation and test (means), restricted to the active dimensions.
struct Codes {
  models::Features train, valid, test;
  std::vector<int64_t> active;  // the kept latent dimensions
  double test_elbo = NAN;
  double minutes = 0;  // M1's training and validation, over every session of the run (read back: its history's)
  std::shared_ptr<models::Vae<float>> m1;  // its decoder turns M1+M2's samples into pixels
};

Codes train_m1(const SemisupervisedSettings& o, const data::MnistSplits& mnist, uint64_t seed, const io::RunFolder& folder, io::InvocationLog& log) {
  Rng rng(derive_seed(seed, "m1"));
  Codes c;
  c.m1 = std::make_shared<models::Vae<float>>(mnist.train.dim(), o.m1_hidden, o.m1_latent, rng, 2, activation_of(o));
  const models::Vae<float>& m1 = *c.m1;
  if (o.m1_init_std > 0) nn::draw_all_from_normal(m1.parameters(), o.m1_init_std, rng);
  optim::Adam adam(m1.parameters(), static_cast<float>(o.m1_lr));
  set_weight_prior(adam, o.m1_weight_prior_sd, mnist.train.count);
  nn::History history{{"train_elbo", {}}, {"valid_elbo", {}}, {"seconds", {}}};
  const nn::TrainingState state{m1.parameters(), adam, rng, history,
                                {{"model", "m1"}, {"hidden", std::to_string(o.m1_hidden)}, {"latent", std::to_string(o.m1_latent)},
                                 {"activation", o.activation}, {"seed", std::to_string(seed)}, {"train_images_sha256", data_hash(mnist)},
                                 {"init_std", fmt::format("{}", o.m1_init_std)}, {"weight_prior_sd", fmt::format("{}", o.m1_weight_prior_sd)}},
                                {{"lr", fmt::format("{}", o.m1_lr)}, {"batch", std::to_string(o.m1_batch)}}, {},
                                {{"init_std", "0"}, {"weight_prior_sd", "0"}}};
  const std::string checkpoint = folder.path("checkpoint.safetensors");
  maybe_resume(o, checkpoint, state);
  data::Dataset valid = mnist.valid, test = mnist.test;
  data::binarize_for_evaluation(valid, test);  // M1 learns binary pixels: its bound is measured on binary images
  std::printf("-- M1: VAE (2 x %lld %s units, Z = %lld), dynamically binarised pixels, seed %llu\n", (long long)o.m1_hidden,
              o.activation.c_str(), (long long)o.m1_latent, (unsigned long long)seed);
  io::Progress progress(o.m1_epochs, mnist.train.count);
  nn::fit(o.m1_epochs, state, checkpoint, progress, [&](int epoch) -> nn::EpochValues {
    const models::VaeEpoch e = models::train_vae_epoch(m1, adam, mnist.train, {o.m1_batch, data::Binarize::Dynamic}, models::elbo_objective(), rng, epoch, &progress);
    Rng eval_rng(derive_seed(seed, "m1 validation"));
    const double valid_elbo = models::mean(models::score_vae(m1, valid, 0, eval_rng).elbo);
    const double seconds = progress.end_epoch(fmt::format("M1  train ELBO {:.2f}  valid ELBO {:.2f}", -e.neg_elbo, valid_elbo));
    return {{"train_elbo", -e.neg_elbo}, {"valid_elbo", valid_elbo}, {"seconds", seconds}};
  }, [&](int) { saved(folder, history, log); });
  Rng score_rng(derive_seed(seed, "m1 codes"));
  c.test_elbo = models::mean(models::score_vae(m1, test, 0, score_rng).elbo);
  c.minutes = minutes_of(history);
  // The codes of the grey-level images (as the authors encode them): q(z|x)'s mean and log-variance.
  const models::VaeScores tr = models::score_vae(m1, mnist.train, 0, score_rng), va = models::score_vae(m1, mnist.valid, 0, score_rng),
                          te = models::score_vae(m1, mnist.test, 0, score_rng);
  const int64_t Z = o.m1_latent;
  c.active = models::active_dimensions(tr.latent_mean, 1000);  // the mean varies (std > 0.1) over the first 1000 images
  if (c.active.empty()) throw std::runtime_error("M1: no latent dimension is active (std of its mean > 0.1): train M1 longer");
  auto keep = [&](const Tensor<float>& t) {
    Tensor<float> k(Shape{t.rows(), static_cast<int64_t>(c.active.size())});
    for (int64_t i = 0; i < t.rows(); ++i)
      for (size_t j = 0; j < c.active.size(); ++j) k.at(i, static_cast<int64_t>(j)) = t.at(i, c.active[j]);
    return k;
  };
  c.train = {keep(tr.latent_mean), keep(tr.latent_logvar), std::vector<int32_t>(mnist.train.labels.begin(), mnist.train.labels.end())};
  c.valid = {keep(va.latent_mean), {}, std::vector<int32_t>(mnist.valid.labels.begin(), mnist.valid.labels.end())};
  c.test = {keep(te.latent_mean), {}, std::vector<int32_t>(mnist.test.labels.begin(), mnist.test.labels.end())};
  std::printf("   M1 test ELBO %.2f (binarised test images); %zu of %lld latent dimensions active\n", c.test_elbo, c.active.size(),
              (long long)Z);
  return c;
}

// ---- the supervised-only baseline: M2's classifier architecture on the labelled examples alone, Adam, the
// epoch (100 steps) with the best validation error chosen.
Errors supervised_baseline(const SemisupervisedSettings& o, const models::Features& train, const std::vector<int64_t>& labelled,
                           const std::vector<int32_t>& classes, const models::Features& valid, const models::Features& test,
                           int64_t H, int64_t K, Rng& rng) {
  models::Classifier classifier({train.dim(), H, K}, activation_of(o), rng, nn::Init::HeUniform);
  optim::Adam adam(classifier.parameters(), static_cast<float>(o.lr));
  const int64_t B = std::min<int64_t>(o.labelled_batch, static_cast<int64_t>(labelled.size()));
  std::vector<int64_t> order;
  size_t pos = 0;
  Errors best;
  auto error_on = [&](const models::Features& f) {
    const std::vector<int64_t> all = data::identity_order(f.count());
    const auto rows = [&](int64_t first, int64_t count) { return f.rows(data::batch_at(all, first, count)); };
    return models::classification_error(models::classifier_logits(classifier, f.count(), rows), f.labels);
  };
  for (int epoch = 1; epoch <= o.baseline_epochs; ++epoch) {
    nn::train_epoch(adam, 100, [&](int64_t) -> nn::BatchLoss {
      std::vector<int64_t> idx;
      std::vector<int32_t> y;
      for (int64_t i = 0; i < B; ++i) {
        if (pos == order.size()) order = data::shuffled_indices(static_cast<int64_t>(labelled.size()), rng), pos = 0;
        idx.push_back(labelled[order[pos]]);
        y.push_back(classes[order[pos++]]);
      }
      return {models::classifier_loss(classifier, train.rows(idx, &rng), y), B};
    }, "supervised baseline", epoch);
    const double v = error_on(valid);
    if (best.epoch == 0 || v < best.valid) best = {v, error_on(test), epoch};
  }
  return best;
}

// ---- one M2: trained on `features` with `labelled` (balanced over classes) and the rest unlabelled
struct M2Run {
  std::string name, model;
  int64_t n_labels = 0;
  uint64_t seed = 0;
  ChosenEpochs chosen;  // the best validation epoch's, the small validation split's and the last (semisupervised_selection.h)
  Errors baseline;
  std::vector<std::vector<int64_t>> last_test_confusion;  // [true][given] counts of the last epoch's model on the test set
  double minutes = 0;
};

// What an M2 learns from: the three splits as it sees them (pixels for M2, M1's codes for M1+M2), and how to turn
// what its decoder draws back into pixels (the identity, or M1's decoder).
using ToPixels = std::function<Tensor<float>(const Tensor<float>&)>;
struct M2Inputs {
  const models::Features &train, &valid, &test;
  ToPixels to_pixels;
};

// conditional_samples.safetensors: row y decodes (y, z_j) for the same ten z_j, as pixels (the report draws them).
void write_conditional_samples(const models::M2<float>& m2, int64_t latent, uint64_t seed, const ToPixels& to_pixels,
                               const std::string& path) {
  NoGrad no_grad;
  Rng sample_rng(derive_seed(seed, "samples"));
  const Tensor<float> z = models::standard_normal<float>(Shape{10, latent}, sample_rng);
  Tensor<float> images;
  for (int64_t y = 0; y < 10; ++y) {
    Tensor<float> onehot = Tensor<float>::zeros(Shape{10, 10});
    for (int64_t c = 0; c < 10; ++c) onehot.at(c, y) = 1;
    const Tensor<float> px = to_pixels(m2.decode_mean(z, onehot));
    if (y == 0) images = Tensor<float>(Shape{100, px.cols()});
    std::copy(px.data(), px.data() + px.numel(), images.data() + y * px.numel());
  }
  io::save_safetensors(path, {{{"images", io::to_safetensor(images)}}, {}});
}

M2Run train_m2(const SemisupervisedSettings& o, const std::string& model, int64_t n_labels, uint64_t seed, const M2Inputs& in,
               const data::MnistSplits& mnist, const io::RunFolder& folder, io::InvocationLog& log) {
  const models::Features &train = in.train, &valid = in.valid, &test = in.test;
  M2Run r;
  r.name = fs::path(folder.folder()).filename().string(), r.model = model, r.n_labels = n_labels, r.seed = seed;
  Rng label_rng(derive_seed(seed, "labels"));
  const std::vector<int64_t> labelled = data::balanced_label_indices(mnist.train, n_labels, 10, label_rng);
  std::vector<int32_t> classes;
  for (int64_t i : labelled) classes.push_back(train.labels[i]);
  std::vector<int64_t> unlabelled;
  for (int64_t i = 0, j = 0; i < train.count(); ++i)
    if (j < n_labels && labelled[j] == i) ++j;
    else unlabelled.push_back(i);
  // The authors' sizes: one hidden layer of 300 units with 100 labels, 500 with more (run_2layer_ssl.py).
  const int64_t H = o.hidden ? o.hidden : (n_labels <= 100 ? 300 : 500);
  const bool pixels = model == "m2";
  Rng rng(derive_seed(seed, model + " training"));
  models::M2<float> m2(train.dim(), H, o.latent, 10, pixels ? models::Likelihood::Bernoulli : models::Likelihood::Gaussian, rng,
                       activation_of(o));
  if (o.init_std > 0) nn::draw_all_from_normal(m2.parameters(), o.init_std, rng);
  if (o.zero_logvar) m2.zero_logvar_heads();
  // The authors' adam.py leaves out the bias correction and epsilon (--adam uncorrected, to measure it against ours)
  const bool uncorrected = o.adam == "uncorrected";
  optim::Adam adam(m2.parameters(), static_cast<float>(o.lr), 0.9f, 0.999f, uncorrected ? 0.0f : 1e-8f,
                   uncorrected ? optim::BiasCorrection::None : optim::BiasCorrection::Corrected);
  set_weight_prior(adam, o.weight_prior_sd, train.count());
  const std::string& weighting = pixels ? o.pixel_weighting : o.weighting;
  const models::M2Setup setup{o.batch, o.labelled_batch,
                              models::objective_weights(models::parse_weighting(weighting), n_labels,
                                                        static_cast<int64_t>(unlabelled.size()), o.alpha)};
  nn::History history{{"loss", {}}, {"valid_error", {}}, {"small_valid_error", {}}, {"valid_cross_entropy", {}},
                      {"valid_entropy", {}}, {"class_use_gap", {}}, {"decoder_logvar", {}}, {"test_error", {}}, {"seconds", {}}};
  const models::Features small_valid = first_rows(valid, std::min(o.small_valid, valid.count()));
  const nn::TrainingState state{m2.parameters(), adam, rng, history,
                                {{"model", model}, {"labels", std::to_string(n_labels)}, {"seed", std::to_string(seed)},
                                 {"hidden", std::to_string(H)}, {"latent", std::to_string(o.latent)}, {"activation", o.activation},
                                 {"weighting", weighting}, {"alpha", fmt::format("{}", o.alpha)}, {"batch", std::to_string(o.batch)},
                                 {"labelled_batch", std::to_string(o.labelled_batch)}, {"inputs", std::to_string(train.dim())},
                                 {"init_std", fmt::format("{}", o.init_std)}, {"weight_prior_sd", fmt::format("{}", o.weight_prior_sd)},
                                 {"m1_epochs", pixels ? "none" : std::to_string(o.m1_epochs)},
                                 {"binarize", pixels ? o.binarize : "none"}, {"zero_logvar", o.zero_logvar ? "yes" : "no"},
                                 {"adam", o.adam}, {"train_images_sha256", data_hash(mnist)}},
                                {{"lr", fmt::format("{}", o.lr)}}, {},
                                {{"binarize", "none"}, {"zero_logvar", "no"}, {"adam", "corrected"}}};
  const std::string checkpoint = folder.path("checkpoint.safetensors");
  maybe_resume(o, checkpoint, state);
  std::printf("-- %s, %lld labels, seed %llu: %lld inputs, H %lld, %s weighting (cross-entropy x %.3g per labelled example)\n",
              model == "m2" ? "M2" : "M1+M2", (long long)n_labels, (unsigned long long)seed, (long long)train.dim(), (long long)H,
              weighting.c_str(), setup.weights.per_labelled_example);
  io::Progress progress(o.epochs, static_cast<int64_t>(unlabelled.size()));
  nn::fit(o.epochs, state, checkpoint, progress, [&](int epoch) -> nn::EpochValues {
    const nn::EpochLoss loss = models::train_m2_epoch(m2, adam, train, labelled, classes, unlabelled, setup, rng, r.name, epoch, &progress);
    const auto e0 = std::chrono::steady_clock::now();
    Rng eval_rng(derive_seed(seed, "diagnostics"));  // the same noise every epoch: the curves compare like with like
    const models::M2Diagnostics d = models::diagnose_m2(m2, valid, 1000, eval_rng);
    const double test_error = models::classification_error(models::class_probabilities(m2, test), test.labels);
    const double small_valid_error = models::classification_error(models::class_probabilities(m2, small_valid), small_valid.labels);
    const double eval_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
    const double seconds = progress.end_epoch(
        fmt::format("{}  loss {:.2f}  valid error {:.2f}%  H(q) {:.3f}  gap {:.2f}{}", r.name, loss.per_step, 100 * d.error,
                    d.entropy, d.class_use_gap, pixels ? "" : fmt::format("  dec logvar {:.2f}", d.decoder_logvar)),
        eval_seconds);
    return {{"loss", loss.per_step}, {"valid_error", d.error}, {"small_valid_error", small_valid_error},
            {"valid_cross_entropy", d.cross_entropy}, {"valid_entropy", d.entropy}, {"class_use_gap", d.class_use_gap},
            {"decoder_logvar", d.decoder_logvar}, {"test_error", test_error}, {"seconds", seconds + eval_seconds}};
  }, [&](int) { saved(folder, history, log); });
  r.chosen = choose_epochs(history);
  r.last_test_confusion = models::confusion_counts(models::class_probabilities(m2, test), test.labels);
  r.minutes = minutes_of(history);
  std::printf("   test error %.2f%% at the best validation epoch (%d of %d; valid %.2f%%); last epoch %.2f%%; chosen on %lld "
              "validation images %.2f%% (epoch %d)\n", 100 * r.chosen.best.test, r.chosen.best.epoch, r.chosen.epochs, 100 * r.chosen.best.valid,
              100 * r.chosen.last.test, (long long)small_valid.count(), 100 * r.chosen.small_valid_best.test, r.chosen.small_valid_best.epoch);

  Rng baseline_rng(derive_seed(seed, model + " baseline"));
  r.baseline = supervised_baseline(o, train, labelled, classes, valid, test, H, 10, baseline_rng);
  std::printf("   supervised only (the same classifier on the %lld labelled examples): test error %.2f%%\n", (long long)n_labels,
              100 * r.baseline.test);

  write_conditional_samples(m2, o.latent, seed, in.to_pixels, folder.path("conditional_samples.safetensors"));
  return r;
}

// ---- the steps of run()

// Every label count (a multiple of 10: checked with the options) must find its share in each class of the
// training split: checked before any training.
void check_label_counts(const SemisupervisedSettings& o, const data::MnistSplits& mnist) {
  std::vector<int64_t> per_class(10, 0);
  for (uint8_t c : mnist.train.labels) ++per_class[c % 10];
  for (int64_t n : o.labels)
    for (int c = 0; c < 10; ++c)
      if (per_class[c] < n / 10)
        throw std::runtime_error(fmt::format("{}: class {} has {} training images, but --labels {} needs {} of each class",
                                             mnist.files[1], c, per_class[c], n, n / 10));
}

std::string m2_folder_name(const std::string& model, int64_t labels, uint64_t seed) {
  return fmt::format("{}-{}-seed{}", model, labels, seed);
}

// One sub-folder per model to train, all opened (locked, checked for a run we were not asked to resume) before
// any training.
std::map<std::string, std::unique_ptr<io::RunFolder>> open_model_folders(const SemisupervisedSettings& o, const io::RunFolder& out) {
  std::map<std::string, std::unique_ptr<io::RunFolder>> folders;
  auto open = [&](const std::string& name) { folders[name] = std::make_unique<io::RunFolder>(out.path(name), "checkpoint.safetensors", o.resume); };
  for (uint64_t seed : o.seeds) {
    if (o.models != "m2") open(fmt::format("m1-seed{}", seed));
    for (int64_t n : o.labels) {
      if (o.models != "m2") open(m2_folder_name("m1m2", n, seed));
      if (o.models != "m1m2") open(m2_folder_name("m2", n, seed));
    }
  }
  return folders;
}

// M1+M2's samples are codes of the active dimensions: M1's decoder (the inactive dimensions at 0, the prior's
// mean) turns them into pixels.
Tensor<float> codes_to_pixels(const Codes& codes, int64_t m1_latent, const Tensor<float>& c) {
  NoGrad no_grad;
  Tensor<float> z = Tensor<float>::zeros(Shape{c.rows(), m1_latent});
  for (int64_t i = 0; i < c.rows(); ++i)
    for (size_t j = 0; j < codes.active.size(); ++j) z.at(i, codes.active[j]) = c.at(i, static_cast<int64_t>(j));
  return sigmoid(codes.m1->decode(Var<float>(z))).value();
}

// summary.json: the setting, the data, and every run's errors (the reporter draws them).
io::Summary make_summary(const SemisupervisedSettings& o, const data::MnistSplits& mnist, const io::Json& m1_results, const std::vector<M2Run>& runs) {
  io::Summary s;
  s.set("experiment", "semisupervised");
  const io::Json settings = o;  // the settings (semisupervised_settings.h), then the data and the results
  for (const auto& [key, value] : settings.items()) s.set(key, value);
  set_data_fields(s, o.data, mnist);
  s.set("m1", m1_results);
  io::Json results = io::Json::array();
  for (const M2Run& r : runs)
    results.push_back({{"folder", r.name}, {"model", r.model}, {"labels", r.n_labels}, {"seed", r.seed}, {"epochs", r.chosen.epochs},
                       {"best_epoch", r.chosen.best.epoch}, {"valid_error", r.chosen.best.valid}, {"test_error", r.chosen.best.test},
                       {"last_epoch_test_error", r.chosen.last.test}, {"small_valid_best_epoch", r.chosen.small_valid_best.epoch},
                       {"small_valid_test_error", r.chosen.small_valid_best.test}, {"baseline_test_error", r.baseline.test},
                       {"baseline_valid_error", r.baseline.valid}, {"minutes", r.minutes},
                       {"last_epoch_test_confusion", r.last_test_confusion}});
  s.set("runs", results);
  return s;
}

void print_results(const std::vector<M2Run>& runs) {
  std::printf("%-8s %7s %5s %8s %14s %18s\n", "model", "labels", "seed", "epochs", "test error %", "supervised only %");
  for (const M2Run& r : runs)
    std::printf("%-8s %7lld %5llu %8d %14.2f %18.2f\n", r.model == "m2" ? "M2" : "M1+M2", (long long)r.n_labels,
                (unsigned long long)r.seed, r.chosen.epochs, 100 * r.chosen.best.test, 100 * r.baseline.test);
}

// The pixel M2's three splits: a fresh binarisation of each training image each time it is used, and validation and
// test images binarised once with a fixed seed, as the VAE study's binarised runs are scored; or with --binarize none
// grey levels (under a Bernoulli likelihood, as most reimplementations).
struct PixelSplits {
  models::Features train, valid, test;
};
PixelSplits pixel_splits(const SemisupervisedSettings& o, const data::MnistSplits& mnist) {
  data::Dataset valid = mnist.valid, test = mnist.test;
  if (o.binarize == "dynamic") data::binarize_for_evaluation(valid, test);
  PixelSplits p{models::pixel_features(mnist.train), models::pixel_features(valid), models::pixel_features(test)};
  p.train.binary_draws = o.binarize == "dynamic";
  return p;
}

// ---- the study
int run(SemisupervisedSettings o) {
  const auto t_start = std::chrono::steady_clock::now();
  set_num_threads(o.threads);
  io::stop_at_safe_points();  // Ctrl-C: stop once the epoch in progress is saved (saved(), and the anomaly study's record)
  models::parse_weighting(o.weighting), models::parse_weighting(o.pixel_weighting);
  const data::MnistSplits mnist = data::load_mnist(o.data);
  check_label_counts(o, mnist);
  check_anomaly_labels(o, mnist);
  std::printf("data: %s\n      train %lld  valid %lld  test %lld\n", mnist.description().c_str(), (long long)mnist.train.count,
              (long long)mnist.valid.count, (long long)mnist.test.count);
  const io::RunFolder out(o.out, "", o.resume);
  io::Json anomaly_record = open_anomaly_record(o, out.folder());
  check_anomaly_labels(o, mnist);  // again: a resume may have taken counts from the folder's record
  const auto folders = open_model_folders(o, out);
  io::InvocationLog log(out.folder(), o.resume, o.threads, has_checkpoints(out));

  // ---- per seed: M1 (it needs no labels, so it serves every label count), then an M2 per label count on M1's
  // codes (M1+M2), and on the pixels (M2)
  const bool run_m2 = o.models != "m1m2", run_m1m2 = o.models != "m2";
  io::Json m1_results = io::Json::array();
  const PixelSplits pixels = pixel_splits(o, mnist);
  const auto identity = [](const Tensor<float>& px) { return px; };
  std::vector<M2Run> runs;
  // summary.json after every finished model, so that a run stopped hours in keeps what it finished (without
  // "seconds", the mark of a whole run: make collect takes only those)
  const auto write_so_far = [&] {
    io::Summary s = make_summary(o, mnist, m1_results, runs);
    s.set("provenance", log.provenance());
    s.write(out.path("summary.json"));
  };
  for (uint64_t seed : o.seeds) {
    if (run_m1m2) {
      const std::string m1_folder = fmt::format("m1-seed{}", seed);
      const Codes codes = train_m1(o, mnist, seed, *folders.at(m1_folder), log);
      m1_results.push_back({{"seed", seed}, {"test_elbo", codes.test_elbo}, {"active_dimensions", codes.active.size()},
                            {"epochs", o.m1_epochs}, {"minutes", codes.minutes}, {"folder", m1_folder}});
      const auto pixels_of_codes = [&](const Tensor<float>& c) { return codes_to_pixels(codes, o.m1_latent, c); };
      for (int64_t n : o.labels) {
        runs.push_back(train_m2(o, "m1m2", n, seed, {codes.train, codes.valid, codes.test, pixels_of_codes}, mnist,
                                *folders.at(m2_folder_name("m1m2", n, seed)), log));
        write_so_far();
      }
    }
    if (run_m2)
      for (int64_t n : o.labels) {
        runs.push_back(train_m2(o, "m2", n, seed, {pixels.train, pixels.valid, pixels.test, identity}, mnist,
                                *folders.at(m2_folder_name("m2", n, seed)), log));
        write_so_far();
      }
  }

  io::Summary s = make_summary(o, mnist, m1_results, runs);
  if (!o.anomaly_labels.empty()) anomaly_study(o, mnist, anomaly_record, out.path(kAnomalyRecord), s);
  s.set("provenance", log.provenance());
  s.set("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count());  // last: the run is whole
  s.write(out.path("summary.json"));
  print_results(runs);
  if (!mnist.standard_mnist) std::printf("data: %s\n", mnist.description().c_str());
  std::printf("wrote %s/summary.json and a folder per model\n", o.out.c_str());
  return 0;
}

int main(int argc, char** argv) {
  SemisupervisedSettings o;
  CLI::App app{"Semi-supervised VAEs (M1+M2, M2) of Kingma et al. (2014) on MNIST: train, measure, write the run folder"};
  app.add_option("--data", o.data, "folder with the four MNIST IDX files")->required();
  app.add_option("--out", o.out, "run folder")->capture_default_str();
  app.add_option("--labels", o.labels, "labelled examples, balanced over classes (the paper: 100 600 1000 3000)")
      ->check(io::in_range(int64_t(10), int64_t(50000)))
      ->check(CLI::Validator([](const std::string& n) { return std::stoll(n) % 10 == 0 ? "" : n + " labels cannot be split evenly over 10 classes"; },
                             "MULTIPLE OF 10"))
      ->capture_default_str();
  app.add_option("--seeds", o.seeds, "seeds; several give a mean and standard deviation")->capture_default_str();
  app.add_option("--models", o.models, "m1m2, m2 or both")->check(CLI::IsMember({"m2", "m1m2", "both"}))->capture_default_str();
  app.add_option("--epochs", o.epochs, "M2: passes over the unlabelled data")->check(io::in_range(1, 100000))->capture_default_str();
  app.add_option("--m1-epochs", o.m1_epochs, "M1: passes over the training images")->check(io::in_range(1, 100000))->capture_default_str();
  app.add_option("--baseline-epochs", o.baseline_epochs, "the supervised-only classifier: epochs of 100 steps")->check(io::in_range(1, 100000))->capture_default_str();
  CLI::Option* weighting =
      app.add_option("--weighting", o.weighting, "M1+M2's M2 and the anomaly study's, and the pixel M2's unless --pixel-weighting "
                     "is given: paper (the paper's and the authors' code's objective) or balanced (see models/m2_training.h)")
          ->check(CLI::IsMember({"paper", "balanced"}))->capture_default_str();
  CLI::Option* pixel_weighting =
      app.add_option("--pixel-weighting", o.pixel_weighting, "the pixel M2's: paper or balanced (chosen on validation, docs/results.md; "
                     "as --weighting if only that is given)")
          ->check(CLI::IsMember({"paper", "balanced"}))->capture_default_str();
  CLI::Option* binarize =
      app.add_option("--binarize", o.binarize, "the pixel M2's images: dynamic (a fresh Bernoulli draw each time an image is "
                     "used; validation and test binarised once) or none (grey levels)")->check(CLI::IsMember({"none", "dynamic"}))->capture_default_str();
  app.add_option("--alpha", o.alpha, "the classification weight: alpha = this x N in the paper's J^alpha (the paper: 0.1)")
      ->check(io::non_negative)->capture_default_str();
  app.add_option("--activation", o.activation, "hidden units: softplus (the paper) or relu")->check(CLI::IsMember({"softplus", "relu"}))->capture_default_str();
  app.add_option("--batch", o.batch, "unlabelled examples per step")->check(io::in_range(int64_t(1), int64_t(60000)))->capture_default_str();
  app.add_option("--labelled-batch", o.labelled_batch, "labelled examples per step")->check(io::in_range(int64_t(1), int64_t(60000)))->capture_default_str();
  app.add_option("--hidden", o.hidden, "M2's hidden units (0: the authors', 300 for 100 labels else 500)")->check(io::in_range(int64_t(0), int64_t(100000)))->capture_default_str();
  app.add_option("--latent", o.latent, "M2's latent dimension")->check(io::in_range(int64_t(1), int64_t(10000)))->capture_default_str();
  app.add_option("--m1-hidden", o.m1_hidden, "M1's hidden units (two layers each way)")->check(io::in_range(int64_t(1), int64_t(100000)))->capture_default_str();
  app.add_option("--m1-latent", o.m1_latent, "M1's latent dimension")->check(io::in_range(int64_t(1), int64_t(10000)))->capture_default_str();
  app.add_option("--lr", o.lr, "M2's Adam learning rate (the authors': 3e-4)")->check(io::in_range(1e-8, 1.0))->capture_default_str();
  app.add_option("--adam", o.adam, "M2's Adam: corrected (Kingma & Ba's, bias-corrected, eps 1e-8) or uncorrected (the "
                 "authors' adam.py: no bias correction, eps 0)")->check(CLI::IsMember({"corrected", "uncorrected"}))->capture_default_str();
  app.add_option("--m1-lr", o.m1_lr, "M1's Adam learning rate (the authors': 3e-4)")->check(io::in_range(1e-8, 1.0))->capture_default_str();
  app.add_option("--init-std", o.init_std, "M2: if > 0, every parameter from N(0, init_std^2) (the authors': 0.001; 0: ours)")
      ->check(io::in_range(0.0, 10.0))->capture_default_str();
  app.add_option("--weight-prior-sd", o.weight_prior_sd, "M2: a Gaussian prior N(0, s^2) on every parameter (the authors': 1; 0: none)")
      ->check(io::in_range(0.0, 1000.0))->capture_default_str();
  CLI::Option* zero_logvar =
      app.add_flag("--zero-logvar", o.zero_logvar,
                   "M2: the layers that output log-variances start at 0, every variance at 1 (without it the Gaussian decoder's "
                   "can begin near -40 and the first step blow up): on by default, chosen on validation, except with --init-std > 0; "
                   "--zero-logvar=0 turns it off");
  app.add_option("--m1-init-std", o.m1_init_std, "M1: if > 0, every parameter from N(0, init_std^2) (the authors': 0.001; 0: ours)")
      ->check(io::in_range(0.0, 10.0))->capture_default_str();
  app.add_option("--m1-weight-prior-sd", o.m1_weight_prior_sd, "M1: a Gaussian prior N(0, s^2) on every parameter (the authors': 1; 0: none)")
      ->check(io::in_range(0.0, 1000.0))->capture_default_str();
  app.add_option("--m1-batch", o.m1_batch, "M1's examples per step (the authors': 1000)")->check(io::in_range(int64_t(1), int64_t(60000)))->capture_default_str();
  app.add_option("--small-valid", o.small_valid, "the small validation set: its first N images choose a second epoch to report")
      ->check(io::in_range(int64_t(1), int64_t(100000)))->capture_default_str();
  app.add_option("--anomaly-labels", o.anomaly_labels, "labelled anomalies to try in the anomaly study (none: skip it)")
      ->check(io::in_range(int64_t(1), int64_t(10000)));
  app.add_option("--anomaly-digit", o.anomaly_digit, "the held-out digit")->check(io::in_range(0, 9))->capture_default_str();
  app.add_option("--anomaly-epochs", o.anomaly_epochs, "epochs of each anomaly-study model")->check(io::in_range(1, 100000))->capture_default_str();
  app.add_option("--threads", o.threads, "threads (matrix multiplies and large loops)")->check(io::in_range(1, 256))->capture_default_str();
  app.add_flag("--resume", o.resume, "continue the models in --out (finished ones are read back, not retrained)");
  app.final_callback([&] {
    io::require_distinct(o.labels, "--labels"), io::require_distinct(o.seeds, "--seeds");
    io::require_distinct(o.anomaly_labels, "--anomaly-labels");
    // The authors' start draws every parameter near 0 already: it stays theirs unless the zeroing is asked for.
    if (o.init_std > 0 && zero_logvar->count() == 0) o.zero_logvar = false;
    // An option asked for that no model of the run takes is refused, rather than ignored.
    if (binarize->count() > 0 && o.models == "m1m2")
      throw CLI::ValidationError("--binarize", "applies to the pixel M2 (--models m2 or both), and --models is m1m2: M1 "
                                               "always learns dynamically binarised images, and M2 its codes");
    if (pixel_weighting->count() > 0 && o.models == "m1m2")
      throw CLI::ValidationError("--pixel-weighting", "applies to the pixel M2 (--models m2 or both), and --models is m1m2; "
                                                      "M1+M2's weighting is --weighting");
    // --weighting alone names every M2's weighting, as it did before the pixel M2 had one of its own (the committed
    // commands rerun as they ran).
    if (weighting->count() > 0 && pixel_weighting->count() == 0) o.pixel_weighting = o.weighting;
  });
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
