// anomaly_report.cpp: `make anomaly-report RUN=runs/anomaly` — draws a run folder of experiments/anomaly without
// training: the held-out-digit AUC table and one chart per latent size, the artificial anomalies (what each type
// looks like, how each scorer separates it, what the latent codes show), the t-SNE of the codes, report.html.
// `make anomaly` ends by running it. Reads summary.json, auc.csv, artificial.csv, tsne_artificial_z*.csv and
// artificial_examples.safetensors.
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <map>

#include "experiments/anomaly_scorers.h"
#include "experiments/anomaly_settings.h"
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

std::string type_name(std::string key) {  // salt_and_pepper -> salt and pepper
  std::replace(key.begin(), key.end(), '_', ' ');
  return key;
}

// The run folder being drawn: its files, its summary.json (read with named errors) and its settings.
struct AnomalyRun {
  std::string folder;
  io::Json summary;
  AnomalySettings settings;
  std::string in(const std::string& file) const { return folder + "/" + file; }
  io::JsonReader reader() const { return io::JsonReader(summary, in("summary.json")); }  // every lookup names the file and the field
};

// scorer -> Z -> digit -> AUC-ROC, from auc.csv (one row per scorer, digit and latent size)
using AucTable = std::map<std::string, std::map<int64_t, std::map<int, double>>>;
AucTable read_auc_table(const AnomalyRun& run) {
  const io::Csv auc = io::read_csv(run.in("auc.csv"), {"scorer"});
  const std::vector<std::string> scorer = auc.text_column("scorer");
  const std::vector<double> digit = auc.column("digit"), latent = auc.column("latent"), roc = auc.column("auc_roc");
  AucTable table;
  for (size_t i = 0; i < roc.size(); ++i) table[scorer[i]][int64_t(latent[i])][int(digit[i])] = roc[i];
  return table;
}

// The held-out-digit table: a row per latent size and scorer, a column per digit and their mean. Adds each AUC to
// `digit_total` and counts the rows in `rows_counted`, for the findings below it.
std::vector<std::vector<std::string>> auc_rows(const AnomalyRun& run, AucTable& table, std::map<int, double>& digit_total, int& rows_counted) {
  std::vector<std::string> scorers;
  for (const auto& [name, by_z] : table) scorers.push_back(name);
  std::stable_sort(scorers.begin(), scorers.end(), [](const std::string& a, const std::string& b) { return anomaly_scorer_rank(a) < anomaly_scorer_rank(b); });
  std::vector<std::vector<std::string>> rows;
  for (int64_t Z : run.settings.latents)  // grouped by latent size: the scorers of one model side by side
    for (const std::string& name : scorers) {
      if (!table[name].count(Z)) continue;
      const std::map<int, double>& by_digit = table[name][Z];
      std::vector<std::string> row = {std::to_string(Z), anomaly_scorer_words(name)};
      double m = 0;
      for (int d : run.settings.digits) {
        const auto it = by_digit.find(d);
        row.push_back(it == by_digit.end() ? "" : fmt::format("{:.3f}", it->second));
        if (it != by_digit.end()) m += it->second / double(by_digit.size()), digit_total[d] += it->second;
      }
      row.push_back(fmt::format("{:.3f}", m));
      rows.push_back(row);
      ++rows_counted;
    }
  return rows;
}

// The same table as lines, which digits are hard for which scorers: a chart only when there are digits to compare
// (with one held-out digit, a line chart is one column of dots hidden under each other; the table says it all).
std::vector<std::pair<std::string, std::string>> auc_charts(const AnomalyRun& run, AucTable& table) {
  std::vector<std::pair<std::string, std::string>> charts;
  if (run.settings.digits.size() < 2) return charts;
  for (int64_t Z : run.settings.latents) {
    std::vector<viz::Series> lines;
    for (const std::string name : {"vae_neg_log_px", "autoencoder_error", "pca_error", "ocsvm_pixels", "ocsvm_latent", "ocsvm_posterior"}) {
      viz::Series line{anomaly_scorer_words(name), {}, {}};
      const auto scorer = table.find(known_anomaly_scorer(name));
      if (scorer == table.end() || !scorer->second.count(Z)) continue;
      for (int d : run.settings.digits)
        if (scorer->second.at(Z).count(d)) line.x.push_back(d), line.y.push_back(scorer->second.at(Z).at(d));
      lines.push_back(std::move(line));
    }
    const std::string file = fmt::format("auc_by_digit_z{}.svg", Z);
    viz::write_text_file(run.in(file), viz::line_plot_svg(lines, {fmt::format("AUC-ROC by held-out digit, Z = {}", Z), "held-out digit", "AUC-ROC"}, 760, 400));
    charts.push_back({file, fmt::format("AUC-ROC of six scorers for each held-out digit (Z = {}); 0.5 is chance.", Z)});
  }
  return charts;
}

