// vae.cpp: `make experiment LATENT=200` — the 2015 VAE study on MNIST, as one script read top to bottom:
//   options -> data -> model -> train (checkpoint every epoch, resumable) -> evaluate -> pictures -> report.
// The model is models/vae.h (encoder and decoder of one hidden layer each, Bernoulli decoder, N(0, I) prior);
// the loss is the negative ELBO, trained through the reparameterisation trick with Adam.
// Shapes: B batch, D = 784 pixels, H hidden units, Z latent dimension, K importance samples.
#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <numeric>

#include "autograd/autograd.h"
#include "datasets/batches.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/program.h"
#include "io/progress.h"
#include "io/summary.h"
#include "models/vae_training.h"
#include "nn/checkpoint.h"
#include "viz/digits.h"
#include "viz/embedding_quality.h"
#include "viz/report.h"
#include "viz/svg.h"
#include "viz/tsne.h"

using namespace tg;
namespace fs = std::filesystem;

struct Options {
  int64_t latent = 200, hidden = 400, batch = 512, iw_samples = 1000;
  int epochs = 200, threads = 2;
  float lr = 1e-3f;
  uint64_t seed = 1;
  std::string data, out, binarize = "none", cache = "runs/cache";
  bool resume = false, tsne = true;
};

// The test (and validation) set under BINARIZE=dynamic is binarised once, with this seed, whatever SEED is:
// every run is then scored on the same binary images.
constexpr uint64_t kEvalBinarizeSeed = 20151231;

// ---- the run's history: one entry per finished epoch (kept in the checkpoint, so a resumed run has it)
struct History {
  std::vector<double> train_elbo, valid_elbo, seconds;
};

std::vector<double> as_doubles(const io::SafeTensor& t, const std::string& what) {
  if (t.dtype != "F64" || t.shape.size() != 1) throw std::runtime_error(what + ": expected an F64 vector");
  std::vector<double> v(static_cast<size_t>(t.shape[0]));
  if (!v.empty()) std::memcpy(v.data(), t.bytes.data(), t.bytes.size());
  return v;
}
io::SafeTensor from_doubles(const std::vector<double>& v) {
  io::SafeTensor t{"F64", {static_cast<int64_t>(v.size())}, std::vector<uint8_t>(v.size() * 8)};
  if (!v.empty()) std::memcpy(t.bytes.data(), v.data(), t.bytes.size());
  return t;
}

// What must match for a checkpoint to be resumed by this run. The learning rate may change on resume (to
// fine-tune at a lower rate, say): it is recorded and reported, not enforced.
std::map<std::string, std::string> run_identity(const Options& o) {
  return {{"latent", std::to_string(o.latent)}, {"hidden", std::to_string(o.hidden)},
          {"batch", std::to_string(o.batch)},   {"seed", std::to_string(o.seed)},
          {"binarize", o.binarize}};
}

void save_checkpoint(const std::string& path, const Options& o, const models::Vae<float>& vae, const optim::Adam& adam,
                     const Rng& rng, const History& h) {
  io::SafeTensors f;
  nn::put_parameters(f, "model.", vae.parameters());
  adam.save_state(f);
  const Rng::State st = rng.state();
  f.tensors["rng"] = io::to_safetensor_u64(std::vector<uint64_t>(st.begin(), st.end()));
  f.tensors["history.train_elbo"] = from_doubles(h.train_elbo);
  f.tensors["history.valid_elbo"] = from_doubles(h.valid_elbo);
  f.tensors["history.seconds"] = from_doubles(h.seconds);
  f.metadata = run_identity(o);
  f.metadata["lr"] = fmt::format("{}", o.lr);
  f.metadata["epoch"] = std::to_string(h.train_elbo.size());
  f.metadata["format"] = "tapegrad-vae-checkpoint-1";
  io::save_safetensors(path, f);  // atomic: a crash mid-save leaves the previous checkpoint intact
}

