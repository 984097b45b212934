// semisupervised_report.cpp: `make semisupervised-report RUN=runs/semisupervised` — draws a run folder of
// experiments/semisupervised without training: the results beside the paper's Table 1 and the supervised-only
// baseline, the per-epoch diagnostics of every model (validation error, entropy of q(y|x), the class-use gap,
// the decoder's log-variance for M1+M2), and each model's class-conditional samples. `make semisupervised` ends
// by running it. Reads summary.json, each model's history.csv and conditional_samples.safetensors.
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "experiments/semisupervised_settings.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/program.h"
#include "io/safetensors.h"
#include "io/summary.h"
#include "viz/digits.h"
#include "viz/grid.h"
#include "viz/image.h"
#include "viz/report.h"
#include "viz/svg.h"

using namespace tg;
namespace fs = std::filesystem;

// Kingma et al. (2014), Table 1: test error % (mean, standard deviation) on MNIST.
const std::map<std::pair<std::string, int64_t>, std::string> kPaper = {
    {{"m2", 100}, "11.97 (± 1.71)"},    {{"m2", 600}, "4.94 (± 0.13)"},    {{"m2", 1000}, "3.60 (± 0.56)"},
    {{"m2", 3000}, "3.92 (± 0.63)"},    {{"m1m2", 100}, "3.33 (± 0.14)"},  {{"m1m2", 600}, "2.59 (± 0.05)"},
    {{"m1m2", 1000}, "2.40 (± 0.02)"}, {{"m1m2", 3000}, "2.18 (± 0.04)"}};

std::string display_name(const std::string& model) { return model == "m2" ? "M2 (pixels)" : "M1+M2"; }

// "3.12" for one seed, "3.12 ± 0.40 (3 seeds)" for several (sample standard deviation).
std::string mean_and_spread(const std::vector<double>& v) {
  double m = 0, s = 0;
  for (double x : v) m += x / double(v.size());
  if (v.size() < 2) return fmt::format("{:.2f}", 100 * m);
  for (double x : v) s += (x - m) * (x - m) / double(v.size() - 1);
  return fmt::format("{:.2f} ± {:.2f} ({} seeds)", 100 * m, 100 * std::sqrt(s), v.size());
}

// The run folder being drawn: its files, its summary.json (read with named errors) and its settings.
struct SemisupervisedRun {
  std::string folder;
  io::Json summary;
  SemisupervisedSettings settings;
  std::string in(const std::string& file) const { return folder + "/" + file; }
  io::JsonReader reader() const { return io::JsonReader(summary, in("summary.json")); }  // every lookup names the file and the field
  std::vector<io::JsonReader> models() const {  // summary.json's "runs": one per trained M2
    std::vector<io::JsonReader> runs;
    const io::JsonReader s = reader();
    for (size_t i = 0; i < s.at("runs").size(); ++i) runs.push_back(s.at("runs").at(i));
    return runs;
  }
};

// The results table: one row per (model, labels), the seeds averaged.
std::vector<std::vector<std::string>> results_table(const SemisupervisedRun& run) {
  struct Row {
    std::vector<double> test, last, small_valid, baseline, minutes;
    std::vector<int> epochs;
  };
  std::map<std::pair<std::string, int64_t>, Row> rows;
  for (const io::JsonReader& r : run.models()) {
    Row& row = rows[{r.get<std::string>("model"), r.get<int64_t>("labels")}];
    row.test.push_back(r.get<double>("test_error"));
    row.last.push_back(r.get<double>("last_epoch_test_error"));
    // runs from before the small validation set was measured have no such column: the report says so with "-"
    row.small_valid.push_back(r.get_or<double>("small_valid_test_error", NAN));
    row.baseline.push_back(r.get<double>("baseline_test_error"));
    row.minutes.push_back(r.get<double>("minutes"));
    row.epochs.push_back(r.get<int>("epochs"));
  }
  std::vector<std::vector<std::string>> table;
  for (const auto& [key, row] : rows) {
    double minutes = 0;
    for (double m : row.minutes) minutes += m / double(row.minutes.size());
    auto paper = kPaper.find(key);
    const bool has_small = std::none_of(row.small_valid.begin(), row.small_valid.end(), [](double x) { return std::isnan(x); });
    table.push_back({display_name(key.first), std::to_string(key.second), mean_and_spread(row.test), mean_and_spread(row.last),
                     has_small ? mean_and_spread(row.small_valid) : "-", mean_and_spread(row.baseline),
                     paper == kPaper.end() ? "-" : paper->second, std::to_string(row.epochs.front()), fmt::format("{:.1f}", minutes)});
  }
  return table;
}