// "Findings": the best scorer (from summary.json) and the hardest digits (from the table), for two digits or more.
std::string findings(const AnomalyRun& run, const std::map<int, double>& digit_total, int rows_counted) {
  std::vector<std::pair<double, int>> hardest;
  for (const auto& [d, total] : digit_total) hardest.push_back({total / rows_counted, d});
  std::sort(hardest.begin(), hardest.end());
  std::string hard_text;
  for (size_t i = 0; i < std::min<size_t>(3, hardest.size()); ++i)
    hard_text += fmt::format("{}{} (mean AUC {:.3f})", i ? ", " : "", hardest[i].second, hardest[i].first);
  const io::JsonReader s = run.reader();
  std::string best = s.get_or<std::string>("best_scorer", "");
  if (const size_t cut = best.find(" (Z = "); cut != std::string::npos) best = anomaly_scorer_words(best.substr(0, cut)) + best.substr(cut);
  const std::vector<int>& digits = run.settings.digits;
  const std::string hardest_sentence =
      hardest.size() >= 2 ? fmt::format("The hardest held-out digits across all scorers are {}. An & Cho report that 1, 7 and 9 are "
                                        "hard for every method; compare the digits named here.", hard_text)
                          : fmt::format("With one held-out digit ({}) there is no hardest digit to name; DIGITS=\"0 1 ... 9\" "
                                        "compares them.", digits.empty() ? std::string("none") : std::to_string(digits.front()));
  return fmt::format("Findings, computed from the table: the best scorer on average is {} with mean AUC {:.3f}. {}", best,
                     s.get_or("best_mean_auc_roc", 0.0), hardest_sentence);
}

void held_out_digits_section(viz::Report& r, const AnomalyRun& run) {
  const AnomalySettings& o = run.settings;
  AucTable table = read_auc_table(run);
  r.paragraph(fmt::format("Held-out-digit protocol (An & Cho 2015): for each digit, models are trained on the other nine; "
                          "the test images of the held-out digit are the anomalies. {} epochs per model (batch {}, {} hidden units, seed {}), K = {} importance "
                          "samples, L = {} samples for the reconstruction probability, one-class SVMs (RBF, nu = {}, gamma = "
                          "1/features after standardising) trained on {} normal images. AUC-ROC below (AUC-PR in auc.csv).",
                          o.epochs, o.batch, o.hidden, o.seed, o.iw_samples, o.recon_samples, o.nu, o.svm_points));
  std::vector<std::string> header = {"Z", "scorer"};
  for (int d : o.digits) header.push_back(std::to_string(d));
  header.push_back("mean");
  std::map<int, double> digit_total;  // over scorers and latent sizes: which digits are hard for everyone
  int rows_counted = 0;
  r.table(header, auc_rows(run, table, digit_total, rows_counted));
  r.figures_side_by_side(auc_charts(run, table), 0);
  r.paragraph(findings(run, digit_total, rows_counted));
}

// What each artificial anomaly type looks like: artificial_examples.safetensors drawn as a grid, a row per type.
void artificial_examples_figure(viz::Report& r, const AnomalyRun& run) {
  const io::JsonReader s = run.reader();
  const std::string examples_file = run.in("artificial_examples.safetensors");
  const io::SafeTensors examples = io::load_safetensors(examples_file);
  const auto image_h = s.get<int>("image_height"), image_w = s.get<int>("image_width");
  if (!examples.tensors.count("images") || !examples.metadata.count("rows") || !examples.metadata.count("columns"))
    throw std::runtime_error(fmt::format("{}: expected a tensor \"images\" and metadata \"rows\" and \"columns\"", examples_file));
  const Tensor<float> images = io::to_float_tensor(io::tensor_in(examples, "images", examples_file), examples_file);
  const int columns = static_cast<int>(io::metadata_int(examples, "columns", examples_file, 1, 1000));
  const std::string& row_names = io::metadata_in(examples, "rows", examples_file);
  std::vector<std::string> row_labels;
  for (size_t a = 0, b; a <= row_names.size(); a = b + 1) {
    b = row_names.find(',', a);
    if (b == std::string::npos) b = row_names.size();
    row_labels.push_back(type_name(row_names.substr(a, b - a)));
  }
  if (columns < 1 || images.shape().rank != 2 || images.cols() != int64_t(image_h) * image_w ||
      images.rows() != columns * static_cast<int64_t>(row_labels.size()))
    throw std::runtime_error(fmt::format("{}: images {} for {} rows of {} {}x{} images", examples_file, to_string(images.shape()),
                                         row_labels.size(), columns, image_h, image_w));
  viz::write_png(run.in("artificial_examples.png"),
                 viz::image_grid(images, image_h, image_w,
                                 viz::grid_options(columns, "artificial anomalies (row 1: the digits before corruption)", {}, row_labels)));
  r.figure("artificial_examples.png", "The artificial anomaly types, each applied to the same test digits.");
}

