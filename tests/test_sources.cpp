// test_sources.cpp: the README and the docs' results pages state only numbers that committed runs under results/
// stand behind (tests/source_check.h says how a page cites them), and the check catches each kind of hand edit:
// a changed integer, a wrong rounding, a number moved to another row, a mean +- std that is not the seeds', a
// result outside its section, a results folder that is missing.
#include <gtest/gtest.h>

#include <algorithm>
#include <filesystem>
#include <map>
#include <regex>
#include <sstream>
#include <tuple>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "tests/programs.h"
#include "tests/source_check.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// The pages that state results: the README and every page directly under docs/ (the course has its own check).
std::vector<std::string> results_pages() {
  std::vector<std::string> pages = {"README.md"};
  for (const auto& e : fs::directory_iterator("docs"))
    if (e.path().extension() == ".md") pages.push_back(e.path().string());
  return pages;
}

TEST(Sources, EveryNumberInTheResultsSectionsComesFromACommittedRun) {
  int sections = 0;
  for (const std::string& page : results_pages()) {
    const std::string text = io::read_file(page);
    for (size_t at = text.find("<!-- results:"); at != std::string::npos; at = text.find("<!-- results:", at + 1)) ++sections;
    const std::vector<SourceProblem> problems = check_sources(page, text, ".");
    EXPECT_TRUE(problems.empty()) << describe(problems);
  }
  EXPECT_GE(sections, 1) << "no page cites results/: the README's results must";
}

// Each results folder reruns from its command file: every command there is one today's Makefile accepts (its
// target exists, every variable is known) and whose options today's program accepts (each program's
// --check-options, as make runs it before the data). An option renamed or a variable dropped without mending the
// committed commands fails here, naming the file and the line.
TEST(Sources, EveryCommittedCommandIsOneTodaysMakefileAndProgramsAccept) {
  int commands = 0, checked = 0;
  for (const auto& e : fs::recursive_directory_iterator("results")) {
    if (e.path().filename() != "command") continue;
    std::istringstream in(io::read_file(e.path().string()));
    for (std::string line; std::getline(in, line);) {
      if (line.empty() || line[0] == '#' || line.rfind("cp -r ", 0) == 0) continue;  // a copy of the run's folder
      ++commands;
      ASSERT_EQ(line.rfind("make ", 0), 0u) << e.path() << ": not a make command: " << line;
      // Outside the make that runs the tests: its MAKEFLAGS (jobserver, command-line variables) are not the command's.
      const CommandResult dry = run_command("env -u MAKEFLAGS -u MAKELEVEL -u MFLAGS make -n --no-print-directory " + line.substr(5));
      ASSERT_EQ(dry.status, 0) << e.path() << ": make refuses " << line << "\n" << dry.output;
      std::istringstream printed(dry.output);
      for (std::string step; std::getline(printed, step);) {
        const size_t end = step.find(" --check-options");
        if (end == std::string::npos) continue;
        const CommandResult check = run_command(step.substr(0, end + std::string(" --check-options").size()));
        EXPECT_EQ(check.status, 0) << e.path() << ": the program refuses the options of " << line << "\n" << check.output;
        ++checked;
      }
    }
  }
  EXPECT_GE(commands, 1) << "no command file under results/";
  EXPECT_GE(checked, commands) << "a command whose make -n shows no --check-options step";
}

