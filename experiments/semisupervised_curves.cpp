// semisupervised_curves.cpp: `make semisupervised-curves RUNS="results/semisupervised/m2-pixels-seed1 ..." TO=x.svg`
// draws one measure of every M2 in several semi-supervised runs, per epoch, on one plot: runs that differ in one
// setting side by side (the pixel M2 under the paper's weighting and under the balanced one, seed by seed), where
// the report draws the models of one run. Reads each run's summary.json and its models' history.csv, which a
// results/ folder holds too, so a page's picture is drawn from the committed runs. Read next: semisupervised_report.cpp.
#include <filesystem>

#include "io/csv.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/program.h"
#include "viz/svg.h"

using namespace tg;
namespace fs = std::filesystem;

int draw(const std::vector<std::string>& runs, const std::string& measure, const std::string& title, const std::string& to) {
  std::vector<viz::Series> series;
  for (const std::string& run : runs) {
    const std::string summary_file = run + "/summary.json";
    const io::Json summary = io::read_json_file(summary_file);
    const io::JsonReader models = io::JsonReader(summary, summary_file).at("runs");
    for (size_t i = 0; i < models.size(); ++i) {
      const std::string folder = models.at(i).get<std::string>("folder");
      const std::string history = run + "/" + folder + "/history.csv";
      if (!fs::exists(history))
        throw std::runtime_error(fmt::format("{}: not found (a results folder collected before the models' histories were "
                                             "has its summary alone)", history));
      const io::Csv h = io::read_csv(history);
      std::vector<double> y = h.column(measure);
      if (measure.ends_with("error"))
        for (double& v : y) v *= 100;  // a fraction in the history, a percentage on the plot
      // a run of one model is named by its folder (the setting that differs); several, by folder and model
      const std::string name = fs::path(run).filename().string() + (models.size() > 1 ? "/" + folder : "");
      series.push_back({name, h.column("epoch"), y});
    }
  }
  viz::LineOptions options;
  options.focus_on_tail = false;  // the whole course: how long each model takes to start using the class
  const std::string unit = measure.ends_with("error") ? "error (%)" : "nats";  // the other columns are losses and entropies
  viz::write_text_file(to, viz::line_plot_svg(series, {title.empty() ? measure : title, "epoch (pass over the unlabelled images)", unit},
                                              760, 420, options));
  std::printf("wrote %s (%zu models)\n", to.c_str(), series.size());
  return 0;
}

int main(int argc, char** argv) {
  std::vector<std::string> runs;
  std::string measure = "valid_error", title, to;
  CLI::App app{"One measure of every M2 in several semi-supervised runs (run or results folders), per epoch, on one plot"};
  app.add_option("--runs", runs, "the run folders (each with summary.json and its models' history.csv)")->required()->check(CLI::ExistingDirectory);
  app.add_option("--measure", measure, "a column of the models' history.csv")
      ->check(CLI::IsMember({"valid_error", "test_error", "small_valid_error", "valid_entropy", "valid_cross_entropy", "class_use_gap", "loss"}))
      ->capture_default_str();
  app.add_option("--title", title, "the plot's title (default: the measure)");
  app.add_option("--to", to, "the SVG file to write")->required();
  return io::run_program(app, argc, argv, [&] { return draw(runs, measure, title, to); });
}