void load_checkpoint(const std::string& path, const Options& o, const models::Vae<float>& vae, optim::Adam& adam,
                     Rng& rng, History& h) {
  const io::SafeTensors f = io::load_safetensors(path);
  for (const auto& [key, value] : run_identity(o)) {
    auto it = f.metadata.find(key);
    if (it == f.metadata.end() || it->second != value)
      throw std::runtime_error(fmt::format("{}: made with {}={}, but this run asks for {}={}; use another OUT= or drop RESUME",
                                           path, key, it == f.metadata.end() ? "(missing)" : it->second, key, value));
  }
  if (auto it = f.metadata.find("lr"); it != f.metadata.end() && it->second != fmt::format("{}", o.lr))
    std::printf("note: the checkpoint was trained with lr %s; continuing with lr %g\n", it->second.c_str(), double(o.lr));
  nn::take_parameters(f, "model.", vae.parameters(), path);
  adam.load_state(f, path);
  const std::vector<uint64_t> st = io::to_u64_vector(f.tensors.at("rng"), path + ": rng");
  Rng::State state{};
  if (st.size() != state.size()) throw std::runtime_error(path + ": rng state has the wrong size");
  std::copy(st.begin(), st.end(), state.begin());
  rng.set_state(state);
  h.train_elbo = as_doubles(f.tensors.at("history.train_elbo"), path);
  h.valid_elbo = as_doubles(f.tensors.at("history.valid_elbo"), path);
  h.seconds = as_doubles(f.tensors.at("history.seconds"), path);
}

// t-SNE of the raw test pixels does not depend on the model: compute it once per dataset and keep it.
std::vector<double> cached_tsne_of_pixels(const data::Dataset& test, const std::string& cache_dir, const std::string& key) {
  const std::string path = cache_dir + "/tsne_original_" + key.substr(0, 16) + ".csv";
  std::vector<double> y;
  if (std::ifstream in(path); in) {
    double a, b;
    char comma;
    while (in >> a >> comma >> b) y.push_back(a), y.push_back(b);
    if (static_cast<int64_t>(y.size()) == 2 * test.count) {
      std::printf("t-SNE of the raw pixels: cached in %s\n", path.c_str());
      return y;
    }
    y.clear();
  }
  std::printf("t-SNE of the raw pixels (computed once, then cached in %s)\n", path.c_str());
  std::vector<float> x(test.pixels.size());
  for (size_t i = 0; i < x.size(); ++i) x[i] = test.pixels[i] / 255.0f;
  viz::TsneOptions opt;
  opt.verbose = true;
  y = viz::tsne(x, test.count, test.dim(), opt).y;
  fs::create_directories(cache_dir);
  std::string text;
  for (size_t i = 0; i < y.size(); i += 2) text += fmt::format("{:.6f},{:.6f}\n", y[i], y[i + 1]);
  io::write_file_atomically(path, text);
  return y;
}