// A picture of curves on a results page names the command that drew it from the committed runs (`make
// semisupervised-curves RUNS="..." TO=docs/images/....svg`): each is drawn again here, with the same variables, and
// must be the committed file byte for byte, so a picture cannot outlive the runs it shows or be edited by hand.
TEST(Sources, EveryCurvePictureIsDrawnAgainFromTheCommittedRuns) {
  const std::regex command(R"(`make semisupervised-curves ([^`]*)`)"), variable(R"re((\w+)=(?:"([^"]*)"|(\S+)))re");
  int drawn = 0;
  for (const std::string& page : results_pages()) {
    const std::string text = io::read_file(page);
    for (auto c = std::sregex_iterator(text.begin(), text.end(), command); c != std::sregex_iterator(); ++c) {
      std::map<std::string, std::string> vars;
      const std::string args = (*c)[1];
      for (auto v = std::sregex_iterator(args.begin(), args.end(), variable); v != std::sregex_iterator(); ++v)
        vars[(*v)[1]] = (*v)[2].matched ? (*v)[2].str() : (*v)[3].str();
      ASSERT_TRUE(vars.count("RUNS") && vars.count("TO")) << page << ": " << (*c)[0];
      const std::string again = fresh_temp_dir("curves-again") + "/picture.svg";
      std::string line = program("semisupervised_curves") + " --runs " + vars["RUNS"] + " --to=" + again;
      // the Makefile's variables as the program's options; a variable this list lacks fails rather than being dropped
      const std::map<std::string, std::string> options = {
          {"MEASURE", "measure"}, {"TITLE", "title"}, {"LABELS", "labels"}, {"AXIS", "axis"}, {"Y_MAX", "y-max"}};
      for (const auto& [name, value] : vars) {
        if (name == "RUNS" || name == "TO") continue;
        ASSERT_TRUE(options.count(name)) << page << ": " << (*c)[0] << ": " << name << " is not mapped to an option here";
        line += " --" + options.at(name) + "=\"" + value + "\"";
      }
      const CommandResult r = run_command(line);
      ASSERT_EQ(r.status, 0) << page << ": " << (*c)[0] << "\n" << r.output;
      ASSERT_TRUE(fs::exists(vars["TO"])) << page << ": " << vars["TO"] << " is not committed";
      EXPECT_TRUE(io::read_file(again) == io::read_file(vars["TO"]))
          << page << ": " << vars["TO"] << " is not what its command draws from the committed runs: draw it again with "
          << (*c)[0];
      ++drawn;
    }
  }
  EXPECT_GE(drawn, 1) << "no page draws curves from results/ (docs/results.md did)";
}

// docs/reliability.md names the test behind each claim: every `Suite.Name` (or `Suite.*`) it names is a test.
TEST(Sources, EveryTestTheReliabilityPageNamesExists) {
  std::string all_tests;
  for (const auto& e : fs::directory_iterator("tests"))
    if (e.path().extension() == ".cpp") all_tests += io::read_file(e.path().string());
  const std::string page = io::read_file("docs/reliability.md");
  const std::regex name(R"(`([A-Z][A-Za-z]+)\.([A-Z][A-Za-z]*|\*)`)");
  int checked = 0;
  for (auto it = std::sregex_iterator(page.begin(), page.end(), name); it != std::sregex_iterator(); ++it, ++checked) {
    const std::string suite = (*it)[1], test = (*it)[2];
    const std::regex definition("TEST(_F|_P)?\\(" + suite + ",\\s*" + (test == "*" ? std::string("\\w+") : test) + "\\)");
    EXPECT_TRUE(std::regex_search(all_tests, definition)) << "docs/reliability.md names " << suite << "." << test << ", which is no test";
  }
  EXPECT_GE(checked, 10);
}

// A results folder of three seeds at Z = 3 and one run at Z = 5, written by the test, and a page citing it.
class SourcesOnAPlantedPage : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fresh_temp_dir("sources");
    const auto run = [&](const std::string& name, int z, double log_px, double seconds) {
      const std::string dir = root_ + "/results/demo/" + name;
      fs::create_directories(dir);
      io::write_file_atomically(dir + "/summary.json",
                                "{\"latent\": " + std::to_string(z) + ", \"seed\": " + name.substr(name.size() - 1) + ", \"test_log_px\": " + std::to_string(log_px) +
                                    ", \"train_seconds\": " + std::to_string(seconds) + ", \"provenance\": {\"resumed\": 0}}");
      io::write_file_atomically(dir + "/command", "# commit abc\nmake experiment LATENT=" + std::to_string(z) + " OUT=runs/" + name + "\n");
    };
    run("z3-seed1", 3, -132.061, 600);
    run("z3-seed2", 3, -131.5, 660);
    run("z3-seed3", 3, -132.3, 630);
    run("z5-seed1", 5, -115.14, 540);
  }
  std::vector<SourceProblem> check(const std::string& body) const {
    return check_sources("page.md", "# Results\n<!-- results: results/demo -->\n" + body + "<!-- end results -->\n", root_);
  }
  std::string root_;
};

// -131.95 +- 0.41 is the mean and standard deviation (n - 1) of the three seeds; 10.5 the mean of 630 s in minutes.
const char* kGoodPage =
    "| Z | test log p(x) | seeds | minutes |\n"
    "| --- | --- | --- | --- |\n"
    "| 3 | -131.95 ± 0.41 (-132.30 to -131.50) | 3 | 10.5 |\n"
    "| 5 | -115.14 | 1 | 9 |\n"
    "At Z = 5 one seed gave -115.1 with `make experiment LATENT=5 OUT=runs/z5-seed1` (Kingma & Welling (2013)).\n"
    "Seeds 1 to 3 ran at Z = 3, seed 1 at Z = 5.\n"
    "<!-- not a result: -86.76 (Burda et al. 2015, Table 2) -->\n"
    "The IWAE paper's VAE reached -86.76.\n"
    "Over its three seeds Z = 3 gave -131.95 ± 0.41 nats in 10.5 ± 0.50 minutes.\n";

TEST_F(SourcesOnAPlantedPage, APageWhoseNumbersAllComeFromTheRunsPasses) {
  const auto problems = check(kGoodPage);
  EXPECT_TRUE(problems.empty()) << describe(problems);
}

