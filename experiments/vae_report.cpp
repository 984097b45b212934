// vae_report.cpp: `make report RUN=runs/vae-z200` — draws a finished run of experiments/vae, in seconds and
// without training: it reads the run folder (summary.json, history.csv, scores.csv, latent_means.safetensors,
// tsne_*.csv, and the model in checkpoint.safetensors) and the test images, and writes every picture and
// report.html into the same folder. `make experiment` ends by running it.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <numeric>

#include "autograd/autograd.h"
#include "datasets/batches.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/program.h"
#include "io/safetensors.h"
#include "io/summary.h"
#include "experiments/vae_settings.h"
#include "models/vae.h"
#include "nn/checkpoint.h"
#include "viz/digits.h"
#include "viz/report.h"
#include "viz/svg.h"

using namespace tg;
namespace fs = std::filesystem;

struct Options {
  std::string run, data;
};

const std::vector<std::string> kDigitNames = {"0", "1", "2", "3", "4", "5", "6", "7", "8", "9"};

// A (N, 2) embedding from tsne_*.csv as its two coordinate columns.
std::pair<std::vector<double>, std::vector<double>> embedding(const std::string& path, int64_t n) {
  const io::Csv csv = io::read_csv(path);
  if (static_cast<int64_t>(csv.rows.size()) != n)
    throw std::runtime_error(fmt::format("{}: {} rows, expected one per test image ({})", path, csv.rows.size(), n));
  return {csv.column("x"), csv.column("y")};
}

// Every figure is drawn at the width the report shows it, so its labels keep their size (a 560-pixel plot shown at
// 420 shrank its tick labels to about 9 pixels).
constexpr int kLatentPanelWidth = 420, kLatentPanelHeight = 390, kTsneWidth = 520, kTsneHeight = 483;

