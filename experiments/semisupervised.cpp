// semisupervised.cpp: `make semisupervised LABELS=100` — learning digits from a handful of labels with the
// semi-supervised VAE of Kingma et al. (2014), and the study's last question: do a few labelled anomalies help?
//   M2:     models/m2.h on the pixels; LABELS labelled images (balanced over classes, chosen with the seed), the
//           rest of the 50,000 unlabelled. The paper's objective, J^alpha = sum_l L + sum_u U + alpha (classifier's
//           cross-entropy on the labelled data), alpha = 0.1 N, divided by N and estimated per step from a labelled
//           and an unlabelled batch: (N_l mean L + N_u mean U + alpha N_l mean CE) / N. We read the cross-entropy
//           term as a sum over the labelled examples: read as a mean, it would weigh ~0.2% of J and the classifier
//           would barely learn from the labels (we measured 75% test error for M1+M2 that way).
//   M1+M2:  a VAE (M1, two hidden layers of 500) on all the images first; M2 (Gaussian likelihood) on its
//           50-dimensional latent means.
//   Anomalies: the held-out-digit protocol of the anomaly experiment with two classes (normal, anomaly): M2 gets
//           ANOMALY_LABELS labelled anomalies and as many labelled normal digits; its q(anomaly|x) is compared,
//           by AUC, with an unsupervised VAE's -log p(x) trained on the same normal images.
// Reported: test error per model, label count and seed (mean and standard deviation), AUCs, class-conditional
// samples, summary.json and report.html.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "analysis/auc.h"
#include "io/atomic_file.h"
#include "io/program.h"
#include "io/progress.h"
#include "io/run_folder.h"
#include "nn/train_loop.h"
#include "io/summary.h"
#include "models/m2.h"
#include "models/vae_training.h"
#include "viz/digits.h"
#include "viz/report.h"

using namespace tg;
namespace fs = std::filesystem;

struct Options {
  std::string data, out = "runs/semisupervised", models = "both";
  std::vector<int64_t> labels = {100}, anomaly_labels = {1, 10, 100};
  std::vector<uint64_t> seeds = {1};
  int epochs = 10, m1_epochs = 0, threads = 2, anomaly_digit = 9;
  int64_t batch = 256, labelled_batch = 100, hidden = 0, latent = 50;
  float lr = 3e-4f;
  double alpha_scale = 0.1;
};

// A dataset as a float matrix (N, D): pixels in [0, 1] or M1's codes.
struct Matrix {
  int64_t n = 0, d = 0;
  std::vector<float> v;
  std::vector<int32_t> label;
  Tensor<float> rows(std::span<const int64_t> idx) const {
    Tensor<float> t(Shape{static_cast<int64_t>(idx.size()), d});
    for (size_t r = 0; r < idx.size(); ++r) std::copy(v.begin() + idx[r] * d, v.begin() + (idx[r] + 1) * d, t.data() + r * d);
    return t;
  }
};
Matrix pixels_of(const data::Dataset& ds) {
  return {ds.count, ds.dim(), data::scaled_pixels(ds), std::vector<int32_t>(ds.labels.begin(), ds.labels.end())};
}