TEST_F(SourcesOnAPlantedPage, EachKindOfHandEditFailsNamingTheLineAndTheNumber) {
  const std::string good = kGoodPage;
  const auto planted = [&](const std::string& from, const std::string& to) {
    std::string page = good;
    const size_t at = page.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return check(page.replace(at, from.size(), to));
  };
  // an integer changed (the seed count), a decimal rounded wrongly (-131.95 is -131.953...; truncation of the
  // mean's next digit is not what was measured), another decimal invented
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"| 3 | 10.5", "| 4 | 10.5"}, {"-131.95 ±", "-131.96 ±"}, {"± 0.41", "± 0.40"}, {"-115.1 with", "-115.2 with"},
           {"| 9 |", "| 10 |"}}) {
    const auto problems = planted(from, to);
    ASSERT_EQ(problems.size(), 1u) << from << " -> " << to << "\n" << describe(problems);
    EXPECT_EQ(problems[0].line, from == "-115.1 with" ? 7 : from == "| 9 |" ? 6 : 5) << describe(problems);
  }
  // a number moved to another row: -115.14 is a result, but of the Z = 5 run, not of the Z = 3 seeds
  auto problems = planted("(-132.30 to -131.50)", "(-115.14 to -131.50)");
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].token, "-115.14");
  // a paper's number without its "not a result" line, and a command that did not make these runs
  problems = planted("<!-- not a result: -86.76 (Burda et al. 2015, Table 2) -->\n", "");
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].token, "-86.76");
  problems = planted("LATENT=5 OUT", "LATENT=7 OUT");
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].token, "7");
  // numbers the text names by their field must be values of that field, though the runs hold them elsewhere (5 is a
  // latent size here, 1 a seed and a count)
  for (const auto& [from, to, token] : std::vector<std::tuple<std::string, std::string, std::string>>{
           {"Seeds 1 to 3", "Seeds 1 to 5", "5"}, {"seed 1 at Z = 5", "seed 5 at Z = 5", "5"}, {"ran at Z = 3", "ran at Z = 1", "1"}}) {
    problems = planted(from, to);
    ASSERT_EQ(problems.size(), 1u) << from << " -> " << to << "\n" << describe(problems);
    EXPECT_EQ(problems[0].token, token);
    EXPECT_NE(problems[0].message.find("the text names it as a"), std::string::npos) << problems[0].message;
  }
}

// Prose's "mean ± std" names one measurement: both numbers must be one field's mean and standard deviation over one
// group of seeds. Each number of a wrong pair below is a value of the seeds (0.50 is the std of their minutes, 0.41
// that of their log p(x)), so only the pairing catches it.
TEST_F(SourcesOnAPlantedPage, AMeanWithAnotherFieldsSpreadFails) {
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{
           {"-131.95 ± 0.41 nats", "-131.95 ± 0.50 nats"}, {"10.5 ± 0.50 minutes", "10.5 ± 0.41 minutes"},
           {"-131.95 ± 0.41 nats", "-132.30 ± 0.41 nats"}}) {
    std::string page = kGoodPage;
    const size_t at = page.find(from);
    ASSERT_NE(at, std::string::npos) << from;
    const auto problems = check(page.replace(at, from.size(), to));
    ASSERT_EQ(problems.size(), 1u) << from << " -> " << to << "\n" << describe(problems);
    EXPECT_EQ(problems[0].line, 11) << describe(problems);
    EXPECT_NE(problems[0].message.find("mean and standard deviation of one field"), std::string::npos) << problems[0].message;
  }
}

// A paper's number declared "not a result" exempts a pair only when the pair is the paper's: here the seeds' mean
// log p(x), -131.95, is also declared a paper's number, and the spread of another field beside it (0.50, that of
// the minutes) still fails, while the paper's own pair (both numbers declared) passes.
TEST_F(SourcesOnAPlantedPage, AMeasuredMeanThatEqualsAPapersStillNeedsItsOwnSpread) {
  const std::string paper = "<!-- not a result: -131.95 0.77 (a paper's mean and spread that happen to share our mean) -->\n"
                            "The paper had -131.95 ± 0.77.\n";
  const auto truthful = check(paper + kGoodPage);
  EXPECT_TRUE(truthful.empty()) << describe(truthful);
  std::string page = paper + kGoodPage;
  const std::string from = "-131.95 ± 0.41 nats";
  page.replace(page.find(from), from.size(), "-131.95 ± 0.50 nats");
  const auto problems = check(page);
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].token, "-131.95 ± 0.50") << describe(problems);
}

// One model scored on several draws of its binarised test images (folders <name>-draw<N>) is a group as seeds are:
// its mean and standard deviation pass, a standard deviation that is not theirs fails, and the draws do not mix
// with the seeds of another group.
TEST_F(SourcesOnAPlantedPage, TheDrawsOfOneModelAreAGroupAsSeedsAre) {
  for (const auto& [draw, log_px] : std::vector<std::pair<int, double>>{{1, -89.70}, {2, -89.60}, {3, -89.62}}) {
    const std::string dir = root_ + "/results/demo/z3-seed1-draw" + std::to_string(draw);
    fs::create_directories(dir);
    io::write_file_atomically(dir + "/summary.json", "{\"latent\": 3, \"test_draw\": " + std::to_string(draw) +
                                                         ", \"test_log_px\": " + std::to_string(log_px) + "}");
    io::write_file_atomically(dir + "/command", "make experiment LATENT=3 TEST_DRAW=" + std::to_string(draw) + "\n");
  }
  // mean -89.64, standard deviation 0.0529 (n - 1)
  const std::string table = "| test images | test log p(x) |\n| --- | --- |\n| draw 2 | -89.60 |\n| draws 1 to 3 | -89.64 ± 0.05 |\n";
  EXPECT_TRUE(check(table).empty()) << describe(check(table));
  std::string wrong = table;
  wrong.replace(wrong.find("0.05"), 4, "0.06");
  ASSERT_EQ(check(wrong).size(), 1u) << describe(check(wrong));
  EXPECT_EQ(check(wrong)[0].token, "0.06");
}

