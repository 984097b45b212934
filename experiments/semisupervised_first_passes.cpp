// semisupervised_first_passes.cpp: `make semisupervised-first-passes RUN=results/semisupervised/m1m2-zerologvar-seed1
// PASSES=100 OUT=runs/semisupervised/m1m2-zerologvar-first100-seed1` — what a finished semi-supervised run would
// have reported had it stopped after its first PASSES passes: for every M2 it trained, the epochs chosen among those
// passes as the program chooses them (semisupervised_selection.h), each with its test error, read from the model's
// history. Nothing in a pass depends on how many passes follow it (the step size is constant and the random draws
// continue from one stream), so a run's first passes are the shorter run: this program's test checks it against one.
// What it is for: comparing runs at matched steps without training again. The authors' batch make-up takes 100
// steps a pass at 100 labels and ours 499, so our first 100 passes take as many steps as their 500.
// Writes OUT/summary.json with the semi-supervised program's fields for each model, and each model's history.csv
// cut to the passes, so that make collect and make semisupervised-curves take OUT as a run.
// Read next: semisupervised_curves.cpp.
#include <filesystem>
#include <map>

#include "experiments/semisupervised_selection.h"
#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/run_folder.h"
#include "io/program.h"
#include "io/summary.h"

using namespace tg;
namespace fs = std::filesystem;

// The first `passes` lines of a history.csv after its header, as the run wrote them (the numbers keep their digits).
std::string first_rows_of(const std::string& text, size_t passes, const std::string& where) {
  size_t end = 0;
  for (size_t line = 0; line <= passes; ++line) {
    end = text.find('\n', end);
    if (end == std::string::npos) throw std::runtime_error(fmt::format("{}: holds fewer than {} passes", where, passes));
    ++end;
  }
  return text.substr(0, end);
}

int first_passes(const std::string& run, size_t passes, const std::string& out) {
  const std::string summary_file = run + "/summary.json";
  const io::Json source = io::read_json_file(summary_file);
  const io::JsonReader models = io::JsonReader(source, summary_file).at("runs");
  if (fs::exists(out + "/summary.json"))
    throw std::runtime_error(fmt::format("{}/summary.json exists: OUT=<another folder> (or remove it to make it again)", out));

  // Every model is read and chosen before anything is written, so a missing or short history leaves OUT untouched.
  io::Json results = io::Json::array();
  std::map<std::string, std::string> cut_histories;  // folder -> its history.csv's first passes
  for (size_t i = 0; i < models.size(); ++i) {
    const io::JsonReader model = models.at(i);
    const std::string folder = model.get<std::string>("folder");
    if (folder.empty() || folder.find("..") != std::string::npos || folder.front() == '/')
      throw std::runtime_error(fmt::format("{}: runs[{}].folder '{}': expected a sub-folder's name", summary_file, i, folder));
    const std::string history_file = run + "/" + folder + "/history.csv";
    const io::Csv csv = io::read_csv(history_file);
    nn::History history;
    for (const std::string& column : csv.header) history[column] = csv.column(column);
    const ChosenEpochs c = choose_epochs(history, passes, history_file);
    results.push_back({{"folder", folder}, {"model", model.get<std::string>("model")}, {"labels", model.get<int64_t>("labels")},
                       {"seed", model.get<uint64_t>("seed")}, {"epochs", c.epochs}, {"best_epoch", c.best.epoch},
                       {"valid_error", c.best.valid}, {"test_error", c.best.test}, {"last_epoch_test_error", c.last.test},
                       {"small_valid_best_epoch", c.small_valid_best.epoch}, {"small_valid_test_error", c.small_valid_best.test}});
    cut_histories[folder] = first_rows_of(io::read_file(history_file), passes, history_file);
    std::printf("%s: test error %.2f%% at the best validation epoch among the first %zu (%d; valid %.2f%%)\n", folder.c_str(),
                100 * c.best.test, passes, c.best.epoch, 100 * c.best.valid);
  }

  io::require_writable_folder(out, "--out");
  for (const auto& [folder, text] : cut_histories) {
    fs::create_directories(out + "/" + folder);
    io::write_file_atomically(out + "/" + folder + "/history.csv", text);
  }
  io::Summary s;
  s.set("experiment", "semisupervised_first_passes");
  s.set("source", run);
  s.set("passes", static_cast<int64_t>(passes));
  for (const char* key : {"data", "standard_mnist"})  // the data the source run trained on (make collect's first line)
    if (source.contains(key)) s.set(key, source.at(key));
  s.set("runs", results);
  const io::Json provenance = io::provenance_of_this_process(1);
  s.set("provenance", provenance);
  s.set("seconds", provenance.at("invocations")[0].at("seconds").get<double>());  // last: the folder is whole
  s.write(out + "/summary.json");
  std::printf("wrote %s/summary.json (%zu models, their first %zu passes)\n", out.c_str(), models.size(), passes);
  return 0;
}

int main(int argc, char** argv) {
  std::string run, out;
  size_t passes = 0;
  CLI::App app{"What a finished semi-supervised run would have reported after its first N passes, from its models' histories"};
  app.add_option("--run", run, "the run (or results) folder: summary.json and each model's history.csv")->required()->check(CLI::ExistingDirectory);
  app.add_option("--passes", passes, "how many of its passes over the unlabelled images")->required()->check(io::in_range(size_t(1), size_t(100000)));
  app.add_option("--out", out, "the folder to write (summary.json, each model's history.csv cut to the passes)")->required();
  return io::run_program(app, argc, argv, [&] { return first_passes(run, passes, out); });
}