// Each model's most frequent mistakes on the test set (its last epoch), from the confusion counts; runs from before
// those were recorded have none, and the report says so.
std::vector<std::vector<std::string>> mistakes_table(const SemisupervisedRun& run) {
  std::vector<std::vector<std::string>> mistakes;
  for (const io::JsonReader& r : run.models()) {
    std::string listed = "not recorded (a run from before the confusion counts)";
    if (r.has("last_epoch_test_confusion")) {
      const io::JsonReader c = r.at("last_epoch_test_confusion");
      std::vector<std::tuple<int64_t, size_t, size_t>> off_diagonal;  // count, true class, class given
      for (size_t t = 0; t < c.size(); ++t)
        for (size_t k = 0; k < c.at(t).size(); ++k)
          if (k != t) off_diagonal.push_back({c.at(t).at(k).get<int64_t>(), t, k});
      std::sort(off_diagonal.begin(), off_diagonal.end(), std::greater<>());
      listed.clear();
      for (size_t i = 0; i < std::min<size_t>(3, off_diagonal.size()); ++i) {
        const auto [count, t, k] = off_diagonal[i];
        listed += fmt::format("{}{} read as {}: {}", i ? "; " : "", t, k, count);
      }
    }
    mistakes.push_back({r.get<std::string>("folder"), fmt::format("{:.2f}", 100 * r.get<double>("last_epoch_test_error")), listed});
  }

  return mistakes;
}

// Diagnostics per epoch from each model's history.csv: every model on one plot per measure.
std::vector<std::pair<std::string, std::string>> training_figures(const SemisupervisedRun& run) {
  std::map<std::string, std::vector<viz::Series>> curves;
  for (const io::JsonReader& r : run.models()) {
    const std::string name = r.get<std::string>("folder");
    const io::Csv h = io::read_csv(run.in(name + "/history.csv"));
    const std::vector<double> epoch = h.column("epoch");
    auto percent = [](std::vector<double> v) {
      for (double& x : v) x *= 100;
      return v;
    };
    curves["valid_error"].push_back({name, epoch, percent(h.column("valid_error"))});
    curves["valid_entropy"].push_back({name, epoch, h.column("valid_entropy")});
    curves["class_use_gap"].push_back({name, epoch, h.column("class_use_gap")});
    if (r.get<std::string>("model") == "m1m2")
      curves["decoder_logvar"].push_back({name, epoch, h.column("decoder_logvar")});
  }
  const std::vector<std::tuple<std::string, std::string, std::string>> plots = {
      {"valid_error", "validation error of q(y|x)", "error (%)"},
      {"valid_entropy", "mean entropy of q(y|x) on validation images (log 10 = 2.30: no idea)", "nats"},
      {"class_use_gap", "class-use gap: mean over y != y* of L(x, y) - L(x, y*)", "nats"},
      {"decoder_logvar", "M1+M2: the decoder's mean log-variance at the true class", "log variance"}};
  std::vector<std::pair<std::string, std::string>> figures;
  for (const auto& [key, title, unit] : plots) {
    if (curves[key].empty()) continue;
    viz::LineOptions lo;
    lo.focus_on_tail = key == "valid_error";
    viz::write_text_file(run.in(key + ".svg"), viz::line_plot_svg(curves[key], {title, "epoch", unit}, 640, 400, lo));
    figures.push_back({key + ".svg", title + "."});
  }

  return figures;
}