// A table's header names its columns: "seed 1 | seed 2 | seed 3" are labels, each a value of its field somewhere in
// the cited runs, not a row that one run or group must hold (here no group has all three seeds: the variant has
// seeds 1 and 2 so far); a seed that no run has still fails there.
TEST(Sources, AHeaderNamesColumnsBySeed) {
  const std::string root = fresh_temp_dir("sources-header");
  for (const auto& [name, seed, log_px] : std::vector<std::tuple<std::string, int, double>>{
           {"recipe-seed1", 1, -89.65}, {"recipe-seed2", 2, -89.53}, {"recipe-seed3", 3, -89.70}, {"variant-seed1", 1, -89.32}, {"variant-seed2", 2, -89.42}}) {
    const std::string dir = root + "/results/z200/" + name;
    fs::create_directories(dir);
    io::write_file_atomically(dir + "/summary.json", "{\"seed\": " + std::to_string(seed) + ", \"test_log_px\": " + std::to_string(log_px) + "}");
    io::write_file_atomically(dir + "/command", "make experiment SEED=" + std::to_string(seed) + "\n");
  }
  const auto page = [&](const std::string& header) {
    return check_sources("page.md", "# Results\n<!-- results: results/z200 -->\n" + header + "\n| --- | --- | --- | --- |\n"
                                    "| the recipe | -89.65 | -89.53 | -89.70 |\n| the variant | -89.32 | -89.42 | running |\n<!-- end results -->\n", root);
  };
  EXPECT_TRUE(page("| test log p(x) | seed 1 | seed 2 | seed 3 |").empty()) << describe(page("| test log p(x) | seed 1 | seed 2 | seed 3 |"));
  const auto wrong = page("| test log p(x) | seed 1 | seed 2 | seed 4 |");
  ASSERT_EQ(wrong.size(), 1u) << describe(wrong);
  EXPECT_EQ(wrong[0].token, "4");
  EXPECT_EQ(wrong[0].line, 3);
}

// Error rates are fractions in summary.json and percentages in tables: 0.0360 is quoted as 3.60 (and a seed group's
// mean as a percentage too), while 3.61 or the fraction moved to another row fails.
TEST(Sources, AnErrorRateIsQuotedInPercent) {
  const std::string root = fresh_temp_dir("sources-percent");
  for (const auto& [seed, error] : std::vector<std::pair<int, double>>{{1, 0.0360}, {2, 0.0356}}) {
    const std::string dir = root + "/results/semi/m1m2-seed" + std::to_string(seed);
    fs::create_directories(dir);
    io::write_file_atomically(dir + "/summary.json", "{\"runs\": [{\"labels\": 100, \"test_error\": " + std::to_string(error) +
                                                         ", \"baseline_test_error\": 0.2284}]}");
    io::write_file_atomically(dir + "/command", "# commit abc\nmake semisupervised SEEDS=" + std::to_string(seed) + "\n");
  }
  const auto page = [&](const std::string& row) {
    return check_sources("page.md", "# Results\n<!-- results: results/semi -->\n| labels | test error % |\n| --- | --- |\n" + row +
                                        "<!-- end results -->\n", root);
  };
  EXPECT_TRUE(page("| 100 | 3.60 |\n").empty()) << describe(page("| 100 | 3.60 |\n"));
  EXPECT_TRUE(page("| 100 | 3.58 ± 0.03 |\n").empty()) << describe(page("| 100 | 3.58 ± 0.03 |\n"));  // two seeds
  ASSERT_EQ(page("| 100 | 3.61 |\n").size(), 1u);
  EXPECT_EQ(page("| 100 | 3.61 |\n")[0].token, "3.61");
  EXPECT_EQ(page("| 100 | 22.85 |\n").size(), 1u);  // the baseline is 22.84
}