// Trains M2 on `unlabelled` plus the labelled rows `labelled` of `train` (their labels from train.label, mapped
// by `class_of`), for o.epochs passes over the unlabelled data.
void train_m2(const models::M2<float>& m2, const Matrix& train, const std::vector<int64_t>& labelled,
              const std::vector<int64_t>& unlabelled, const std::function<int32_t(int32_t)>& class_of, const Options& o,
              Rng& rng, const std::string& what) {
  optim::Adam adam(m2.parameters(), o.lr, 0.9f, 0.999f);
  const double N = double(labelled.size() + unlabelled.size());
  const double w_labelled = double(labelled.size()) / N, w_unlabelled = double(unlabelled.size()) / N;
  const double ce_weight = o.alpha_scale * N * double(labelled.size()) / N;  // alpha N_l / N, alpha = scale x N
  const int64_t K = m2.classes(), Z = m2.latent();
  io::Progress progress(o.epochs, static_cast<int64_t>(unlabelled.size()));
  std::vector<int64_t> lab_order = labelled;
  size_t lab_pos = lab_order.size();
  for (int epoch = 1; epoch <= o.epochs; ++epoch) {
    progress.start_epoch(epoch);
    const std::vector<int64_t> perm = data::shuffled_indices(static_cast<int64_t>(unlabelled.size()), rng);
    auto batch_loss = [&](int64_t step) -> nn::BatchLoss {
      const int64_t s = step * o.batch;
      std::vector<int64_t> ub, lb;
      for (int64_t i = s; i < std::min<int64_t>(s + o.batch, perm.size()); ++i) ub.push_back(unlabelled[perm[i]]);
      for (int64_t i = 0; i < std::min<int64_t>(o.labelled_batch, lab_order.size()); ++i) {  // cycle through labels
        if (lab_pos == lab_order.size()) {
          lab_order = labelled;
          for (size_t j = lab_order.size(); j > 1; --j) std::swap(lab_order[j - 1], lab_order[rng.below(j)]);
          lab_pos = 0;
        }
        lb.push_back(lab_order[lab_pos++]);
      }
      std::vector<int32_t> y;
      Tensor<float> y_onehot = Tensor<float>::zeros(Shape{static_cast<int64_t>(lb.size()), K});
      for (size_t i = 0; i < lb.size(); ++i) y.push_back(class_of(train.label[lb[i]])), y_onehot.at(static_cast<int64_t>(i), y.back()) = 1;
      Var<float> xl(train.rows(lb)), xu(train.rows(ub));
      Var<float> labelled_term = mean(m2.labelled_loss(xl, y_onehot, models::standard_normal<float>(Shape{xl.shape()[0], Z}, rng)));
      Var<float> unlabelled_term = mean(m2.unlabelled_loss(xu, models::standard_normal<float>(Shape{xu.shape()[0] * K, Z}, rng)));
      Var<float> classification = mean(cross_entropy(m2.class_logits(xl), y));
      return {add(add(scale(labelled_term, float(w_labelled)), scale(unlabelled_term, float(w_unlabelled))),
                  scale(classification, float(ce_weight))),
              static_cast<int64_t>(ub.size())};
    };
    const nn::EpochLoss loss = nn::train_epoch(adam, nn::steps_for(static_cast<int64_t>(perm.size()), o.batch), batch_loss, what,
                                               epoch, &progress);
    progress.end_epoch(fmt::format("{}  loss {:.2f}", what, loss.per_step));
  }
}

std::vector<std::vector<float>> class_probabilities(const models::M2<float>& m2, const Matrix& test) {
  NoGrad no_grad;
  std::vector<std::vector<float>> out;
  const std::vector<int64_t> all = data::identity_order(test.n);
  for (int64_t s = 0; s < test.n; s += 1000) {
    const Tensor<float> lp = log_softmax(m2.class_logits(Var<float>(test.rows(data::batch_at(all, s, 1000)))), 1).value();
    for (int64_t r = 0; r < lp.rows(); ++r) {
      std::vector<float> p;
      for (int64_t k = 0; k < lp.cols(); ++k) p.push_back(std::exp(lp.at(r, k)));
      out.push_back(p);
    }
  }
  return out;
}

double test_error(const models::M2<float>& m2, const Matrix& test) {
  const auto p = class_probabilities(m2, test);
  int64_t wrong = 0;
  for (int64_t i = 0; i < test.n; ++i)
    wrong += std::max_element(p[i].begin(), p[i].end()) - p[i].begin() != test.label[i];
  return double(wrong) / double(test.n);
}

