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

// The run being drawn: its folder, summary.json and settings, the test images it scored (binarised as it binarised
// them), and the score that ranks them.
struct VaeRun {
  std::string folder, data_folder;
  io::Json summary;
  VaeSettings settings;
  data::MnistSplits mnist;
  std::vector<double> likelihood;      // per test image: log p(x), or the ELBO when the run took K = 0
  std::string measure;                 // "log p(x)" or "ELBO"
  std::vector<int64_t> by_likelihood;  // the test images from the least likely to the most
  std::string in(const std::string& file) const { return folder + "/" + file; }
  const data::Dataset& test() const { return mnist.test; }
  int height() const { return static_cast<int>(mnist.test.height); }
  int width() const { return static_cast<int>(mnist.test.width); }
  double num(const char* key) const { return io::JsonReader(summary, in("summary.json")).number_or_nan(key); }
  std::vector<std::string> captions(const std::vector<int64_t>& idx) const {  // "label score" under each digit
    std::vector<std::string> c;
    for (int64_t i : idx) c.push_back(fmt::format("{} {:.0f}", test().labels[i], likelihood[i]));
    return c;
  }
};

VaeRun read_run(const Options& o) {
  VaeRun run;
  run.folder = o.run;
  run.summary = io::read_json_file(run.in("summary.json"));
  run.settings = read_vae_settings(run.summary, run.in("summary.json"));
  run.data_folder = o.data.empty() ? run.settings.data : o.data;
  run.mnist = load_run_data(run.settings, run.data_folder);  // the split and the draw the run scored
  const io::Csv scores = io::read_csv(run.in("scores.csv"));
  if (static_cast<int64_t>(scores.rows.size()) != run.test().count)
    throw std::runtime_error(fmt::format("{}: {} rows, but {} holds {} test images", run.in("scores.csv"), scores.rows.size(),
                                         run.data_folder, run.test().count));
  const bool iw = run.settings.iw_samples > 0;
  run.likelihood = scores.column(iw ? "log_px" : "elbo");
  run.measure = iw ? "log p(x)" : "ELBO";
  run.by_likelihood.resize(static_cast<size_t>(run.test().count));
  std::iota(run.by_likelihood.begin(), run.by_likelihood.end(), 0);
  std::stable_sort(run.by_likelihood.begin(), run.by_likelihood.end(),
                   [&](int64_t a, int64_t b) { return run.likelihood[a] < run.likelihood[b]; });
  return run;
}

// The model the run ended with, from its checkpoint.
models::Vae<float> load_model(const VaeRun& run) {
  Rng rng(run.settings.seed);
  models::Vae<float> vae = make_vae(run.settings, run.test().dim(), rng);
  nn::take_parameters(io::load_safetensors(run.in("checkpoint.safetensors")), "model.", vae.parameters(), run.in("checkpoint.safetensors"));
  return vae;
}

bool trains_iwae(const VaeRun& run) { return run.settings.objective == "iwae"; }

// curves.svg: the bounds per epoch on train and validation. An IWAE run trains on the k-sample bound: its training
// curve is that bound, not the ELBO.
void curves_figure(const VaeRun& run, const io::Csv& history) {
  const std::string train_name = trains_iwae(run) ? fmt::format("train IWAE bound, k = {}", run.settings.k) : "train ELBO";
  viz::write_text_file(run.in("curves.svg"),
                       viz::line_plot_svg({{train_name, history.column("epoch"), history.column("train_elbo")},
                                           {"validation ELBO", history.column("epoch"), history.column("valid_elbo")}},
                                          {fmt::format("{} per epoch, Z = {}", trains_iwae(run) ? "Bounds" : "ELBO", run.settings.latent), "epoch", "nats"}));
}

// samples.png: decodings of z ~ N(0, I), shown as pixel probabilities.
void samples_figure(const VaeRun& run, const models::Vae<float>& vae) {
  NoGrad no_grad;
  Rng sample_rng(derive_seed(run.settings.seed, "samples"));
  Var<float> z(models::standard_normal<float>(Shape{100, run.settings.latent}, sample_rng));
  const Tensor<float> probs = sigmoid(vae.decode(z)).value();  // (100, D)
  viz::write_png(run.in("samples.png"), viz::image_grid(probs, run.height(), run.width(), viz::grid_options(10, "samples: decoder(z), z ~ N(0, I)")));
}