// A number the runs hold, put in the wrong cell: each run has an entry per label count (runs[] at 100 labels,
// at 600), and a table names fields along one axis and entries (or seeds) along the other. Swapping two
// cells of a row, or taking the 600-label error into the 100-label row, fails though every number is the runs'.
TEST(Sources, ANumberInTheWrongCellOfATableFails) {
  const std::string root = fresh_temp_dir("sources-cells");
  const auto run = [&](int seed, double e100, double b100, double e600, double b600) {
    const std::string dir = root + "/results/semi/m1m2-seed" + std::to_string(seed);
    fs::create_directories(dir);
    const auto entry = [&](int labels, double error, double baseline) {
      return fmt::format(R"({{"labels": {}, "seed": {}, "test_error": {}, "baseline_test_error": {}}})", labels, seed, error, baseline);
    };
    io::write_file_atomically(dir + "/summary.json", "{\"runs\": [" + entry(100, e100, b100) + ", " + entry(600, e600, b600) + "]}");
    io::write_file_atomically(dir + "/command", "make semisupervised SEEDS=" + std::to_string(seed) + "\n");
  };
  run(1, 0.0360, 0.2284, 0.0320, 0.0800);
  run(2, 0.0356, 0.1934, 0.0330, 0.0720);
  // Rows are fields (ours, supervised only), columns label counts: the means and stds of the two seeds.
  const std::string by_labels =
      "| labels | 100 | 600 |\n| --- | --- | --- |\n"
      "| ours, seeds 1 and 2 | 3.58 ± 0.03 | 3.25 ± 0.07 |\n"
      "| supervised only | 21.09 ± 2.47 | 7.60 ± 0.57 |\n";
  // Columns are fields, rows the runs.
  const std::string by_run =
      "| labels | seed | test error % | supervised only |\n| --- | --- | --- | --- |\n"
      "| 100 | 1 | 3.60 | 22.84 |\n| 100 | 2 | 3.56 | 19.34 |\n| 600 | 1 | 3.20 | 8.00 |\n| 600 | 2 | 3.30 | 7.20 |\n";
  const auto check = [&](const std::string& table) {
    return check_sources("page.md", "# Results\n<!-- results: results/semi -->\n" + table + "<!-- end results -->\n", root);
  };
  const auto edited = [](std::string table, const std::string& from, const std::string& to) {
    const size_t at = table.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return table.replace(at, from.size(), to);
  };
  EXPECT_TRUE(check(by_labels).empty()) << describe(check(by_labels));
  EXPECT_TRUE(check(by_run).empty()) << describe(check(by_run));
  const auto fails_at = [](const std::vector<SourceProblem>& problems, int line, const std::string& token) {
    return std::any_of(problems.begin(), problems.end(), [&](const SourceProblem& p) { return p.line == line && p.token == token; });
  };
  // the 100- and 600-label means swapped: the column of 100 labels now holds the 600-label entry
  auto problems = check(edited(by_labels, "| 3.58 ± 0.03 | 3.25 ± 0.07 |", "| 3.25 ± 0.07 | 3.58 ± 0.03 |"));
  EXPECT_TRUE(fails_at(problems, 5, "3.25")) << describe(problems);
  // the test error and the baseline swapped within a row
  problems = check(edited(by_run, "| 3.60 | 22.84 |", "| 22.84 | 3.60 |"));
  EXPECT_TRUE(fails_at(problems, 5, "22.84") && fails_at(problems, 5, "3.60")) << describe(problems);
  // the 600-label run's error of seed 1 in the row of 100 labels
  problems = check(edited(by_run, "| 100 | 1 | 3.60 |", "| 100 | 1 | 3.20 |"));
  EXPECT_TRUE(fails_at(problems, 5, "3.20")) << describe(problems);
  for (const SourceProblem& p : problems) EXPECT_EQ(p.line, 5) << describe(problems);
}

// A number listed "not a result" (a paper's) passes unchecked only where the table quotes papers: in a row whose
// number cells are all listed, or in a column of such cells; there it keeps its place, so the next cell is still read
// as the field its column is. In a measured cell it is checked like any other number: a paper's number typed into
// our column fails, and so does a wrong number of ours that happens to equal a paper's. (Before, both passed.)
TEST(Sources, APapersNumberPassesOnlyInAPapersRowOrColumn) {
  const std::string root = fresh_temp_dir("sources-papers");
  for (int seed : {1, 2}) {
    const std::string dir = root + "/results/semi/m2-seed" + std::to_string(seed);
    fs::create_directories(dir);
    io::write_file_atomically(dir + "/summary.json", fmt::format(R"({{"runs": [{{"labels": 100, "seed": {}, "test_error": {}}}, )"
                                                                 R"({{"labels": 600, "seed": {}, "test_error": {}}}]}})",
                                                                 seed, seed == 1 ? 0.1060 : 0.0980, seed, seed == 1 ? 0.0420 : 0.0460));
    io::write_file_atomically(dir + "/command", "make semisupervised SEEDS=" + std::to_string(seed) + "\n");
  }
  const auto check = [&](const std::string& listed, const std::string& table) {
    return check_sources("page.md", "# Results\n<!-- results: results/semi -->\n<!-- not a result: " + listed +
                                        " (Kingma et al. 2014, Table 1) -->\n" + table + "<!-- end results -->\n", root);
  };
  const std::string paper_row =
      "| labels | 100 | 600 |\n| --- | --- | --- |\n| ours, seeds 1 and 2 | 10.20 ± 0.57 | 4.40 ± 0.28 |\n"
      "| M2, Kingma et al. (2014), Table 1 | 11.97 | 4.94 |\n";
  const std::string paper_column =
      "| labels | seed | test error % | paper |\n| --- | --- | --- | --- |\n| 100 | 1 | 10.60 | 11.97 |\n"
      "| 600 | 1 | 4.20 | 4.94 |\n";
  EXPECT_TRUE(check("11.97 4.94", paper_row).empty()) << describe(check("11.97 4.94", paper_row));
  EXPECT_TRUE(check("11.97 4.94", paper_column).empty()) << describe(check("11.97 4.94", paper_column));
  const auto fails_with = [](const std::vector<SourceProblem>& problems, const std::string& token) {
    return !problems.empty() && std::all_of(problems.begin(), problems.end(), [&](const SourceProblem& p) { return p.token == token; });
  };
  const auto edited = [](std::string table, const std::string& from, const std::string& to) {
    const size_t at = table.find(from);
    EXPECT_NE(at, std::string::npos) << from;
    return table.replace(at, from.size(), to);
  };
  // the paper's number typed into our cell, alone or beside ours
  EXPECT_TRUE(fails_with(check("11.97 4.94", edited(paper_row, "| 10.20 ± 0.57 |", "| 11.97 ± 0.57 |")), "11.97"));
  const auto typed_in = check("11.97 4.94", edited(paper_column, "| 10.60 |", "| 11.97 |"));
  EXPECT_TRUE(fails_with(typed_in, "11.97"));
  EXPECT_NE(describe(typed_in).find("passes only in a paper's row or column"), std::string::npos) << describe(typed_in);
  EXPECT_TRUE(fails_with(check("11.97 4.94", edited(paper_column, "| 10.60 |", "| 11.97, 10.60 |")), "11.97"));
  // a one-row table has no paper's column: the paper's number in our seed's cell fails there too
  const std::string one_row = "| labels | seed | test error % |\n| --- | --- | --- |\n| 100 | 1 | 10.60 |\n";
  EXPECT_TRUE(fails_with(check("11.97", edited(one_row, "10.60", "11.97")), "11.97"));
  // a paper that had 10.60 does not make our 10.60 unchecked: a wrong 10.61 beside its listing fails, the true one passes
  EXPECT_TRUE(check("10.60 11.97 4.94", paper_column).empty()) << describe(check("10.60 11.97 4.94", paper_column));
  EXPECT_TRUE(fails_with(check("10.61 11.97 4.94", edited(paper_column, "| 10.60 |", "| 10.61 |")), "10.61"));
}