int run(Options o) {
  if (o.m1_epochs == 0) o.m1_epochs = o.epochs;
  set_num_threads(o.threads);
  for (int64_t n : o.labels)
    if (n % 10 != 0) throw std::runtime_error(fmt::format("--labels: {} labels cannot be split evenly over 10 classes", n));
  const data::MnistSplits mnist = data::load_mnist(o.data);
  {  // every label count must find its share in each class of the training split: check before any training
    std::vector<int64_t> per_class(10, 0);
    for (uint8_t c : mnist.train.labels) ++per_class[c % 10];
    for (int64_t n : o.labels)
      for (int c = 0; c < 10; ++c)
        if (per_class[c] < n / 10)
          throw std::runtime_error(fmt::format("{}: class {} has {} training images, but --labels {} needs {} of each class",
                                               mnist.files[1], c, per_class[c], n, n / 10));
  }
  io::require_writable_folder(o.out, "--out");
  const Matrix train = pixels_of(mnist.train), test = pixels_of(mnist.test);
  std::printf("data: %s  train %lld  test %lld\n", o.data.c_str(), (long long)train.n, (long long)test.n);
  const bool run_m2 = o.models != "m1m2", run_m1m2 = o.models != "m2";
  auto identity = [](int32_t c) { return c; };

  io::Summary summary;
  summary.set("experiment", "semisupervised");
  summary.set("epochs", o.epochs);
  std::vector<std::vector<std::string>> rows;
  const std::map<std::pair<std::string, int64_t>, std::string> paper = {
      {{"M2", 100}, "11.97 (+-1.71)"}, {{"M2", 600}, "4.94 (+-0.13)"}, {{"M2", 1000}, "3.60 (+-0.56)"}, {{"M2", 3000}, "3.92 (+-0.63)"},
      {{"M1+M2", 100}, "3.33 (+-0.14)"}, {{"M1+M2", 600}, "2.59 (+-0.05)"}, {{"M1+M2", 1000}, "2.40 (+-0.02)"}, {{"M1+M2", 3000}, "2.18 (+-0.04)"}};
  std::unique_ptr<models::M2<float>> last_pixel_m2;
  std::map<uint64_t, std::pair<Matrix, Matrix>> m1_codes;  // seed -> M1's codes of (train, test); M1 needs no labels
  for (const std::string model : {"M2", "M1+M2"}) {
    if ((model == "M2" && !run_m2) || (model == "M1+M2" && !run_m1m2)) continue;
    for (int64_t n_labels : o.labels) {
      std::vector<double> errors;
      for (uint64_t seed : o.seeds) {
        Rng rng(seed);
        if (model == "M1+M2" && !m1_codes.count(seed)) {  // M1: a VAE on all training images, once per seed
          Rng m1_rng(seed + 1000);  // its own stream, so it does not matter which label count trains it first
          std::printf("-- M1: VAE (2 x H %lld, Z %lld) on all %lld training images, seed %llu\n", (long long)(o.hidden ? o.hidden : 500),
                      (long long)o.latent, (long long)train.n, (unsigned long long)seed);
          models::Vae<float> m1(train.d, o.hidden ? o.hidden : 500, o.latent, m1_rng, 2);  // two hidden layers, as the paper
          optim::Adam adam(m1.parameters(), 1e-3f);
          io::Progress progress(o.m1_epochs, train.n);
          for (int e = 1; e <= o.m1_epochs; ++e) {
            progress.start_epoch(e);
            const models::VaeEpoch s = models::train_vae_epoch(m1, adam, mnist.train, 256, data::Binarize::None, m1_rng, e, &progress);
            progress.end_epoch(fmt::format("M1  -ELBO {:.2f}", s.neg_elbo));
          }
          auto& [tr_codes, te_codes] = m1_codes[seed];
          tr_codes = train, te_codes = test;  // the same examples and labels; the values become codes
          for (auto [ds, m] : {std::pair{&mnist.train, &tr_codes}, std::pair{&mnist.test, &te_codes}}) {
            const models::VaeScores codes = models::score_vae(m1, *ds, 0, m1_rng);
            m->d = o.latent;
            m->v.assign(codes.latent_mean.data(), codes.latent_mean.data() + codes.latent_mean.numel());
          }
        }
        // M1+M2 sees M1's latent means (its data), M2 the pixels.
        const Matrix& tr = model == "M1+M2" ? m1_codes[seed].first : train;
        const Matrix& te = model == "M1+M2" ? m1_codes[seed].second : test;
        const std::vector<int64_t> labelled = data::balanced_label_indices(mnist.train, n_labels, 10, rng);
        std::vector<int64_t> unlabelled;
        for (int64_t i = 0, j = 0; i < tr.n; ++i)
          if (j < static_cast<int64_t>(labelled.size()) && labelled[j] == i) ++j;
          else unlabelled.push_back(i);
        // The paper: one hidden layer of 500 units (300 with 100 labels), unless HIDDEN says otherwise.
        const int64_t H = o.hidden ? o.hidden : (n_labels <= 100 ? 300 : 500);
        auto m2 = std::make_unique<models::M2<float>>(tr.d, H, o.latent, 10,
                                                       model == "M2" ? models::Likelihood::Bernoulli : models::Likelihood::Gaussian, rng);
        std::printf("-- %s, %lld labels, seed %llu, H %lld\n", model.c_str(), (long long)n_labels, (unsigned long long)seed, (long long)H);
        train_m2(*m2, tr, labelled, unlabelled, identity, o, rng, model);
        errors.push_back(test_error(*m2, te));
        std::printf("   test error %.2f%%\n", 100 * errors.back());
        if (model == "M2") last_pixel_m2 = std::move(m2);
      }
      double mean = 0, var = 0;
      for (double e : errors) mean += e / double(errors.size());
      for (double e : errors) var += (e - mean) * (e - mean) / double(std::max<size_t>(1, errors.size() - 1));
      const std::string key = fmt::format("{}_{}_labels", model == "M2" ? "m2" : "m1m2", n_labels);
      summary.set(key + "_test_error", mean);
      summary.set(key + "_test_error_std", std::sqrt(var));
      auto it = paper.find({model, n_labels});
      rows.push_back({model, std::to_string(n_labels), fmt::format("{:.2f} (+-{:.2f}, {} seeds)", 100 * mean, 100 * std::sqrt(var), errors.size()),
                      it == paper.end() ? "-" : it->second});
    }
  }

  if (last_pixel_m2) {  // class-conditional samples: one row per digit, the same z down each column
    Rng rng(o.seeds.front() + 17);
    const Tensor<float> z = models::standard_normal<float>(Shape{10, o.latent}, rng);
    std::vector<std::vector<float>> imgs;
    for (int64_t y = 0; y < 10; ++y) {
      Tensor<float> onehot = Tensor<float>::zeros(Shape{10, 10});
      for (int64_t c = 0; c < 10; ++c) onehot.at(c, y) = 1;
      for (auto& row : viz::tensor_rows(last_pixel_m2->decode_mean(z, onehot))) imgs.push_back(row);
    }
    std::vector<std::string> labels;
    for (int y = 0; y < 10; ++y) labels.push_back(std::to_string(y));
    viz::write_png(o.out + "/conditional_samples.png",
                   viz::image_grid(imgs, static_cast<int>(mnist.test.height), static_cast<int>(mnist.test.width),
                                   viz::grid_options(10, "M2 samples: row = class y, column = one z", {}, labels)));
  }

  // ---- semi-supervised anomaly detection: two classes, a few labelled anomalies
  std::vector<std::vector<std::string>> anomaly_rows;
  std::vector<int64_t> normal_idx, anomaly_idx;
  for (int64_t i = 0; i < train.n; ++i) (train.label[i] == o.anomaly_digit ? anomaly_idx : normal_idx).push_back(i);
  std::vector<bool> is_anomaly;
  for (int64_t i = 0; i < test.n; ++i) is_anomaly.push_back(test.label[i] == o.anomaly_digit);
  {
    Rng rng(o.seeds.front() + 31);
    data::Dataset normal;  // the unsupervised baseline: a VAE of the normal digits, scored by -log p(x)
    normal.height = mnist.train.height, normal.width = mnist.train.width;
    for (int64_t i : normal_idx)
      normal.pixels.insert(normal.pixels.end(), mnist.train.image(i), mnist.train.image(i) + normal.dim()), normal.labels.push_back(0);
    normal.count = static_cast<int64_t>(normal_idx.size());
    models::Vae<float> vae(train.d, 400, 20, rng);
    optim::Adam adam(vae.parameters(), 1e-3f);
    for (int e = 1; e <= o.epochs; ++e) models::train_vae_epoch(vae, adam, normal, 512, data::Binarize::None, rng, e);
    std::vector<double> score = models::score_vae(vae, mnist.test, 100, rng).log_px;
    for (double& s : score) s = -s;
    const double baseline = analysis::auc_roc(score, is_anomaly);
    anomaly_rows.push_back({"unsupervised VAE, -log p(x) (K = 100)", "0", fmt::format("{:.3f}", baseline)});
    summary.set("anomaly_digit", o.anomaly_digit);
    summary.set("anomaly_auc_unsupervised", baseline);
    for (int64_t n_a : o.anomaly_labels) {
      if (n_a <= 0 || n_a > static_cast<int64_t>(anomaly_idx.size())) continue;
      // Labelled: n_a anomalies and n_a normal digits; unlabelled: the other normal digits.
      std::vector<int64_t> a = anomaly_idx, nm = normal_idx;
      for (size_t j = a.size(); j > 1; --j) std::swap(a[j - 1], a[rng.below(j)]);
      for (size_t j = nm.size(); j > 1; --j) std::swap(nm[j - 1], nm[rng.below(j)]);
      std::vector<int64_t> labelled(a.begin(), a.begin() + n_a);
      labelled.insert(labelled.end(), nm.begin(), nm.begin() + n_a);
      const std::vector<int64_t> unlabelled(nm.begin() + n_a, nm.end());
      models::M2<float> m2(train.d, 300, o.latent, 2, models::Likelihood::Bernoulli, rng);
      const int digit = o.anomaly_digit;
      std::printf("-- anomalies: digit %d, %lld labelled anomalies\n", digit, (long long)n_a);
      train_m2(m2, train, labelled, unlabelled, [digit](int32_t c) { return c == digit ? 1 : 0; }, o, rng, "M2 (normal/anomaly)");
      const auto p = class_probabilities(m2, test);
      std::vector<double> s;
      for (const auto& pr : p) s.push_back(pr[1]);
      const double auc = analysis::auc_roc(s, is_anomaly);
      anomaly_rows.push_back({"M2, q(anomaly | x)", std::to_string(n_a), fmt::format("{:.3f}", auc)});
      summary.set(fmt::format("anomaly_auc_m2_{}_labels", n_a), auc);
      std::printf("   AUC %.3f (unsupervised %.3f)\n", auc, baseline);
    }
  }

  summary.write(o.out + "/summary.json");
  viz::Report r("Semi-supervised VAE (Kingma et al. 2014) on MNIST");
  r.paragraph(fmt::format("M2: classifier, encoder and decoder with one hidden layer (ReLU), Z = {}, Adam lr {} (0.9, 0.999), "
                          "{} epochs over the unlabelled data, unlabelled batch {}, labelled batch {}, alpha = {} N. M1+M2: a VAE "
                          "(two hidden layers of 500 as in the paper, Z = {}, {} epochs) whose latent means feed an M2 with a "
                          "Gaussian likelihood. The paper trained for far longer.",
                          o.latent, o.lr, o.epochs, o.batch, o.labelled_batch, o.alpha_scale, o.latent, o.m1_epochs));
  r.table({"model", "labels", "test error % (ours)", "test error % (paper, Table 1)"}, rows);
  if (last_pixel_m2) r.figure("conditional_samples.png", "M2 separates content (the class, one per row) from style (z, shared down each column).");
  r.heading(fmt::format("Does a handful of labelled anomalies help? (digit {} held out)", o.anomaly_digit));
  r.table({"scorer", "labelled anomalies", "AUC-ROC"}, anomaly_rows);
  r.write(o.out + "/report.html");
  std::printf("wrote %s/{summary.json,report.html,conditional_samples.png}\n", o.out.c_str());
  return 0;
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Semi-supervised VAE (M2, M1+M2) on MNIST, and semi-supervised anomaly detection"};
  app.add_option("--data", o.data, "folder with the four MNIST IDX files")->required();
  app.add_option("--out", o.out, "run folder");
  app.add_option("--labels", o.labels, "labelled examples, balanced over classes (e.g. 100 600 1000 3000)")->check(CLI::Range(int64_t(10), int64_t(50000)));
  app.add_option("--seeds", o.seeds, "seeds; several give a mean and standard deviation");
  app.add_option("--models", o.models, "m2, m1m2 or both")->check(CLI::IsMember({"m2", "m1m2", "both"}));
  app.add_option("--epochs", o.epochs, "passes over the unlabelled data")->check(CLI::Range(1, 100000));
  app.add_option("--m1-epochs", o.m1_epochs, "epochs of the M1 VAE (0: as many as --epochs)")->check(CLI::Range(0, 100000));
  app.add_option("--batch", o.batch, "unlabelled examples per step")->check(CLI::Range(int64_t(1), int64_t(60000)));
  app.add_option("--labelled-batch", o.labelled_batch, "labelled examples per step")->check(CLI::Range(int64_t(1), int64_t(60000)));
  app.add_option("--hidden", o.hidden, "hidden units (0: the paper's, 300 for 100 labels else 500)")->check(CLI::Range(int64_t(0), int64_t(100000)));
  app.add_option("--latent", o.latent, "latent dimension")->check(CLI::Range(int64_t(1), int64_t(10000)));
  app.add_option("--lr", o.lr, "Adam learning rate")->check(CLI::PositiveNumber);
  app.add_option("--alpha-scale", o.alpha_scale, "alpha = this x N, weighting the labelled cross-entropy sum (the paper: 0.1)")->check(CLI::NonNegativeNumber);
  app.add_option("--anomaly-labels", o.anomaly_labels, "labelled anomalies to try (0 skips)")->check(CLI::Range(int64_t(0), int64_t(10000)));
  app.add_option("--anomaly-digit", o.anomaly_digit, "the held-out digit")->check(CLI::Range(0, 9));
  app.add_option("--threads", o.threads, "threads (matrix multiplies and large loops)")->check(CLI::Range(1, 256));
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