// Class-conditional samples of every model (each label count and seed): a model that learned to use one class for
// two digits (y = 5 drawing 5s and 8s, say) shows it only in its own samples.
std::vector<std::pair<std::string, std::string>> sample_figures(const SemisupervisedRun& run) {
  const io::JsonReader s = run.reader();
  const int image_h = s.get<int>("image_height"), image_w = s.get<int>("image_width");
  std::vector<std::pair<std::string, std::string>> samples;
  std::vector<std::string> row_labels;
  for (int y = 0; y < 10; ++y) row_labels.push_back(std::to_string(y));
  for (const io::JsonReader& r : run.models()) {
    const std::string name = r.get<std::string>("folder"), model = r.get<std::string>("model");
    const std::string file = run.in(name + "/conditional_samples.safetensors");
    if (!fs::exists(file)) continue;
    const Tensor<float> images = io::to_float_tensor(io::tensor_in(io::load_safetensors(file), "images", file), file);
    if (images.rows() != 100 || images.cols() != int64_t(image_h) * image_w)
      throw std::runtime_error(fmt::format("{}: shape {}, expected [100, {}]", file, to_string(images.shape()), image_h * image_w));
    viz::write_png(run.in(name + "_samples.png"),
                   viz::image_grid(images, image_h, image_w,
                                   viz::grid_options(10, display_name(model) + ": row = class y, column = one z", {}, row_labels)));
    samples.push_back({name + "_samples.png", fmt::format("{} ({}): each row decodes one class y with the same ten z, one per column.",
                                                          display_name(model), name)});
  }

  return samples;
}

// The protocol in words, from the run's settings.
std::string protocol(const SemisupervisedSettings& o) {
  const std::string m2_hidden = o.hidden > 0 ? std::to_string(o.hidden) : "300 (with 100 labels, else 500, as the authors' code)";
  // M1 and M2 both start as ours (He-uniform hidden, Glorot-uniform output weights) unless the authors' start is asked for
  const auto start_and_prior = [](double init_std, double prior_sd) {
    return (init_std > 0 ? fmt::format("every parameter drawn from N(0, {}^2)", init_std)
                         : std::string("He-uniform hidden and Glorot-uniform output weights, zero biases")) +
           (prior_sd > 0 ? fmt::format(" under a N(0, {}^2) prior", prior_sd) : std::string(", no prior on them"));
  };
  const std::string m2_start = start_and_prior(o.init_std, o.weight_prior_sd) +
                               (o.zero_logvar ? ", the layers that output log-variances zeroed (every variance starts at 1)" : "");
  const std::string m2 = fmt::format(
      "M2: classifier q(y|x), encoder q(z|x,y) and decoder p(x|y,z), each one hidden layer of {} {} units, Z = {}; {}; Adam "
      "(lr {}, 0.9, 0.999{}); {} epochs over the unlabelled images, {} unlabelled and up to {} labelled examples per step; "
      "objective: alpha = {} N.",
      m2_hidden, o.activation, o.latent, m2_start, o.lr,
      o.adam == "uncorrected" ? "; without bias correction or epsilon, as the authors' adam.py" : "", o.epochs, o.batch,
      o.labelled_batch, o.alpha);
  const std::string m1m2 = fmt::format(
      " M1+M2: M2 (Gaussian likelihood, the {} weighting) learns from fresh samples of M1's q(z|x) in its active "
      "dimensions; M1 is a VAE with two hidden layers of {} {} units and Z = {}, trained for {} epochs (batch {}, Adam "
      "lr {}; {}) on dynamically binarised images.",
      o.weighting, o.m1_hidden, o.activation, o.m1_latent, o.m1_epochs, o.m1_batch, o.m1_lr,
      start_and_prior(o.m1_init_std, o.m1_weight_prior_sd));
  const std::string pixel_m2 = fmt::format(
      " The pixel M2 (Bernoulli likelihood, the {} weighting) learns from {}.", o.pixel_weighting,
      o.binarize == "dynamic" ? "a fresh binarisation of each image each time it is used, and is scored on images binarised once"
                              : "grey levels in [0, 1]");
  // Only the models this run trained: a pixel-only run has no M1 to describe, and its weighting is the pixel M2's.
  return m2 + (o.models != "m2" ? m1m2 : "") + (o.models != "m1m2" ? pixel_m2 : "") +
         fmt::format(" Test error at the epoch with the best validation error. Supervised only: the same classifier "
                     "trained on the labelled examples alone, best of {} epochs by validation.",
                     o.baseline_epochs);
}