// In prose a paper's number passes only in a sentence (or clause, or list item) that names a paper, so that "ours
// reached -86.76" fails though -86.76 is listed as the paper's; a number listed from another source (one of our
// settings) passes anywhere. A marker may hold several lists, each with its source, and one without a source fails.
// (Before, a listed number passed anywhere in prose, and a marker's second list was read as part of the first's source.)
TEST_F(SourcesOnAPlantedPage, APapersNumberPassesInProseOnlyInASentenceThatNamesAPaper) {
  const std::string listed = "<!-- not a result: -86.76 0.30 (Burda et al. 2015, Table 2); 50 (our latent size, a setting) -->\n";
  const auto passes = [&](const std::string& prose) {
    const auto problems = check(listed + prose);
    EXPECT_TRUE(problems.empty()) << prose << describe(problems);
  };
  const auto fails = [&](const std::string& prose, const std::string& token) {
    const auto problems = check(listed + prose);
    EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [&](const SourceProblem& p) { return p.token == token; }))
        << prose << describe(problems);
    return describe(problems);
  };
  passes("The IWAE paper's VAE reached -86.76.\n");
  passes("Burda et al. (2015) report, after much longer\ntraining, -86.76 for their VAE.\n");  // a sentence wrapped over lines
  passes("The VAE of the paper, i.e. -86.76, is deeper.\n");                           // "i.e." ends no sentence
  passes("The paper gave -86.76 ± 0.30.\n");
  passes("Ours used 50 latent units.\n");  // the marker's second list: a setting, not a paper's
  const std::string message = fails("Ours reached -86.76.\n", "-86.76");
  EXPECT_NE(message.find("in prose a paper's number passes only in a sentence that names its source"), std::string::npos) << message;
  fails("The paper's VAE is deeper. Ours reached -86.76.\n", "-86.76");
  fails("The paper trains longer; ours reached -86.76.\n", "-86.76");
  fails("- The paper trains longer,\n- ours reached -86.76.\n", "-86.76");
  const std::string pair = fails("Ours gave -86.76 ± 0.30.\n", "-86.76 ± 0.30");
  EXPECT_NE(pair.find("-86.76 ± 0.30: not the mean and standard deviation of one field over one group of seeds in results/demo; it "
                      "is listed as not a result"),
            std::string::npos)
      << pair;
  const auto unsourced = check("<!-- not a result: -86.76 -->\nThe paper's VAE reached -86.76.\n");
  EXPECT_FALSE(unsourced.empty());
  EXPECT_NE(describe(unsourced).find("their source in parentheses"), std::string::npos) << describe(unsourced);
}

// A row whose numbers two runs both hold (small integers do) is read from whichever lines its table up, not from the
// first folder: run "a" holds 5 and 7 as y and x, run "b" as x and y, and run "c" gives the next row's x and y.
// When neither reading lines up, the problem names both runs. (The old check read the row from "a" and failed.)
TEST(Sources, ARowTwoRunsHoldIsReadFromTheOneThatLinesTheTableUp) {
  const std::string root = fresh_temp_dir("sources-ties");
  const auto run = [&](const std::string& name, int x, int y) {
    const std::string dir = root + "/results/ties/" + name;
    fs::create_directories(dir);
    io::write_file_atomically(dir + "/summary.json", fmt::format(R"({{"x": {}, "y": {}}})", x, y));
    io::write_file_atomically(dir + "/command", "make experiment OUT=runs/" + name + "\n");
  };
  run("a", 7, 5);
  run("b", 5, 7);
  run("c", 6, 8);
  const auto check = [&](const std::string& table) {
    return check_sources("page.md", "# Results\n<!-- results: results/ties -->\n" + table + "<!-- end results -->\n", root);
  };
  const std::string table = "| run | x | y |\n| --- | --- | --- |\n| first | 5 | 7 |\n| second | 6 | 8 |\n";
  EXPECT_TRUE(check(table).empty()) << describe(check(table));
  // a third row from run "d", which holds 9 as y and 4 as x, put in as x and y: no reading of the first row lines
  // up with both others, and the message names both runs that hold it
  run("d", 4, 9);
  const auto problems = check(table + "| third | 9 | 4 |\n");
  ASSERT_FALSE(problems.empty());
  EXPECT_TRUE(std::any_of(problems.begin(), problems.end(), [](const SourceProblem& p) {
    return p.line == 5 && p.message.find("all in results/ties/a and in results/ties/b") != std::string::npos;
  })) << describe(problems);
}

