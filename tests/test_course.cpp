// test_course.cpp: keeps the course in docs/learn/ true. For every chapter page: each C++ block is byte-for-byte
// the marked region of the chapter's program it names; each output block is what the program prints (exactly,
// or with the relative tolerance the block declares); every decimal number in the prose appears in the page's
// code or output or in a short allowlist; every `path: name` reference in any doc names a real definition; and
// each exercise's reference solution passes its check while the learner's copy either passes or names its task.
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>

#include "io/atomic_file.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

std::vector<std::string> chapter_pages() {
  std::vector<std::string> pages;
  for (const auto& e : fs::directory_iterator("docs/learn"))
    if (std::regex_match(e.path().filename().string(), std::regex("[0-9][0-9]_.*\\.md"))) pages.push_back(e.path().string());
  std::sort(pages.begin(), pages.end());
  return pages;
}

std::vector<std::string> lines_of(const std::string& text) {
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string line; std::getline(in, line);) lines.push_back(line);
  return lines;
}

struct Block {
  std::string kind, target, tolerance;  // "code" / "output", "file#region" / "program", "" or a number
  int line;                             // of the marker, 1-based
  std::string text;                     // the fenced block's content, lines joined with \n (and a final \n)
};

// Every `<!-- code: ... -->` / `<!-- output: ... -->` marker and the fenced block right after it.
std::vector<Block> blocks_of(const std::string& page) {
  const std::vector<std::string> lines = lines_of(io::read_file(page));
  std::vector<Block> blocks;
  const std::regex marker(R"(<!-- (code|output): (\S+)(?: tolerance=(\S+))? -->)");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, marker)) continue;
    Block b{m[1], m[2], m[3], static_cast<int>(i + 1), ""};
    size_t j = i + 1;
    EXPECT_TRUE(j < lines.size() && lines[j].rfind("```", 0) == 0) << page << ":" << b.line << ": a marker must precede a fenced block";
    for (++j; j < lines.size() && lines[j] != "```"; ++j) b.text += lines[j] + "\n";
    blocks.push_back(b);
    i = j;
  }
  return blocks;
}

std::string region(const std::string& file, const std::string& name) {
  const std::string text = io::read_file(file);
  const std::regex begin("\n[ \t]*// \\[begin " + name + "\\]\n"), end("\n[ \t]*// \\[end " + name + "\\]");
  std::smatch b, e;
  if (!std::regex_search(text, b, begin)) return "(no region " + name + " in " + file + ")";
  const std::string rest = text.substr(static_cast<size_t>(b.position(0) + b.length(0)));
  if (!std::regex_search(rest, e, end)) return "(region " + name + " in " + file + " has no end)";
  return rest.substr(0, static_cast<size_t>(e.position(0))) + "\n";
}

// Text with every number replaced by '#', and the numbers in order.
std::pair<std::string, std::vector<double>> split_numbers(const std::string& text) {
  static const std::regex number(R"(-?\d+(\.\d+)?(e[-+]?\d+)?)");
  std::string skeleton;
  std::vector<double> values;
  auto it = std::sregex_iterator(text.begin(), text.end(), number);
  size_t at = 0;
  for (; it != std::sregex_iterator(); ++it) {
    skeleton += text.substr(at, static_cast<size_t>(it->position(0)) - at) + "#";
    values.push_back(std::stod(it->str()));
    at = static_cast<size_t>(it->position(0) + it->length(0));
  }
  return {skeleton + text.substr(at), values};
}

// The first line where two texts differ, for the failure message.
std::string first_difference(const std::string& want, const std::string& got, int first_line) {
  const auto a = lines_of(want), b = lines_of(got);
  for (size_t i = 0; i < std::max(a.size(), b.size()); ++i) {
    const std::string x = i < a.size() ? a[i] : "(nothing)", y = i < b.size() ? b[i] : "(nothing)";
    if (x != y) return "line " + std::to_string(first_line + 2 + static_cast<int>(i)) + ": the page says\n  " + x + "\nbut it is\n  " + y;
  }
  return "(same lines, different whitespace)";
}