// Each seed's M1: its bound, how many of its latent dimensions it uses, and its time (not in runs before it was
// recorded).
void m1_section(viz::Report& rep, const SemisupervisedRun& run) {
  const io::JsonReader s = run.reader();
  if (!s.has("m1") || s.at("m1").size() == 0) return;
  std::vector<std::vector<std::string>> m1_rows;
  for (size_t i = 0; i < s.at("m1").size(); ++i) {
    const io::JsonReader m = s.at("m1").at(i);
    m1_rows.push_back({std::to_string(m.get<uint64_t>("seed")), std::to_string(m.get<int>("epochs")),
                       fmt::format("{:.2f}", m.get<double>("test_elbo")), std::to_string(m.get<int>("active_dimensions")),
                       m.has("minutes") ? fmt::format("{:.1f}", m.get<double>("minutes")) : "-"});
  }
  rep.heading("M1");
  rep.table({"seed", "epochs", "test ELBO (binarised, nats)", fmt::format("active dimensions of {}", run.settings.m1_latent),
             "minutes"},
            m1_rows);
}

// The optional anomaly study: the unsupervised VAE's AUC beside M2's with a handful of labelled anomalies.
void anomaly_section(viz::Report& rep, const SemisupervisedRun& run) {
  const io::JsonReader s = run.reader();
  if (!s.has("anomaly_auc_unsupervised")) return;
  std::vector<std::vector<std::string>> a = {
      {"unsupervised VAE, -log p(x) (K = 100)", "0", fmt::format("{:.3f}", s.get<double>("anomaly_auc_unsupervised"))}};
  for (const auto& [key, value] : run.summary.items())
    if (key.starts_with("anomaly_auc_m2_"))
      a.push_back({"M2, q(anomaly | x)", key.substr(15, key.find("_labels") - 15), fmt::format("{:.3f}", s.get<double>(key))});
  rep.heading(fmt::format("Does a handful of labelled anomalies help? (digit {} held out)", run.settings.anomaly_digit));
  rep.table({"scorer", "labelled anomalies", "AUC-ROC"}, a);
}

int draw(const std::string& folder) {
  SemisupervisedRun run{folder, io::read_json_file(folder + "/summary.json"), {}};
  run.settings = read_semisupervised_settings(run.summary, run.in("summary.json"));
  viz::Report rep(fmt::format("Semi-supervised VAEs (Kingma et al. 2014) on {}", io::data_name(run.summary)));
  if (const std::string w = io::data_warning(run.summary); !w.empty()) rep.paragraph(w);
  rep.paragraph(protocol(run.settings));
  rep.table({"model", "labels", "test error % (ours)", "last epoch %", fmt::format("chosen on {} valid. %", run.settings.small_valid),
             "supervised only %", "paper (Table 1)", "epochs", "minutes per run"},
            results_table(run));
  rep.paragraph(
      "Test error % (ours) is the test error at the epoch of the lowest error on the whole validation split (10,000 labelled "
      "images); beside it, the last epoch's, and the one at the epoch a validation set as small as the first N validation "
      "images would choose: with 100 labels, 10,000 labelled validation images are more than a practitioner would have "
      "(Oliver et al. 2018).");
  m1_section(rep, run);
  rep.heading("The most frequent mistakes on the test set (each model's last epoch)");
  rep.table({"model", "last epoch's test error %", "true digit read as another: images"}, mistakes_table(run));
  rep.paragraph("A model that came to use one class for two digits (a local optimum of M2's objective) shows it here as one "
                "large count, and in its class-conditional samples below.");
  rep.heading("Inside the training (validation split, after every epoch)");
  rep.figures_side_by_side(training_figures(run), 560);
  if (const auto samples = sample_figures(run); !samples.empty()) {
    rep.heading("Class-conditional samples");
    rep.figures_side_by_side(samples, 0);
  }
  anomaly_section(rep, run);
  rep.write(run.in("report.html"));
  std::printf("wrote %s/report.html and its pictures\n", folder.c_str());
  return 0;
}

int main(int argc, char** argv) {
  std::string folder;
  CLI::App app{"Draws a run folder of experiments/semisupervised: the results, the diagnostics, the samples, report.html"};
  app.add_option("--run", folder, "the run folder (runs/semisupervised, say)")->required()->check(CLI::ExistingDirectory);
  return io::run_program(app, argc, argv, [&] { return draw(folder); });
}
