// collect_result.cpp: `make collect RUN=runs/study-grey/z3-seed1 TO=results/study-grey/z3-seed1` — copies the small
// part of a finished run folder into results/, where the README's numbers come from (tests/source_check.h):
// summary.json and history.csv as the run wrote them, the history.csv of every model folder the summary names (a
// semi-supervised run's m1-seed1/, m2-100-seed1/, ...: the curves its text describes), and `command`, the commands
// that made the run in the order they ran (resumes included), each under a comment line with its commit, start,
// threads, cores, epochs and time, and a `cp -r` where the run went on in a copy of its folder (a finished run
// scored again on another test draw).
// The copy is exact, so a results folder is the run's own record, not a transcription. Checkpoints, scores and
// pictures stay in the run folder. An existing results folder that differs is refused, never overwritten.
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "io/json.h"
#include "io/program.h"
#include "io/provenance.h"

using namespace tg;
namespace fs = std::filesystem;

// The run folder an invocation wrote to: the value of its --out (every program takes one, as --out=dir or --out dir,
// quoted or not), or "" if it names none. (Plain string search: std::regex draws false warnings from g++ 12 here.)
std::string out_folder(const io::Invocation& i) {
  const std::string& c = i.command;
  for (size_t at = c.find("--out"); at != std::string::npos; at = c.find("--out", at + 1)) {
    size_t v = at + 5;
    if (v >= c.size() || (c[v] != '=' && c[v] != ' ')) continue;  // --output-bias, say
    if (++v < c.size() && c[v] == '"') ++v;
    const size_t end = c.find_first_of("\" ", v);
    return c.substr(v, end == std::string::npos ? std::string::npos : end - v);
  }
  return "";
}

// The run's commands, oldest first: the make command where make started it, else the program's own command line.
std::string command_file(const io::Json& summary, const std::string& run) {
  if (!summary.contains("provenance"))
    throw std::runtime_error(fmt::format("{}/summary.json has no 'provenance' (it was written before runs recorded how they "
                                         "were made): rerun it to put it in results/", run));
  if (!summary.at("provenance").value("complete", true))
    throw std::runtime_error(fmt::format("{}/summary.json: the run was resumed by a program that does not keep its earlier "
                                         "invocations, so its commands are not all known: rerun it in one go", run));
  const auto invocations = summary.at("provenance").at("invocations").get<std::vector<io::Invocation>>();
  // A run made from another run's records (make semisupervised-first-passes) names that run: it read no data itself.
  const std::string found = summary.contains("source") ? fmt::format(" (that of {}, which this run reads)", summary.value("source", std::string()))
                            : summary.value("standard_mnist", false) ? " (found by make data: DATA=, MNIST_DIR= or data/mnist/)"
                                                                     : "";
  std::string out = fmt::format("# data: {}{}\n# rerun each line in order from the repository's root, at the commit it names\n",
                                summary.value("data", std::string("not recorded")), found);
  std::string folder;
  for (const io::Invocation& i : invocations) {
    const std::string here = out_folder(i);
    if (!folder.empty() && !here.empty() && here != folder)
      out += fmt::format("# the run went on in a copy of its folder\ncp -r {} {}\n", folder, here);
    if (!here.empty()) folder = here;
    out += fmt::format("# commit {}, started {}, {} thread(s) of {} cores, epochs {} -> {}, {:.0f} s{}\n", i.commit, i.started,
                       i.threads, i.cores, i.from_epoch, i.to_epoch, i.seconds, i.blas.empty() ? "" : "; " + i.blas);
    out += (i.make_command.empty() ? i.command : i.make_command) + "\n";
  }
  return out;
}

// Every value of a "folder" key anywhere in the summary: the sub-folders of the models it reports.
void named_folders(const io::Json& j, std::set<std::string>& out) {
  if (j.is_object()) {
    for (const auto& [key, value] : j.items())
      if (key == "folder" && value.is_string()) out.insert(value.get<std::string>());
      else named_folders(value, out);
  } else if (j.is_array()) {
    for (const io::Json& value : j) named_folders(value, out);
  }
}

int collect(const std::string& run, const std::string& to) {
  const io::Json summary = io::read_json_file(run + "/summary.json");
  if (!summary.contains("seconds"))  // the program writes it last, once everything else is measured
    throw std::runtime_error(fmt::format("{}/summary.json has no 'seconds': the run has not finished", run));
  std::map<std::string, std::string> files = {{"summary.json", io::read_file(run + "/summary.json")},
                                              {"history.csv", fs::exists(run + "/history.csv") ? io::read_file(run + "/history.csv") : ""},
                                              {"command", command_file(summary, run)}};
  std::set<std::string> folders;
  named_folders(summary, folders);
  size_t histories = 0;
  for (const std::string& folder : folders) {
    if (folder.empty() || folder.find("..") != std::string::npos || folder.front() == '/')
      throw std::runtime_error(fmt::format("{}/summary.json: folder '{}': expected a sub-folder's name", run, folder));
    const std::string history = run + "/" + folder + "/history.csv";
    if (fs::exists(history)) files[folder + "/history.csv"] = io::read_file(history), ++histories;
  }
  for (const auto& [name, text] : files)
    if (!text.empty() && fs::exists(to + "/" + name) && io::read_file(to + "/" + name) != text)
      throw std::runtime_error(fmt::format("{}/{} exists and differs from {}'s: remove it first to replace it", to, name, run));
  for (const auto& [name, text] : files)
    if (!text.empty()) {
      fs::create_directories(fs::path(to + "/" + name).parent_path());
      io::write_file_atomically(to + "/" + name, text);
    }
  std::printf("collected %s -> %s (summary.json, history.csv, command, and the history.csv of %zu models)\n", run.c_str(), to.c_str(),
              histories);
  return 0;
}

int main(int argc, char** argv) {
  std::string run, to;
  CLI::App app{"Copy a finished run's summary.json, history.csv and its commands into results/"};
  app.add_option("--run", run, "the run folder")->required()->check(CLI::ExistingDirectory);
  app.add_option("--to", to, "the results folder to write (results/<study>/<run>)")->required();
  return io::run_program(app, argc, argv, [&] { return collect(run, to); });
}