// A semi-supervised run folder with one runs[] entry per (label count, test error), and its command.
void write_semisupervised_run(const std::string& dir, int seed, const std::vector<std::pair<int, double>>& errors) {
    fs::create_directories(dir);
    std::string entries;
    for (const auto& [labels, error] : errors)
      entries += fmt::format(R"({}{{"labels": {}, "seed": {}, "test_error": {}}})", entries.empty() ? "" : ", ", labels, seed, error);
    io::write_file_atomically(dir + "/summary.json", "{\"runs\": [" + entries + "]}");
    io::write_file_atomically(dir + "/command", "make semisupervised SEEDS=" + std::to_string(seed) + "\n");
}

// A seed whose runs cover fewer label counts (its 600-label model stopped), or list them in another order, joins its
// group where it ran: the 100-label mean is over three seeds, the 600-label one over the two that have it, and the
// two-seed mean at 100 labels is no longer a number of the group.
TEST(Sources, ASeedWithFewerLabelCountsCountsWhereItRan) {
  const std::string root = fresh_temp_dir("sources-label-counts");
  const auto run = [&](int seed, const std::vector<std::pair<int, double>>& errors) {
    write_semisupervised_run(root + "/results/semi/m1m2-seed" + std::to_string(seed), seed, errors);
  };
  run(1, {{100, 0.0360}, {600, 0.0320}});
  run(2, {{600, 0.0330}, {100, 0.0356}});
  run(3, {{100, 0.0412}});
  const auto check = [&](const std::string& table) {
    return check_sources("page.md", "# Results\n<!-- results: results/semi -->\n" + table + "<!-- end results -->\n", root);
  };
  // 100 labels: mean 3.76, std 0.31 over three seeds; 600 labels: 3.25 +- 0.07 over two
  const std::string table = "| labels | 100 | 600 |\n| --- | --- | --- |\n| ours | 3.76 ± 0.31 | 3.25 ± 0.07 |\n";
  EXPECT_TRUE(check(table).empty()) << describe(check(table));
  const auto problems = check("| labels | 100 | 600 |\n| --- | --- | --- |\n| ours | 3.58 ± 0.03 | 3.25 ± 0.07 |\n");
  const auto names = [](const std::vector<SourceProblem>& found, const std::string& token) {
    return std::any_of(found.begin(), found.end(), [&](const SourceProblem& p) { return p.token == token; });
  };
  EXPECT_TRUE(names(problems, "3.58")) << describe(problems);
  // seed 2's 600-label error in the row of its 100-label run fails though seed 2 lists its 600-label run first
  const std::string by_run = "| labels | seed | test error % |\n| --- | --- | --- |\n| 100 | 2 | 3.56 |\n| 100 | 3 | 4.12 |\n";
  EXPECT_TRUE(check(by_run).empty()) << describe(check(by_run));
  const auto moved = check("| labels | seed | test error % |\n| --- | --- | --- |\n| 100 | 2 | 3.30 |\n| 100 | 3 | 4.12 |\n");
  EXPECT_TRUE(names(moved, "3.30")) << describe(moved);
  for (const SourceProblem& p : moved) EXPECT_EQ(p.line, 5) << describe(moved);
}

// A setting that ran a folder per label count and seed (the pixel M2: m2-seed<N> at 100 labels, m2-600-seed<N> at 600)
// is one row of a table whose columns are label counts, each cell over its own count's seeds; a cell from another
// setting's folders, or two cells swapped, fail.
TEST(Sources, ASettingRunAFolderPerLabelCountIsOneRowAcrossTheCounts) {
  const std::string root = fresh_temp_dir("sources-folder-per-count");
  const auto run = [&](const std::string& name, int seed, const std::vector<std::pair<int, double>>& errors) {
    write_semisupervised_run(root + "/results/semi/" + name, seed, errors);
  };
  run("m1m2-seed1", 1, {{100, 0.0360}, {600, 0.0320}});  // both counts in one folder: 3.58 +- 0.03, 3.25 +- 0.07
  run("m1m2-seed2", 2, {{100, 0.0356}, {600, 0.0330}});
  run("m2-seed1", 1, {{100, 0.100}});      // 11.00 +- 1.41
  run("m2-seed2", 2, {{100, 0.120}});
  run("m2-600-seed1", 1, {{600, 0.040}});  // 4.20 +- 0.28
  run("m2-600-seed2", 2, {{600, 0.044}});
  run("other-600-seed1", 1, {{600, 0.050}});  // 5.30 +- 0.42
  run("other-600-seed2", 2, {{600, 0.056}});
  const auto check = [&](const std::string& rows) {
    return check_sources("page.md", "# Results\n<!-- results: results/semi -->\n| labels | 100 | 600 |\n| --- | --- | --- |\n" + rows +
                                        "<!-- end results -->\n", root);
  };
  const std::string m1m2 = "| M1+M2 | 3.58 ± 0.03 | 3.25 ± 0.07 |\n";
  const auto truthful = check(m1m2 + "| M2 | 11.00 ± 1.41 | 4.20 ± 0.28 |\n");
  EXPECT_TRUE(truthful.empty()) << describe(truthful);
  const auto names = [](const std::vector<SourceProblem>& found, const std::string& token) {
    return std::any_of(found.begin(), found.end(), [&](const SourceProblem& p) { return p.token == token && p.line == 6; });
  };
  const auto other = check(m1m2 + "| M2 | 11.00 ± 1.41 | 5.30 ± 0.42 |\n");
  EXPECT_TRUE(names(other, "5.30") && names(other, "0.42")) << describe(other);
  const auto swapped = check(m1m2 + "| M2 | 4.20 ± 0.28 | 11.00 ± 1.41 |\n");
  EXPECT_TRUE(names(swapped, "4.20") && names(swapped, "11.00")) << describe(swapped);
}

