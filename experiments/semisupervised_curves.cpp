// semisupervised_curves.cpp: `make semisupervised-curves RUNS="results/semisupervised/m2-pixels-seed1 ..." TO=x.svg`
// draws one measure of every M2 in several semi-supervised runs (or of those at one label count), per epoch or per
// Adam step, on one plot: runs that differ in one setting side by side (the pixel M2 under the paper's weighting and
// under the balanced one, seed by seed; two batch make-ups by steps), where the report draws the models of one run. Reads each run's summary.json and its models' history.csv, which a
// results/ folder holds too, so a page's picture is drawn from the committed runs. Read next: semisupervised_report.cpp.
#include <cmath>
#include <filesystem>
#include <cctype>
#include <map>

#include "io/csv.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/program.h"
#include "nn/train_loop.h"
#include "viz/svg.h"

using namespace tg;
namespace fs = std::filesystem;

// What to draw: which measure, of which models, against what.
struct CurveChoice {
  std::string measure = "valid_error", title, to;
  int64_t labels = 0;           // only the models at this label count; 0: every model
  std::string axis = "passes";  // x: passes over the unlabelled images, or Adam steps (runs whose steps differ per pass)
  double y_max = NAN;           // the top of the y-axis (a percentage for errors); NaN: from the data
};

// Runs that differ only in their seed (folders <name>-seed<N>, as results/ names them) share a colour, so that two
// settings of three seeds each read as two colours, not six.
int colour_of_group(const std::string& series_name, std::map<std::string, int>& groups) {
  std::string group = series_name;  // the name with every "-seed<N>" taken out
  for (size_t at = group.find("-seed"); at != std::string::npos; at = group.find("-seed", at)) {
    size_t end = at + 5;
    while (end < group.size() && std::isdigit(static_cast<unsigned char>(group[end]))) ++end;
    if (end > at + 5) group.erase(at, end - at); else at = end;
  }
  return groups.emplace(group, static_cast<int>(groups.size())).first->second;
}

int draw(const std::vector<std::string>& runs, const CurveChoice& c) {
  std::vector<viz::Series> series;
  std::map<std::string, int> groups;
  for (const std::string& run : runs) {
    const std::string summary_file = run + "/summary.json";
    const io::Json summary = io::read_json_file(summary_file);
    const io::JsonReader reader(summary, summary_file), models = reader.at("runs");
    std::vector<size_t> shown;
    for (size_t i = 0; i < models.size(); ++i)
      if (c.labels == 0 || models.at(i).get<int64_t>("labels") == c.labels) shown.push_back(i);
    for (size_t i : shown) {
      const std::string folder = models.at(i).get<std::string>("folder");
      const std::string history = run + "/" + folder + "/history.csv";
      if (!fs::exists(history))
        throw std::runtime_error(fmt::format("{}: not found (a results folder collected before the models' histories were "
                                             "has its summary alone)", history));
      const io::Csv h = io::read_csv(history);
      std::vector<double> y = h.column(c.measure), x = h.column("epoch");
      if (c.measure.ends_with("error"))
        for (double& v : y) v *= 100;  // a fraction in the history, a percentage on the plot
      if (c.axis == "steps") {  // a pass takes as many steps as the trainer's batches of unlabelled images
        const int64_t unlabelled = reader.get<int64_t>("train_images") - models.at(i).get<int64_t>("labels");
        const double per_pass = static_cast<double>(nn::steps_for(unlabelled, reader.get<int64_t>("batch")));
        for (double& v : x) v *= per_pass;
      }
      // a run of one model shown is named by its folder (the setting that differs); several, by folder and model
      const std::string name = fs::path(run).filename().string() + (shown.size() > 1 ? "/" + folder : "");
      series.push_back({name, x, y, colour_of_group(name, groups)});
    }
  }
  if (series.empty()) throw std::runtime_error(fmt::format("--labels {}: no model of the runs has that label count", c.labels));
  viz::LineOptions options;
  options.focus_on_tail = false;  // the whole course: how long each model takes to start using the class
  options.y_max = c.y_max;
  if (!std::isnan(c.y_max)) options.y_min = 0;
  const std::string unit = c.measure.ends_with("error") ? "error (%)" : "nats";  // the other columns are losses and entropies
  const std::string x_label = c.axis == "steps" ? "Adam steps" : "epoch (pass over the unlabelled images)";
  viz::write_text_file(c.to, viz::line_plot_svg(series, {c.title.empty() ? c.measure : c.title, x_label, unit}, 760, 420, options));
  std::printf("wrote %s (%zu models)\n", c.to.c_str(), series.size());
  return 0;
}

int main(int argc, char** argv) {
  std::vector<std::string> runs;
  CurveChoice c;
  CLI::App app{"One measure of every M2 in several semi-supervised runs (run or results folders), per epoch, on one plot"};
  app.add_option("--runs", runs, "the run folders (each with summary.json and its models' history.csv)")->required()->check(CLI::ExistingDirectory);
  app.add_option("--measure", c.measure, "a column of the models' history.csv")
      ->check(CLI::IsMember({"valid_error", "test_error", "small_valid_error", "valid_entropy", "valid_cross_entropy", "class_use_gap", "loss"}))
      ->capture_default_str();
  app.add_option("--labels", c.labels, "only the models at this label count (default: all)")->check(io::in_range(int64_t(1), int64_t(60000)));
  app.add_option("--axis", c.axis, "x: passes, or steps (Adam steps: runs with other batch sizes side by side)")
      ->check(CLI::IsMember({"passes", "steps"}))->capture_default_str();
  app.add_option("--y-max", c.y_max, "the top of the y-axis, from 0 (default: from the data)")->check(io::positive);
  app.add_option("--title", c.title, "the plot's title (default: the measure)");
  app.add_option("--to", c.to, "the SVG file to write")->required();
  return io::run_program(app, argc, argv, [&] { return draw(runs, c); });
}