// reconstructions.png: test digits, each row of originals above its reconstructions (at the mean of q).
void reconstructions_figure(const VaeRun& run, const models::Vae<float>& vae) {
  NoGrad no_grad;
  const data::Dataset& test = run.test();
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
  viz::write_png(run.in("reconstructions.png"),
                 viz::image_grid(imgs, run.height(), run.width(), viz::grid_options(static_cast<int>(per_row), "test digits and reconstructions", {}, rows)));
}

// ranked_global.png: the least and the most likely test digits (50 each, or half the test set if smaller).
void ranked_global_figure(const VaeRun& run) {
  const int64_t k = std::min<int64_t>(50, run.test().count / 2);
  std::vector<int64_t> least(run.by_likelihood.begin(), run.by_likelihood.begin() + k), most(run.by_likelihood.end() - k, run.by_likelihood.end());
  std::reverse(most.begin(), most.end());
  const int H = run.height(), W = run.width();
  viz::write_png(run.in("ranked_global.png"),
                 viz::stack_vertical({viz::image_grid(viz::dataset_images(run.test(), least), H, W,
                                                      viz::grid_options(10, "least likely (label, " + run.measure + ")", run.captions(least))),
                                      viz::image_grid(viz::dataset_images(run.test(), most), H, W,
                                                      viz::grid_options(10, "most likely (label, " + run.measure + ")", run.captions(most)))}));
}

// ranked_conditional.png: per class, the k least likely (left) and the k most likely (right); k = 8, or fewer when
// the smallest class has fewer than 16 test images (classes with fewer than 2 are left out). False if none is drawn.
bool ranked_conditional_figure(const VaeRun& run) {
  const data::Dataset& test = run.test();
  std::vector<std::vector<int64_t>> by_class(10);
  for (int64_t i : run.by_likelihood)
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
  if (idx.empty()) return false;
  viz::GridOptions g = viz::grid_options(static_cast<int>(2 * k), fmt::format("per class: {} least likely (left of the line), {} most likely (right)", k, k),
                                         run.captions(idx), rows);
  g.divider_after = static_cast<int>(k);
  viz::write_png(run.in("ranked_conditional.png"), viz::image_grid(viz::dataset_images(test, idx), run.height(), run.width(), g));
  return true;
}

std::vector<int> test_labels(const VaeRun& run) { return {run.test().labels.begin(), run.test().labels.end()}; }

// latent_z<a>_z<b>.svg, for Z <= 3: the latent means themselves, pair by pair.
void latent_scatter_figures(const VaeRun& run) {
  const int64_t latent = run.settings.latent, count = run.test().count;
  const std::string file = run.in("latent_means.safetensors");
  const Tensor<float> mu = io::to_float_tensor(io::tensor_in(io::load_safetensors(file), "latent_means", file), file);
  if (mu.shape() != Shape{count, latent})
    throw std::runtime_error(fmt::format("{}: shape {}, expected [{}, {}]", file, to_string(mu.shape()), count, latent));
  for (int64_t a = 0; a < latent; ++a)
    for (int64_t b = a + 1; b < latent; ++b) {
      std::vector<double> xs, ys;
      for (int64_t i = 0; i < count; ++i) xs.push_back(mu.at(i, a)), ys.push_back(mu.at(i, b));
      viz::write_text_file(run.in(fmt::format("latent_z{}_z{}.svg", a + 1, b + 1)),
                           viz::scatter_svg(xs, ys, test_labels(run), kDigitNames,
                                            {fmt::format("latent means, z{} vs z{}", a + 1, b + 1), fmt::format("z{}", a + 1), fmt::format("z{}", b + 1)},
                                            kLatentPanelWidth, kLatentPanelHeight));
    }
}

// tsne_latent.svg and tsne_original.svg: the t-SNE the run computed of the codes and of the pixels.
void tsne_figures(const VaeRun& run) {
  const auto [lx, ly] = embedding(run.in("tsne_latent.csv"), run.test().count);
  const auto [ox, oy] = embedding(run.in("tsne_original.csv"), run.test().count);
  viz::write_text_file(run.in("tsne_latent.svg"), viz::scatter_svg(lx, ly, test_labels(run), kDigitNames,
      {fmt::format("t-SNE of latent means, Z = {} (10-NN acc {:.3f})", run.settings.latent, run.num("tsne_latent_knn_accuracy")), "", ""}, kTsneWidth, kTsneHeight));
  viz::write_text_file(run.in("tsne_original.svg"), viz::scatter_svg(ox, oy, test_labels(run), kDigitNames,
      {fmt::format("t-SNE of raw pixels (10-NN acc {:.3f})", run.num("tsne_original_knn_accuracy")), "", ""}, kTsneWidth, kTsneHeight));
}