int run(Options o) {
  const auto t_start = std::chrono::steady_clock::now();
  if (o.out.empty()) o.out = fmt::format("runs/vae-z{}", o.latent);
  set_num_threads(o.threads);
  fs::create_directories(o.out);
  const std::string checkpoint = o.out + "/checkpoint.safetensors";

  // ---- data: 50,000 train / 10,000 validation / 10,000 test; pixels as grey levels or binarised
  data::MnistSplits mnist = data::load_mnist(o.data);
  const data::Binarize train_binarize = o.binarize == "dynamic" ? data::Binarize::Dynamic : data::Binarize::None;
  if (train_binarize == data::Binarize::Dynamic) {
    Rng fixed(kEvalBinarizeSeed);
    mnist.valid = data::binarized_copy(mnist.valid, fixed);
    mnist.test = data::binarized_copy(mnist.test, fixed);
  }
  std::printf("data: %s  train %lld  valid %lld  test %lld  pixels %s\n", o.data.c_str(), (long long)mnist.train.count,
              (long long)mnist.valid.count, (long long)mnist.test.count,
              train_binarize == data::Binarize::Dynamic ? "binarised (dynamic)" : "grey levels in [0, 1]");

  // ---- model and optimizer: VAE(D, H, Z), Adam(lr)
  Rng rng(o.seed);
  models::Vae<float> vae(mnist.train.dim(), o.hidden, o.latent, rng);
  optim::Adam adam(vae.parameters(), o.lr);
  History history;
  if (o.resume && fs::exists(checkpoint)) {
    load_checkpoint(checkpoint, o, vae, adam, rng, history);
    std::printf("resuming from %s after epoch %zu\n", checkpoint.c_str(), history.train_elbo.size());
  } else if (o.resume) {
    std::printf("RESUME=1 but no %s yet: starting from epoch 1\n", checkpoint.c_str());
  }

  // ---- training: one line per epoch; a checkpoint after each
  io::Progress progress(o.epochs, mnist.train.count);
  for (int epoch = static_cast<int>(history.train_elbo.size()) + 1; epoch <= o.epochs; ++epoch) {
    progress.start_epoch(epoch);
    const models::VaeEpoch e =
        models::train_vae_epoch(vae, adam, mnist.train, o.batch, train_binarize, rng, epoch, &progress);
    const auto v0 = std::chrono::steady_clock::now();
    Rng eval_rng(o.seed + 1000003);  // the same validation noise every epoch: curves compare like with like
    const double valid_elbo = models::mean(models::score_vae(vae, mnist.valid, 0, eval_rng).elbo);
    const double eval_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - v0).count();
    if (!std::isfinite(valid_elbo))  // the model broke during this epoch: keep the previous checkpoint
      throw std::runtime_error(fmt::format("non-finite validation ELBO ({}) after epoch {}; {} still holds epoch {}",
                                           valid_elbo, epoch, checkpoint, epoch - 1));
    const double seconds = progress.end_epoch(
        fmt::format("train ELBO {:.2f} (rec {:.2f}, KL {:.2f})  valid ELBO {:.2f}", -e.neg_elbo, e.reconstruction, e.kl,
                    valid_elbo),
        eval_seconds);
    history.train_elbo.push_back(-e.neg_elbo);
    history.valid_elbo.push_back(valid_elbo);
    history.seconds.push_back(seconds);
    save_checkpoint(checkpoint, o, vae, adam, rng, history);
  }

  // ---- evaluation on the test set: ELBO and importance-weighted log p(x)
  std::printf("evaluating the test set (ELBO, and log p(x) with K = %lld importance samples)...\n", (long long)o.iw_samples);
  const auto e0 = std::chrono::steady_clock::now();
  Rng test_rng(o.seed + 2000003);
  const models::VaeScores scores = models::score_vae(vae, mnist.test, o.iw_samples, test_rng);
  const double eval_seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - e0).count();
  const double test_elbo = models::mean(scores.elbo);
  const double test_log_px = o.iw_samples > 0 ? models::mean(scores.log_px) : NAN;
  if (o.iw_samples > 0)
    std::printf("test ELBO %.2f   test log p(x) %.2f (K = %lld)   %.1f s\n", test_elbo, test_log_px, (long long)o.iw_samples,
                eval_seconds);
  else
    std::printf("test ELBO %.2f   (log p(x) skipped: IW_SAMPLES=0)\n", test_elbo);
  const std::vector<double>& likelihood = o.iw_samples > 0 ? scores.log_px : scores.elbo;  // what ranks the digits

  {  // scores.csv: one row per test image
    std::string csv = "index,label,elbo,log_px,reconstruction_ll,kl\n";
    for (int64_t i = 0; i < mnist.test.count; ++i)
      csv += fmt::format("{},{},{:.4f},{},{:.4f},{:.4f}\n", i, mnist.test.labels[i], scores.elbo[i],
                         o.iw_samples > 0 ? fmt::format("{:.4f}", scores.log_px[i]) : "", scores.reconstruction_ll[i],
                         scores.kl[i]);
    io::write_file_atomically(o.out + "/scores.csv", csv);
  }

  // ---- pictures
  const int H = static_cast<int>(mnist.test.height), W = static_cast<int>(mnist.test.width);
  {  // curves.svg: the ELBO per epoch on train and validation
    std::vector<double> epochs(history.train_elbo.size());
    std::iota(epochs.begin(), epochs.end(), 1.0);
    viz::write_text_file(o.out + "/curves.svg",
                         viz::line_plot_svg({{"train ELBO", epochs, history.train_elbo}, {"validation ELBO", epochs, history.valid_elbo}},
                                            {fmt::format("ELBO per epoch, Z = {}", o.latent), "epoch", "ELBO (nats)"}));
  }
  {  // samples.png: decodings of z ~ N(0, I), shown as pixel probabilities
    NoGrad no_grad;
    Rng sample_rng(o.seed + 3000017);
    Var<float> z(models::standard_normal<float>(Shape{100, o.latent}, sample_rng));
    Tensor<float> probs = sigmoid(vae.decode(z)).value();  // (100, D)
    viz::write_png(o.out + "/samples.png", viz::image_grid(viz::tensor_rows(probs), H, W,
                                                           viz::grid_options(10, "samples: decoder(z), z ~ N(0, I)")));
  }
  {  // reconstructions.png: 10 test digits per row pair, originals above their reconstructions (at the mean of q)
    NoGrad no_grad;
    std::vector<int64_t> idx(30);
    std::iota(idx.begin(), idx.end(), 0);
    Tensor<float> x;
    data::gather(mnist.test, idx, x, nullptr);
    Tensor<float> recon = sigmoid(vae.decode(vae.encode(Var<float>(x)).mu)).value();
    std::vector<std::vector<float>> imgs, originals = viz::tensor_rows(x), recons = viz::tensor_rows(recon);
    std::vector<std::string> rows;
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 10; ++c) imgs.push_back(originals[r * 10 + c]);
      for (int c = 0; c < 10; ++c) imgs.push_back(recons[r * 10 + c]);
      rows.push_back("x");
      rows.push_back("rec");
    }
    viz::write_png(o.out + "/reconstructions.png",
                   viz::image_grid(imgs, H, W, viz::grid_options(10, "test digits and reconstructions", {}, rows)));
  }
  std::vector<int64_t> by_likelihood(static_cast<size_t>(mnist.test.count));
  std::iota(by_likelihood.begin(), by_likelihood.end(), 0);
  std::stable_sort(by_likelihood.begin(), by_likelihood.end(), [&](int64_t a, int64_t b) { return likelihood[a] < likelihood[b]; });
  auto captions = [&](const std::vector<int64_t>& idx) {
    std::vector<std::string> c;
    for (int64_t i : idx) c.push_back(fmt::format("{} {:.0f}", mnist.test.labels[i], likelihood[i]));
    return c;
  };
  {  // ranked_global.png: the least and the most likely test digits
    std::vector<int64_t> least(by_likelihood.begin(), by_likelihood.begin() + 50), most(by_likelihood.end() - 50, by_likelihood.end());
    std::reverse(most.begin(), most.end());
    const std::string measure = o.iw_samples > 0 ? "log p(x)" : "ELBO";
    viz::write_png(o.out + "/ranked_global.png",
                   viz::stack_vertical({viz::image_grid(viz::dataset_images(mnist.test, least), H, W,
                                                        viz::grid_options(10, "least likely (label, " + measure + ")", captions(least))),
                                        viz::image_grid(viz::dataset_images(mnist.test, most), H, W,
                                                        viz::grid_options(10, "most likely (label, " + measure + ")", captions(most)))}));
  }
  {  // ranked_conditional.png: per class, the 8 least likely (left) and the 8 most likely (right)
    std::vector<int64_t> idx;
    std::vector<std::string> rows;
    for (int c = 0; c < 10; ++c) {
      std::vector<int64_t> of_class;
      for (int64_t i : by_likelihood)
        if (mnist.test.labels[i] == c) of_class.push_back(i);
      if (of_class.size() < 16) continue;
      idx.insert(idx.end(), of_class.begin(), of_class.begin() + 8);
      idx.insert(idx.end(), of_class.end() - 8, of_class.end());
      rows.push_back(std::to_string(c));
    }
    viz::write_png(o.out + "/ranked_conditional.png",
                   viz::image_grid(viz::dataset_images(mnist.test, idx), H, W,
                                   viz::grid_options(16, "per class: 8 least likely (left), 8 most likely (right)", captions(idx), rows)));
  }
  std::vector<int> labels(mnist.test.labels.begin(), mnist.test.labels.end());
  const std::vector<std::string> digit_names = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};
  if (o.latent <= 3) {  // latent.svg: the latent means themselves, pair by pair
    for (int64_t a = 0; a < o.latent; ++a)
      for (int64_t b = a + 1; b < o.latent; ++b) {
        std::vector<double> xs, ys;
        for (int64_t i = 0; i < mnist.test.count; ++i)
          xs.push_back(scores.latent_mean.at(i, a)), ys.push_back(scores.latent_mean.at(i, b));
        viz::write_text_file(fmt::format("{}/latent_z{}_z{}.svg", o.out, a + 1, b + 1),
                             viz::scatter_svg(xs, ys, labels, digit_names,
                                              {fmt::format("latent means, z{} vs z{}", a + 1, b + 1), fmt::format("z{}", a + 1), fmt::format("z{}", b + 1)}));
      }
  }
  double latent_knn = NAN, latent_trust = NAN, original_knn = NAN, original_trust = NAN;
  if (o.tsne) {  // t-SNE of the latent means, beside t-SNE of the raw pixels
    std::printf("t-SNE of the %lld latent means (Z = %lld)\n", (long long)mnist.test.count, (long long)o.latent);
    const std::vector<float> mu(scores.latent_mean.data(), scores.latent_mean.data() + scores.latent_mean.numel());
    viz::TsneOptions opt;
    opt.verbose = true;
    const std::vector<double> y_latent = viz::tsne(mu, mnist.test.count, o.latent, opt).y;
    std::vector<float> pixels(mnist.test.pixels.size());
    for (size_t i = 0; i < pixels.size(); ++i) pixels[i] = mnist.test.pixels[i] / 255.0f;
    const std::vector<double> y_original =
        cached_tsne_of_pixels(mnist.test, o.cache, data::idx_content_sha256(mnist.files[2]) + o.binarize);
    latent_knn = viz::knn_accuracy(y_latent, labels);
    latent_trust = viz::trustworthiness(pixels, mnist.test.dim(), y_latent);
    original_knn = viz::knn_accuracy(y_original, labels);
    original_trust = viz::trustworthiness(pixels, mnist.test.dim(), y_original);
    auto split = [](const std::vector<double>& y, int c) {
      std::vector<double> v;
      for (size_t i = c; i < y.size(); i += 2) v.push_back(y[i]);
      return v;
    };
    viz::write_text_file(o.out + "/tsne_latent.svg",
                         viz::scatter_svg(split(y_latent, 0), split(y_latent, 1), labels, digit_names,
                                          {fmt::format("t-SNE of latent means, Z = {} (10-NN acc {:.3f})", o.latent, latent_knn), "", ""}));
    viz::write_text_file(o.out + "/tsne_original.svg",
                         viz::scatter_svg(split(y_original, 0), split(y_original, 1), labels, digit_names,
                                          {fmt::format("t-SNE of raw pixels (10-NN acc {:.3f})", original_knn), "", ""}));
    std::printf("t-SNE 10-NN accuracy: latent %.3f, pixels %.3f; trustworthiness: latent %.3f, pixels %.3f\n", latent_knn,
                original_knn, latent_trust, original_trust);
  }

  // ---- summary.json
  std::vector<double> sorted_seconds = history.seconds;
  std::sort(sorted_seconds.begin(), sorted_seconds.end());
  const double median_epoch = sorted_seconds.empty() ? NAN : sorted_seconds[sorted_seconds.size() / 2];
  io::Summary s;
  s.set("experiment", "vae");
  s.set("latent", o.latent);
  s.set("hidden", o.hidden);
  s.set("epochs", o.epochs);
  s.set("batch", o.batch);
  s.set("lr", double(o.lr));
  s.set("seed", static_cast<int64_t>(o.seed));
  s.set("threads", o.threads);
  s.set("binarize", o.binarize);
  s.set("dataset", o.data);
  std::string hashes = "{";
  for (size_t i = 0; i < mnist.files.size(); ++i)
    hashes += fmt::format("{}{}: {}", i ? ", " : "", io::json_quote(fs::path(mnist.files[i]).filename().string()),
                          io::json_quote(data::idx_content_sha256(mnist.files[i])));
  s.set_raw("dataset_sha256", hashes + "}");
  s.set("train_images", mnist.train.count);
  s.set("test_images", mnist.test.count);
  s.set("train_elbo", history.train_elbo.empty() ? NAN : history.train_elbo.back());
  s.set("valid_elbo", history.valid_elbo.empty() ? NAN : history.valid_elbo.back());
  s.set("test_elbo", test_elbo);
  s.set("test_log_px", test_log_px);
  s.set("iw_samples", o.iw_samples);
  s.set("train_seconds", std::accumulate(history.seconds.begin(), history.seconds.end(), 0.0));
  s.set("seconds_per_epoch", median_epoch);
  s.set("eval_seconds", eval_seconds);
  s.set("tsne_latent_knn_accuracy", latent_knn);
  s.set("tsne_latent_trustworthiness", latent_trust);
  s.set("tsne_original_knn_accuracy", original_knn);
  s.set("tsne_original_trustworthiness", original_trust);
  s.set("seconds", std::chrono::duration<double>(std::chrono::steady_clock::now() - t_start).count());
  s.write(o.out + "/summary.json");

  // ---- report.html
  viz::Report r(fmt::format("VAE on MNIST, latent dimension {}", o.latent));
  r.paragraph(fmt::format("Encoder and decoder with one hidden layer of {} ReLU units, Bernoulli decoder, N(0, I) prior; "
                          "Adam (lr {}), batch {}, {} epochs, seed {}, {} pixels. Data: {} ({} train, {} validation, {} test).",
                          o.hidden, o.lr, o.batch, history.train_elbo.size(), o.seed, o.binarize == "dynamic" ? "binarised" : "grey-level",
                          o.data, mnist.train.count, mnist.valid.count, mnist.test.count));
  r.table({"measure", "value"},
          {{"test ELBO (nats)", fmt::format("{:.2f}", test_elbo)},
           {fmt::format("test log p(x), K = {}", o.iw_samples), fmt::format("{:.2f}", test_log_px)},
           {"seconds per epoch (median)", fmt::format("{:.2f}", median_epoch)}});
  r.heading("Training");
  r.figure("curves.svg", "ELBO per epoch on the training and validation sets (higher is better).");
  r.heading("Test digits ranked by likelihood");
  r.figure("ranked_global.png", "The 50 least likely test digits (top) and the 50 most likely (bottom) under the model, "
                                "captioned with label and log-likelihood: the study's 'global' ranking.");
  r.figure("ranked_conditional.png", "Within each class, the 8 least likely (left) and 8 most likely (right) digits: "
                                     "the study's 'conditional' ranking.");
  r.heading("Samples and reconstructions");
  r.figures_side_by_side({{"samples.png", "Decoder outputs for 100 draws from the prior."},
                          {"reconstructions.png", "Test digits (x) and their reconstructions from the posterior mean (rec)."}},
                         0);
  if (o.tsne) {
    r.heading("t-SNE of the latent codes and of the raw pixels");
    r.figures_side_by_side({{"tsne_latent.svg", fmt::format("Latent means, Z = {}: 10-NN accuracy {:.3f}, trustworthiness {:.3f}.", o.latent, latent_knn, latent_trust)},
                            {"tsne_original.svg", fmt::format("Raw pixels: 10-NN accuracy {:.3f}, trustworthiness {:.3f}.", original_knn, original_trust)}},
                           520);
  }
  if (o.latent <= 3) {
    r.heading("The latent means themselves");
    std::vector<std::pair<std::string, std::string>> panels;
    for (int64_t a = 0; a < o.latent; ++a)
      for (int64_t b = a + 1; b < o.latent; ++b)
        panels.push_back({fmt::format("latent_z{}_z{}.svg", a + 1, b + 1), fmt::format("z{} against z{}", a + 1, b + 1)});
    r.figures_side_by_side(panels, 420);
  }
  r.write(o.out + "/report.html");
  std::printf("wrote %s/{summary.json,scores.csv,report.html,...}\n", o.out.c_str());
  return 0;
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"The 2015 VAE study on MNIST: train, evaluate, draw"};
  app.add_option("--latent", o.latent, "latent dimension Z (the study: 3, 5, 200)")->check(CLI::Range(int64_t(1), int64_t(10000)));
  app.add_option("--epochs", o.epochs, "passes over the training set")->check(CLI::Range(1, 100000));
  app.add_option("--batch", o.batch, "examples per step")->check(CLI::Range(int64_t(1), int64_t(60000)));
  app.add_option("--hidden", o.hidden, "hidden units in encoder and decoder")->check(CLI::Range(int64_t(1), int64_t(100000)));
  app.add_option("--lr", o.lr, "Adam learning rate")->check(CLI::PositiveNumber);
  app.add_option("--seed", o.seed, "seed: initialisation, shuffling, sampling");
  app.add_option("--data", o.data, "folder with the four MNIST IDX files")->required();
  app.add_option("--out", o.out, "run folder (default runs/vae-z<latent>)");
  app.add_option("--iw-samples", o.iw_samples, "importance samples K for test log p(x); 0 skips it")->check(CLI::Range(int64_t(0), int64_t(100000)));
  app.add_option("--threads", o.threads, "threads (matrix multiplies and large loops)")->check(CLI::Range(1, 256));
  app.add_option("--binarize", o.binarize, "none (grey levels) or dynamic (fresh Bernoulli draw each epoch)")
      ->check(CLI::IsMember({"none", "dynamic"}));
  app.add_option("--cache", o.cache, "folder for results that do not depend on the model (t-SNE of the pixels)");
  app.add_flag("--resume", o.resume, "continue from <out>/checkpoint.safetensors");
  app.add_option("--tsne", o.tsne, "draw the t-SNE pictures (1) or not (0)");
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