// The same on the real README: two cells of its first results table's first row, swapped, fail.
TEST(Sources, TwoCellsOfTheReadmesFirstResultsRowSwappedFail) {
  const std::string text = io::read_file("README.md");
  const size_t table = text.find("\n| ", text.find("<!-- results:"));
  const size_t row = text.find("\n| ", text.find("---", table));
  ASSERT_NE(row, std::string::npos);
  const size_t row_end = text.find('\n', row + 1);
  std::vector<std::string> cells;
  std::istringstream split(text.substr(row + 3, row_end - row - 3));
  for (std::string cell; std::getline(split, cell, '|');) cells.push_back(cell);
  // the first two cells that hold only numbers and differ
  std::vector<size_t> numeric;
  for (size_t c = 0; c < cells.size(); ++c)
    if (!number_tokens_of(cells[c]).empty() && std::none_of(cells[c].begin(), cells[c].end(), [](unsigned char ch) { return std::isalpha(ch); }) &&
        (numeric.empty() || cells[c] != cells[numeric[0]]))
      numeric.push_back(c);
  ASSERT_GE(numeric.size(), 2u) << "the README's first results row has fewer than two numeric cells";
  std::swap(cells[numeric[0]], cells[numeric[1]]);
  std::string swapped = "| ";
  for (const std::string& cell : cells) swapped += cell + "|";
  const std::string edited = text.substr(0, row + 1) + swapped + text.substr(row_end);
  const auto problems = check_sources("README.md", edited, ".");
  EXPECT_FALSE(problems.empty()) << "the README with cells " << numeric[0] << " and " << numeric[1] << " of a row swapped passed:\n" << swapped;
}

TEST_F(SourcesOnAPlantedPage, AResultOutsideItsSectionOrAMissingFolderFails) {
  auto problems = check_sources("page.md", "# Results\nThe VAE reached -131.95 nats.\n# Other\nChapter 2 has 3 steps.\n", root_);
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_EQ(problems[0].line, 2);
  problems = check_sources("page.md", "<!-- results: results/gone -->\n-131.95\n<!-- end results -->\n", root_);
  ASSERT_GE(problems.size(), 1u);
  EXPECT_NE(problems[0].message.find("results/gone is not a folder of results"), std::string::npos) << describe(problems);
  problems = check_sources("page.md", "<!-- results: results/demo -->\n-131.95\n", root_);
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_NE(problems[0].message.find("never closed"), std::string::npos);
  fs::remove(root_ + "/results/demo/z5-seed1/command");
  problems = check("-115.14\n");
  ASSERT_EQ(problems.size(), 1u) << describe(problems);
  EXPECT_NE(problems[0].message.find("no command file"), std::string::npos);
}

// The real README, edited by hand: its first checked number changed by one in the last digit fails.
TEST(Sources, AHandEditToTheReadmesResultsFails) {
  const std::string text = io::read_file("README.md");
  const size_t section = text.find("<!-- results:");
  ASSERT_NE(section, std::string::npos);
  const size_t table = text.find("\n| ", section), row = text.find("\n| ", text.find("---", table));
  ASSERT_NE(row, std::string::npos);
  const size_t digit = text.find_first_of("0123456789", text.find('.', row + 3) + 1);
  std::string edited = text;
  edited[digit] = edited[digit] == '9' ? '0' : static_cast<char>(edited[digit] + 1);
  const auto problems = check_sources("README.md", edited, ".");
  EXPECT_FALSE(problems.empty()) << "the README with one digit changed at offset " << digit << " passed";
}

// The README is a front page: under 150 lines (the results, protocols and notes live in the pages it links), and
// every file it or a results page links to exists, so moving a page cannot leave a dead link behind.
TEST(Sources, TheReadmeIsShortAndEveryPageItLinksExists) {
  const std::string readme = io::read_file("README.md");
  EXPECT_LT(std::count(readme.begin(), readme.end(), '\n'), 150) << "README.md has grown past a front page";
  int links = 0;
  for (const std::string& page : results_pages()) {
    const std::string text = io::read_file(page);
    const fs::path folder = fs::path(page).parent_path();
    const std::regex link(R"(\]\(([^)#:]+)(#[^)]*)?\))");  // [text](path) or [text](path#anchor); no URLs
    for (auto it = std::sregex_iterator(text.begin(), text.end(), link); it != std::sregex_iterator(); ++it, ++links)
      EXPECT_TRUE(fs::exists(folder / (*it)[1].str())) << page << " links to " << (*it)[1] << ", which does not exist";
  }
  EXPECT_GE(links, 10);
}

}  // namespace
}  // namespace tg::test
