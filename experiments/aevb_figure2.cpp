// aevb_figure2.cpp: the last step of `make aevb-figure2` — Kingma & Welling (2013), Figure 2, from the runs of
// experiments/vae made with the paper's settings: for each latent size N_z, the training and test lower bound
// per datapoint against the number of training samples evaluated, on a log x-axis and the paper's -150..-100
// y-axis, one panel per N_z as in the figure; a table of the final numbers (the paper prints none).
// Usage: aevb_figure2 --out=<folder> --runs <run folder>...   (each run folder from `vae --test-curve`)
#include <cmath>
#include <cstdio>
#include <filesystem>

#include <fmt/format.h>

#include "io/csv.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/program.h"
#include "io/summary.h"
#include "viz/report.h"
#include "viz/svg.h"

using namespace tg;
namespace fs = std::filesystem;

struct Options {
  std::string out;
  std::vector<std::string> runs;
};

int run(const Options& o) {
  fs::create_directories(o.out);
  viz::Report r("Kingma & Welling (2013), Figure 2, reproduced");
  r.paragraph("Each panel is one run of experiments/vae with the paper's settings: encoder and decoder with one hidden "
              "layer of 500 tanh units, Adagrad (step size chosen from 0.01, 0.02, 0.1 on the first epoch), minibatch 100, "
              "one sample per datapoint, weight decay 1/N, every parameter drawn from N(0, 0.01^2), dynamically binarised "
              "MNIST (50,000 training images). Lines: the average lower bound per datapoint on the training set (over each "
              "epoch, as it trains) and on the 10,000 test images (after each epoch). Axes as in the paper.");
  std::vector<std::vector<std::string>> rows;
  std::vector<std::pair<std::string, std::string>> panels;
  io::Summary summary;
  for (const std::string& run : o.runs) {
    const io::Json summary_json = io::read_json_file(run + "/summary.json");
    const io::JsonReader s(summary_json, run + "/summary.json");  // lookups name the file and the field
    const int64_t latent = s.get<int64_t>("latent");
    const io::Csv h = io::read_csv(run + "/history.csv");
    const std::vector<double> examples = h.column("examples"), train = h.column("train_elbo"), test = h.column("test_elbo");
    if (examples.empty()) throw std::runtime_error(fmt::format("{}/history.csv: no epochs", run));
    const std::string panel = fmt::format("figure2_nz{}.svg", latent);
    viz::LineOptions opt;
    opt.log_x = true;
    opt.y_min = -150, opt.y_max = -95;
    viz::write_text_file(o.out + "/" + panel,
                         viz::line_plot_svg({{"AEVB (train)", examples, train}, {"AEVB (test)", examples, test}},
                                            {fmt::format("MNIST, N_z = {}", latent), "# training samples evaluated", "lower bound per datapoint"},
                                            420, 320, opt));
    panels.push_back({panel, fmt::format("N_z = {}", latent)});
    // The test bound at the end only: a maximum over epochs of the test curve would be a choice made on test.
    rows.push_back({std::to_string(latent), fmt::format("{:.0f}", examples.back()), fmt::format("{:.2f}", train.back()),
                    fmt::format("{:.2f}", test.back()), fmt::format("{}", s.get<double>("lr")),
                    fmt::format("{:.1f}", s.get<double>("train_seconds") / 60)});
    summary.set(fmt::format("nz{}_train_bound", latent), train.back());
    summary.set(fmt::format("nz{}_test_bound", latent), test.back());
    summary.set(fmt::format("nz{}_training_samples", latent), examples.back());
  }
  r.figures_side_by_side(panels, 420);
  r.table({"N_z", "training samples", "train bound", "test bound (last epoch)", "Adagrad step size", "training minutes"}, rows);
  r.write(o.out + "/report.html");
  summary.write(o.out + "/summary.json");
  std::printf("wrote %s/report.html\n", o.out.c_str());
  return 0;
}

int main(int argc, char** argv) {
  Options o;
  CLI::App app{"Kingma & Welling (2013), Figure 2, from runs of experiments/vae --test-curve"};
  app.add_option("--out", o.out, "folder for the figure and report.html")->required();
  app.add_option("--runs", o.runs, "run folders, one per latent size")->required()->check(CLI::ExistingDirectory);
  return io::run_program(app, argc, argv, [&] { return run(o); });
}