// How each scorer separates each type, and what the codes show: a row per type and latent size, from artificial.csv.
void artificial_table(viz::Report& r, const AnomalyRun& run, const std::vector<std::string>& types) {
  r.paragraph(std::string("A VAE of all ten digits; normal test digits against corrupted ones. Columns: AUC-ROC of -log p(x) / "
                          "one-class SVM on the latent means / on [mu, log var] / the rank average of -log p(x) and the first; "
                          "the mean norm of the latent mean; the mean KL(q(z|x) || p(z)), how far the encoder moves each type "
                          "away from the prior.") +
              (run.reader().get<bool>("fashion_mnist") ? "" : " Fashion-MNIST is not installed (Debian's dataset-fashion-mnist), so that type is absent."));
  const io::Csv art = io::read_csv(run.in("artificial.csv"), {"type", "scorer"});
  const std::vector<std::string> art_type = art.text_column("type"), art_scorer = art.text_column("scorer");
  const std::vector<double> art_latent = art.column("latent"), art_auc = art.column("auc_roc"), art_norm = art.column("latent_mean_norm"),
                            art_kl = art.column("kl"), art_accuracy = art.column("classifier_accuracy");
  std::vector<std::vector<std::string>> rows;
  for (int64_t Z : run.settings.latents) {
    std::map<std::string, std::map<std::string, double>> aucs;  // type -> scorer -> AUC
    std::map<std::string, std::pair<double, double>> codes;     // type -> (mean |mu|, mean KL)
    double accuracy = NAN;
    for (size_t i = 0; i < art_type.size(); ++i) {
      if (int64_t(art_latent[i]) != Z) continue;
      if (art_scorer[i] == "classifier") accuracy = art_accuracy[i];
      else codes[art_type[i]] = {art_norm[i], art_kl[i]}, aucs[art_type[i]][art_scorer[i]] = art_auc[i];
    }
    for (const std::string& t : types) {
      if (!codes.count(t)) continue;
      auto a = [&](const char* k) { return aucs[t].count(k) ? fmt::format("{:.3f}", aucs[t][k]) : std::string("-"); };
      rows.push_back({type_name(t), std::to_string(Z),
                      t == "normal" ? "-" : a("vae_neg_log_px") + " / " + a("ocsvm_latent") + " / " + a("ocsvm_posterior") + " / " + a("combined_rank"),
                      fmt::format("{:.2f}", codes[t].first), fmt::format("{:.2f}", codes[t].second)});
    }
    if (!std::isnan(accuracy))
      rows.push_back({"(classifier on codes)", std::to_string(Z), fmt::format("accuracy {:.3f} over {} classes", accuracy, types.size()), "", ""});
  }
  r.table({"type", "Z", "AUC: -log p(x) / OC-SVM on mu / on [mu, log var] / rank-combined", "mean |mu|", "mean KL"}, rows);
}

// The t-SNE of the codes of normal digits and of each type, one figure per latent size (from tsne_artificial_z*.csv).
void artificial_tsne_figures(viz::Report& r, const AnomalyRun& run, const std::vector<std::string>& types) {
  std::vector<std::string> legend;
  for (const std::string& t : types) legend.push_back(type_name(t));
  for (int64_t Z : run.settings.latents) {
    const std::string csv_file = fmt::format("tsne_artificial_z{}.csv", Z);
    if (!fs::exists(run.in(csv_file))) continue;  // t-SNE is skipped for fewer than 100 codes
    const io::Csv t = io::read_csv(run.in(csv_file));
    std::vector<int> classes;
    for (double c : t.column("type")) {
      if (!(c >= 0 && c < double(types.size())))
        throw std::runtime_error(fmt::format("{}: type {} is not one of the {} types in summary.json", run.in(csv_file), c, types.size()));
      classes.push_back(int(c));
    }
    const std::string file = fmt::format("tsne_artificial_z{}.svg", Z);
    viz::write_text_file(run.in(file), viz::scatter_svg(t.column("x"), t.column("y"), classes, legend, {fmt::format("latent codes, Z = {}", Z), "", ""}, 680, 520));
    r.figure(file, fmt::format("t-SNE of the latent means (Z = {}): normal digits and each anomaly type.", Z));
  }
}

int draw(const std::string& folder) {
  AnomalyRun run{folder, io::read_json_file(folder + "/summary.json"), {}};
  run.settings = read_anomaly_settings(run.summary, run.in("summary.json"));
  const std::vector<std::string> types = run.reader().get<std::vector<std::string>>("artificial_types");
  viz::Report r(fmt::format("Anomaly detection with VAE likelihoods and latent codes, on {}", io::data_name(run.summary)));
  if (const std::string w = io::data_warning(run.summary); !w.empty()) r.paragraph(w);
  held_out_digits_section(r, run);
  r.heading("Artificial anomalies");
  artificial_examples_figure(r, run);
  artificial_table(r, run, types);
  artificial_tsne_figures(r, run, types);
  r.write(run.in("report.html"));
  std::printf("wrote %s/report.html and its pictures\n", folder.c_str());
  return 0;
}

int main(int argc, char** argv) {
  std::string folder;
  CLI::App app{"Draws a run folder of experiments/anomaly: the AUC tables and charts, the artificial anomalies, report.html"};
  app.add_option("--run", folder, "the run folder (runs/anomaly, say)")->required()->check(CLI::ExistingDirectory);
  return io::run_program(app, argc, argv, [&] { return draw(folder); });
}