// The settings in a sentence and what the run measured, as a table; a measure the run did not take (K = 0, or a run
// folder from before active units were counted) says so.
void settings_and_measures(viz::Report& r, const VaeRun& run, size_t epochs) {
  const VaeSettings& o = run.settings;
  r.paragraph(fmt::format("Encoder and decoder with {} of {} {} units, Bernoulli decoder, N(0, I) prior; objective: {}; "
                          "{} (lr {}{}), batch {}, {} epochs, seed {}, {} pixels. Data: {} ({} train, {} test).",
                          o.hidden_layers == 1 ? "one hidden layer" : fmt::format("{} hidden layers", o.hidden_layers), o.hidden,
                          activation_of(o) == nn::Activation::Tanh ? "tanh" : "ReLU",
                          trains_iwae(run) ? fmt::format("the importance-weighted bound, k = {}", o.k) : "the ELBO",
                          o.optimizer == "adagrad" ? "Adagrad" : "Adam", o.lr,
                          o.lr_schedule == "iwae" ? ", the IWAE paper's schedule" : o.lr_schedule == "cosine" ? ", cosine schedule" : "",
                          o.batch, epochs, o.seed, binarize_of(o) == data::Binarize::Dynamic ? "binarised" : "grey-level",
                          run.data_folder, run.num("train_images"), run.test().count));
  auto measured = [](double v, const std::string& text) { return std::isfinite(v) ? text : std::string("not measured"); };
  const double elbo = run.num("test_elbo"), log_px = run.num("test_log_px"), active = run.num("active_units"), epoch_s = run.num("seconds_per_epoch");
  r.table({"measure", "value"},
          {{"test ELBO (nats)", measured(elbo, fmt::format("{:.2f}", elbo))},
           {fmt::format("test log p(x), K = {}", o.iw_samples), measured(log_px, fmt::format("{:.2f}", log_px))},
           {"active latent units (Cov_x E_q[u] > 0.01)", measured(active, fmt::format("{:.0f} of {}", active, o.latent))},
           {"seconds per epoch (median)", measured(epoch_s, fmt::format("{:.2f}", epoch_s))}});
}

// report.html: the figures drawn above, in the order a reader asks for them.
void write_report(const VaeRun& run, size_t epochs, bool have_conditional, bool tsne) {
  const int64_t latent = run.settings.latent;
  viz::Report r(fmt::format("VAE on {}, latent dimension {}", io::data_name(run.summary), latent));
  if (const std::string w = io::data_warning(run.summary); !w.empty()) r.paragraph(w);
  settings_and_measures(r, run, epochs);
  r.heading("Training");
  r.figure("curves.svg", trains_iwae(run) ? "The training bound (the objective) and the validation ELBO per epoch (higher is better)."
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
                                                            run.num("tsne_latent_knn_accuracy"), run.num("tsne_latent_trustworthiness"))},
                            {"tsne_original.svg", fmt::format("Raw pixels: 10-NN accuracy {:.3f}, trustworthiness {:.3f}.",
                                                              run.num("tsne_original_knn_accuracy"), run.num("tsne_original_trustworthiness"))}},
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
  r.write(run.in("report.html"));
}

int draw(const Options& o) {
  const VaeRun run = read_run(o);
  const models::Vae<float> vae = load_model(run);
  const io::Csv history = io::read_csv(run.in("history.csv"));
  const bool tsne = io::JsonReader(run.summary, run.in("summary.json")).get_or("tsne", false);
  curves_figure(run, history);
  samples_figure(run, vae);
  reconstructions_figure(run, vae);
  ranked_global_figure(run);
  const bool have_conditional = ranked_conditional_figure(run);
  if (run.settings.latent <= 3) latent_scatter_figures(run);
  if (tsne) tsne_figures(run);
  write_report(run, history.rows.size(), have_conditional, tsne);
  std::printf("wrote %s/report.html and its pictures\n", o.run.c_str());
  return 0;
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Draws a run folder of experiments/vae: every picture and report.html, without training"};
  app.add_option("--run", o.run, "the run folder (runs/vae-z200, say)")->required()->check(CLI::ExistingDirectory);
  app.add_option("--data", o.data, "the MNIST folder, if it moved since the run (default: the one in summary.json)");
  return io::run_program(app, argc, argv, [&] { return draw(o); });
}