int run(const Options& o) {
  auto in = [&](const std::string& f) { return o.run + "/" + f; };
  const io::Json summary = io::read_json_file(in("summary.json"));
  const io::JsonReader s(summary, in("summary.json"));  // every lookup names the file and the field
  const VaeSettings run = read_vae_settings(summary, in("summary.json"));
  const int64_t latent = run.latent, iw_samples = run.iw_samples;
  const uint64_t seed = run.seed;

  // ---- the test images the run scored (binarised the same way), and the model it ended with
  const std::string data_folder = o.data.empty() ? run.data : o.data;
  data::MnistSplits mnist = data::load_mnist(data_folder);
  if (binarize_of(run) == data::Binarize::Dynamic) data::binarize_for_evaluation(mnist.valid, mnist.test);
  const data::Dataset& test = mnist.test;
  const int H = static_cast<int>(test.height), W = static_cast<int>(test.width);
  Rng rng(seed);
  models::Vae<float> vae = make_vae(run, test.dim(), rng);
  nn::take_parameters(io::load_safetensors(in("checkpoint.safetensors")), "model.", vae.parameters(), in("checkpoint.safetensors"));

  // ---- what the run measured
  const io::Csv history = io::read_csv(in("history.csv"));
  const io::Csv scores = io::read_csv(in("scores.csv"));
  if (static_cast<int64_t>(scores.rows.size()) != test.count)
    throw std::runtime_error(fmt::format("{}: {} rows, but {} holds {} test images", in("scores.csv"), scores.rows.size(),
                                         data_folder, test.count));
  const std::vector<double> likelihood = scores.column(iw_samples > 0 ? "log_px" : "elbo");  // what ranks the digits
  const std::string measure = iw_samples > 0 ? "log p(x)" : "ELBO";
  std::vector<int> labels(test.labels.begin(), test.labels.end());

  // curves.svg: the ELBO per epoch on train and validation
  // An IWAE run trains on the k-sample bound: its training curve is that bound, not the ELBO.
  const bool iwae = objective_of(run) == models::Objective::Iwae;
  const std::string train_name = iwae ? fmt::format("train IWAE bound, k = {}", run.k) : "train ELBO";
  viz::write_text_file(in("curves.svg"),
                       viz::line_plot_svg({{train_name, history.column("epoch"), history.column("train_elbo")},
                                           {"validation ELBO", history.column("epoch"), history.column("valid_elbo")}},
                                          {fmt::format("{} per epoch, Z = {}", iwae ? "Bounds" : "ELBO", latent), "epoch", "nats"}));
  {  // samples.png: decodings of z ~ N(0, I), shown as pixel probabilities
    NoGrad no_grad;
    Rng sample_rng(derive_seed(seed, "samples"));
    Var<float> z(models::standard_normal<float>(Shape{100, latent}, sample_rng));
    const Tensor<float> probs = sigmoid(vae.decode(z)).value();  // (100, D)
    viz::write_png(in("samples.png"), viz::image_grid(probs, H, W, viz::grid_options(10, "samples: decoder(z), z ~ N(0, I)")));
  }
  {  // reconstructions.png: test digits, each row of originals above its reconstructions (at the mean of q)
    NoGrad no_grad;
    const int64_t shown = std::min<int64_t>(30, test.count), per_row = std::min<int64_t>(10, shown);
    std::vector<int64_t> idx(static_cast<size_t>(shown));
    std::iota(idx.begin(), idx.end(), 0);
    Tensor<float> x;
    data::gather(test, idx, x, nullptr);
    const Tensor<float> recon = sigmoid(vae.decode(vae.encode(Var<float>(x)).mu)).value();
    // rows of per_row digits, each followed by a row of their reconstructions; the last pair padded with black
    const int64_t row_pairs = (shown + per_row - 1) / per_row;
    Tensor<float> imgs = Tensor<float>::zeros(Shape{2 * row_pairs * per_row, test.dim()});
    std::vector<std::string> rows;
    for (int64_t i = 0; i < shown; ++i) {
      const int64_t slot = (i / per_row) * 2 * per_row + i % per_row;
      std::copy(x.data() + i * test.dim(), x.data() + (i + 1) * test.dim(), imgs.data() + slot * test.dim());
      std::copy(recon.data() + i * test.dim(), recon.data() + (i + 1) * test.dim(), imgs.data() + (slot + per_row) * test.dim());
    }
    for (int64_t r = 0; r < row_pairs; ++r) rows.insert(rows.end(), {"x", "rec"});
    viz::write_png(in("reconstructions.png"),
                   viz::image_grid(imgs, H, W, viz::grid_options(static_cast<int>(per_row), "test digits and reconstructions", {}, rows)));
  }
  std::vector<int64_t> by_likelihood(static_cast<size_t>(test.count));
  std::iota(by_likelihood.begin(), by_likelihood.end(), 0);
  std::stable_sort(by_likelihood.begin(), by_likelihood.end(), [&](int64_t a, int64_t b) { return likelihood[a] < likelihood[b]; });
  auto captions = [&](const std::vector<int64_t>& idx) {
    std::vector<std::string> c;
    for (int64_t i : idx) c.push_back(fmt::format("{} {:.0f}", test.labels[i], likelihood[i]));
    return c;
  };
  {  // ranked_global.png: the least and the most likely test digits (50 each, or half the test set if smaller)
    const int64_t k = std::min<int64_t>(50, test.count / 2);
    std::vector<int64_t> least(by_likelihood.begin(), by_likelihood.begin() + k), most(by_likelihood.end() - k, by_likelihood.end());
    std::reverse(most.begin(), most.end());
    viz::write_png(in("ranked_global.png"),
                   viz::stack_vertical({viz::image_grid(viz::dataset_images(test, least), H, W,
                                                        viz::grid_options(10, "least likely (label, " + measure + ")", captions(least))),
                                        viz::image_grid(viz::dataset_images(test, most), H, W,
                                                        viz::grid_options(10, "most likely (label, " + measure + ")", captions(most)))}));
  }
  bool have_conditional = false;
  {  // ranked_conditional.png: per class, the k least likely (left) and the k most likely (right); k = 8, or fewer
     // when the smallest class has fewer than 16 test images (classes with fewer than 2 are left out)
    std::vector<std::vector<int64_t>> by_class(10);
    for (int64_t i : by_likelihood)
      if (test.labels[i] < 10) by_class[test.labels[i]].push_back(i);
    size_t k = 8;
    for (const auto& c : by_class)
      if (c.size() >= 2) k = std::min(k, c.size() / 2);
    std::vector<int64_t> idx;
    std::vector<std::string> rows;
    for (int c = 0; c < 10; ++c) {
      if (by_class[c].size() < 2) continue;
      idx.insert(idx.end(), by_class[c].begin(), by_class[c].begin() + k);
      idx.insert(idx.end(), by_class[c].end() - k, by_class[c].end());
      rows.push_back(std::to_string(c));
    }
    have_conditional = !idx.empty();
    if (have_conditional)
      viz::write_png(in("ranked_conditional.png"),
                     viz::image_grid(viz::dataset_images(test, idx), H, W, [&] {
                       viz::GridOptions g = viz::grid_options(static_cast<int>(2 * k), fmt::format("per class: {} least likely (left of the line), {} most likely (right)", k, k),
                                                              captions(idx), rows);
                       g.divider_after = static_cast<int>(k);
                       return g;
                     }()));
  }
  if (latent <= 3) {  // latent_z<a>_z<b>.svg: the latent means themselves, pair by pair
    const Tensor<float> mu = io::to_float_tensor(io::tensor_in(io::load_safetensors(in("latent_means.safetensors")), "latent_means", in("latent_means.safetensors")),
                                                 in("latent_means.safetensors"));
    if (mu.shape() != Shape{test.count, latent})
      throw std::runtime_error(fmt::format("{}: shape {}, expected [{}, {}]", in("latent_means.safetensors"), to_string(mu.shape()), test.count, latent));
    for (int64_t a = 0; a < latent; ++a)
      for (int64_t b = a + 1; b < latent; ++b) {
        std::vector<double> xs, ys;
        for (int64_t i = 0; i < test.count; ++i) xs.push_back(mu.at(i, a)), ys.push_back(mu.at(i, b));
        viz::write_text_file(fmt::format("{}/latent_z{}_z{}.svg", o.run, a + 1, b + 1),
                             viz::scatter_svg(xs, ys, labels, kDigitNames,
                                              {fmt::format("latent means, z{} vs z{}", a + 1, b + 1), fmt::format("z{}", a + 1), fmt::format("z{}", b + 1)},
                                              kLatentPanelWidth, kLatentPanelHeight));
      }
  }
  const bool tsne = s.get_or("tsne", false);
  auto num = [&](const char* key) { return s.number_or_nan(key); };
  if (tsne) {  // tsne_latent.svg, tsne_original.svg
    const auto [lx, ly] = embedding(in("tsne_latent.csv"), test.count);
    const auto [ox, oy] = embedding(in("tsne_original.csv"), test.count);
    viz::write_text_file(in("tsne_latent.svg"), viz::scatter_svg(lx, ly, labels, kDigitNames,
        {fmt::format("t-SNE of latent means, Z = {} (10-NN acc {:.3f})", latent, num("tsne_latent_knn_accuracy")), "", ""}, kTsneWidth, kTsneHeight));
    viz::write_text_file(in("tsne_original.svg"), viz::scatter_svg(ox, oy, labels, kDigitNames,
        {fmt::format("t-SNE of raw pixels (10-NN acc {:.3f})", num("tsne_original_knn_accuracy")), "", ""}, kTsneWidth, kTsneHeight));
  }

  // ---- report.html
  viz::Report r(fmt::format("VAE on {}, latent dimension {}", io::data_name(summary), latent));
  if (const std::string w = io::data_warning(summary); !w.empty()) r.paragraph(w);
  const int layers = run.hidden_layers;
  r.paragraph(fmt::format("Encoder and decoder with {} of {} {} units, Bernoulli decoder, N(0, I) prior; objective: {}; "
                          "{} (lr {}{}), batch {}, {} epochs, seed {}, {} pixels. Data: {} ({} train, {} test).",
                          layers == 1 ? "one hidden layer" : fmt::format("{} hidden layers", layers), run.hidden,
                          activation_of(run) == nn::Activation::Tanh ? "tanh" : "ReLU",
                          iwae ? fmt::format("the importance-weighted bound, k = {}", run.k) : "the ELBO",
                          run.optimizer == "adagrad" ? "Adagrad" : "Adam", run.lr,
                          run.lr_schedule == "iwae" ? ", the IWAE paper's schedule" : run.lr_schedule == "cosine" ? ", cosine schedule" : "",
                          run.batch, history.rows.size(), seed, binarize_of(run) == data::Binarize::Dynamic ? "binarised" : "grey-level",
                          data_folder, num("train_images"), test.count));
  // A measure the run did not take (K = 0, or a run folder from before active units were counted) says so.
  auto measured = [](double v, const std::string& text) { return std::isfinite(v) ? text : std::string("not measured"); };
  r.table({"measure", "value"},
          {{"test ELBO (nats)", measured(num("test_elbo"), fmt::format("{:.2f}", num("test_elbo")))},
           {fmt::format("test log p(x), K = {}", iw_samples), measured(num("test_log_px"), fmt::format("{:.2f}", num("test_log_px")))},
           {"active latent units (Cov_x E_q[u] > 0.01)", measured(num("active_units"), fmt::format("{:.0f} of {}", num("active_units"), latent))},
           {"seconds per epoch (median)", measured(num("seconds_per_epoch"), fmt::format("{:.2f}", num("seconds_per_epoch")))}});
  r.heading("Training");
  r.figure("curves.svg", iwae ? "The training bound (the objective) and the validation ELBO per epoch (higher is better)."
                              : "ELBO per epoch on the training and validation sets (higher is better).");
  r.heading("Test digits ranked by likelihood");
  r.figure("ranked_global.png", "The least likely test digits (top) and the most likely (bottom) under the model, "
                                "captioned with label and log-likelihood: the study's 'global' ranking.");
  if (have_conditional)
    r.figure("ranked_conditional.png", "Within each class, the least likely (left half) and the most likely (right half) "
                                       "digits: the study's 'conditional' ranking.");
  r.heading("Samples and reconstructions");
  r.figures_side_by_side({{"samples.png", "Decoder outputs for 100 draws from the prior."},
                          {"reconstructions.png", "Test digits (x) and their reconstructions from the posterior mean (rec)."}},
                         0);
  if (tsne) {
    r.heading("t-SNE of the latent codes and of the raw pixels");
    r.figures_side_by_side({{"tsne_latent.svg", fmt::format("Latent means, Z = {}: 10-NN accuracy {:.3f}, trustworthiness {:.3f}.", latent,
                                                            num("tsne_latent_knn_accuracy"), num("tsne_latent_trustworthiness"))},
                            {"tsne_original.svg", fmt::format("Raw pixels: 10-NN accuracy {:.3f}, trustworthiness {:.3f}.",
                                                              num("tsne_original_knn_accuracy"), num("tsne_original_trustworthiness"))}},
                           kTsneWidth);
  }
  if (latent <= 3) {
    r.heading("The latent means themselves");
    std::vector<std::pair<std::string, std::string>> panels;
    for (int64_t a = 0; a < latent; ++a)
      for (int64_t b = a + 1; b < latent; ++b)
        panels.push_back({fmt::format("latent_z{}_z{}.svg", a + 1, b + 1), fmt::format("z{} against z{}", a + 1, b + 1)});
    r.figures_side_by_side(panels, kLatentPanelWidth);
  }
  r.write(in("report.html"));
  std::printf("wrote %s/report.html and its pictures\n", o.run.c_str());
  return 0;
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Draws a run folder of experiments/vae: every picture and report.html, without training"};
  app.add_option("--run", o.run, "the run folder (runs/vae-z200, say)")->required()->check(CLI::ExistingDirectory);
  app.add_option("--data", o.data, "the MNIST folder, if it moved since the run (default: the one in summary.json)");
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