TEST(Course, EveryCodeBlockIsARegionOfTheChaptersProgram) {
  int checked = 0;
  for (const std::string& page : chapter_pages())
    for (const Block& b : blocks_of(page)) {
      if (b.kind != "code") continue;
      const std::string file = "docs/learn/" + b.target.substr(0, b.target.find('#'));
      const std::string want = region(file, b.target.substr(b.target.find('#') + 1));
      EXPECT_EQ(b.text, want) << page << ":" << b.line << ": the code block differs from " << b.target << "; "
                              << first_difference(b.text, want, b.line);
      ++checked;
    }
  EXPECT_GE(checked, 11);
}

TEST(Course, EveryOutputBlockIsWhatItsProgramPrints) {
  int checked = 0;
  const std::string cwd = fresh_temp_dir("course");  // chapter 3 writes tape.dot where it runs
  for (const std::string& page : chapter_pages())
    for (const Block& b : blocks_of(page)) {
      if (b.kind != "output") continue;
      const std::string prog = fs::absolute(build_dir() + "/learn/" + b.target).string();
      const CommandResult r = run_command("cd " + cwd + " && " + prog);
      ASSERT_EQ(r.status, 0) << page << ": " << prog << " failed: " << r.output;
      if (b.tolerance.empty()) {
        EXPECT_EQ(b.text, r.output) << page << ":" << b.line << ": " << first_difference(b.text, r.output, b.line);
      } else {
        const double tol = std::stod(b.tolerance);
        const auto [want_text, want] = split_numbers(b.text);
        const auto [got_text, got] = split_numbers(r.output);
        EXPECT_EQ(want_text, got_text) << page << ":" << b.line << ": " << first_difference(b.text, r.output, b.line);
        for (size_t i = 0; i < std::min(want.size(), got.size()); ++i)
          EXPECT_LE(std::abs(want[i] - got[i]), tol * std::max(std::abs(want[i]), std::abs(got[i])))
              << page << ":" << b.line << ": number " << i << " is " << got[i] << ", the page says " << want[i];
      }
      ++checked;
    }
  EXPECT_EQ(checked, static_cast<int>(chapter_pages().size()));  // every chapter shows its program's output
}

TEST(Course, EveryNumberInTheProseIsQuotedFromTheProgram) {
  // Numbers a page may state that its own program does not print, each with where it comes from.
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"01_derivatives.md", "12.01"},  // exercises/01_check.cpp: 3 x^2 + h^2 at x = 2, h = 0.1
      {"01_derivatives.md", "0.1"},    // exercises/01_check.cpp: the step of that check
      {"07_fit_a_line.md", "1.2"},     // learning rates the page suggests trying, not results
      {"07_fit_a_line.md", "0.01"},
      {"09_optimizers.md", "0.9"},     // settings the page suggests trying
      {"09_optimizers.md", "0.01"},
  };
  for (const std::string& page : chapter_pages()) {
    std::string quoted;  // the page's code and output blocks
    for (const Block& b : blocks_of(page)) quoted += b.text;
    const std::vector<std::string> lines = lines_of(io::read_file(page));
    bool in_block = false;
    for (size_t i = 0; i < lines.size(); ++i) {
      if (lines[i].rfind("```", 0) == 0) in_block = !in_block;
      if (in_block) continue;
      static const std::regex decimal(R"(-?\d+\.\d+(e[-+]?\d+)?)");
      static const std::regex label(R"((Exercise|Task) \d+\.\d+)");  // "Exercise 4.1" names a task; it is no measurement
      const std::string line = std::regex_replace(lines[i], label, "$1");
      for (auto it = std::sregex_iterator(line.begin(), line.end(), decimal); it != std::sregex_iterator(); ++it)
        EXPECT_TRUE(quoted.find(it->str()) != std::string::npos || allowed.count({fs::path(page).filename().string(), it->str()}))
            << page << ":" << i + 1 << ": " << it->str() << " appears in no code or output block of the page";
    }
  }
}

// `path: name` must name a definition in that file: a class or struct of that name, a constant, a test, or the
// name followed by "(" with a type (or Class::) before it on a line that is not a statement (not a return).
bool defines(const std::string& source, const std::string& name) {
  const std::string last = name.substr(name.rfind(':') == std::string::npos ? 0 : name.rfind(':') + 1);
  const std::regex type_def("\\b(class|struct|enum class|enum)\\s+" + last + "\\b");
  const std::regex function_def("^[A-Za-z_][\\w:<>,\\*& ]*[\\w>\\*&:]\\s*\\b" + last + "\\s*\\(");
  const std::regex test_def("^TEST(_F|_P)?\\(\\w+,\\s*" + last + "\\)");
  const std::regex constant_def("^\\s*(inline\\s+)?(const|constexpr)\\s.*\\b" + last + "\\s*=");
  for (const std::string& line : lines_of(source)) {
    const std::string trimmed = line.substr(std::min(line.find_first_not_of(" \t"), line.size()));
    if (trimmed.rfind("//", 0) == 0 || trimmed.rfind("return", 0) == 0) continue;
    if (std::regex_search(trimmed, type_def) || std::regex_search(trimmed, function_def) || std::regex_search(trimmed, constant_def) ||
        std::regex_search(trimmed, test_def))
      return true;
  }
  return false;
}

TEST(Course, EveryPathAndNameReferenceInTheDocsIsADefinition) {
  std::vector<std::string> docs = chapter_pages();
  docs.push_back("docs/walkthrough.md");
  docs.push_back("docs/learn/README.md");
  const std::regex ref("`([A-Za-z0-9_/]+\\.(?:h|cpp)): ([A-Za-z0-9_:<>]+)`");
  int refs = 0;
  for (const std::string& doc : docs) {
    const std::string text = io::read_file(doc);
    for (auto it = std::sregex_iterator(text.begin(), text.end(), ref); it != std::sregex_iterator(); ++it) {
      const std::string path = (*it)[1], name = (*it)[2];
      ASSERT_TRUE(fs::exists(path)) << doc << " names a missing file: " << path;
      EXPECT_TRUE(defines(io::read_file(path), name)) << doc << ": " << path << " has no definition of " << name;
      ++refs;
    }
  }
  EXPECT_GE(refs, 20);
  EXPECT_FALSE(defines("  return micrograd_example(a, b);\n", "micrograd_example"));  // a call is not a definition
  EXPECT_TRUE(defines("double central_difference(const F& f) {\n", "central_difference"));
}

TEST(Course, ExercisesSolutionsPassAndStubsNameTheirTask) {
  int exercises = 0;
  for (const auto& e : fs::directory_iterator("docs/learn/exercises")) {
    std::smatch m;
    const std::string file = e.path().filename().string();
    if (!std::regex_match(file, m, std::regex("([0-9][0-9])_check\\.cpp"))) continue;
    const std::string n = m[1];
    const CommandResult solution = run_command(build_dir() + "/learn/solution_" + n);
    EXPECT_EQ(solution.status, 0) << solution.output;
    EXPECT_NE(solution.output.find("passed"), std::string::npos) << solution.output;
    const CommandResult mine = run_command(build_dir() + "/learn/exercise_" + n);  // the learner's copy, solved or not
    if (mine.status != 0) {
      EXPECT_NE(mine.output.find("Task " + std::to_string(std::stoi(n)) + "."), std::string::npos) << mine.output;
    }
    ++exercises;
  }
  EXPECT_GE(exercises, 5);  // 1.1, 3.1, 4.1, 5.1, 6.1
}

}  // namespace
}  // namespace tg::test
