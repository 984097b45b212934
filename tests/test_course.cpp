// test_course.cpp: keeps the course in docs/learn/ true. For every chapter page: each C++ block is byte-for-byte
// the marked region of the chapter's program it names; each output block is what the program prints (exactly,
// or with the relative tolerance the block declares); every number in the prose (a whole token, integers too) is
// one of the page's code or output blocks or in a short allowlist with its source, and each one from a block
// (other than a single digit) is bound by its paragraph's quotes list to the place it comes from; every
// `path: name` reference in any doc names a real definition; and each exercise's reference solution passes its
// check while the learner's copy either passes or names its task.
#include <fmt/format.h>
#include <gtest/gtest.h>

#include <cmath>
#include <filesystem>
#include <regex>
#include <sstream>

#include "io/atomic_file.h"
#include "tests/programs.h"
#include "tests/source_check.h"
#include <cstdlib>
#include <optional>
#include <set>

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
  // below=LIMIT:TOL: numbers under LIMIT in size (rounding errors, whose digits vary between builds) may differ
  // by the relative TOL; every other number by `tolerance` only.
  std::string below, below_tolerance;
  int line;                             // of the marker, 1-based
  std::string text;                     // the fenced block's content, lines joined with \n (and a final \n)
};

// Every `<!-- code: ... -->` / `<!-- output: ... -->` marker of a page's text and the fenced block right after it.
std::vector<Block> blocks_in(const std::string& page, const std::string& text) {
  const std::vector<std::string> lines = lines_of(text);
  std::vector<Block> blocks;
  const std::regex marker(R"(<!-- (code|output): (\S+)(?: tolerance=(\S+))?(?: below=(\S+):(\S+))? -->)");
  for (size_t i = 0; i < lines.size(); ++i) {
    std::smatch m;
    if (!std::regex_match(lines[i], m, marker)) continue;
    Block b{m[1], m[2], m[3], m[4], m[5], static_cast<int>(i + 1), ""};
    size_t j = i + 1;
    EXPECT_TRUE(j < lines.size() && lines[j].rfind("```", 0) == 0) << page << ":" << b.line << ": a marker must precede a fenced block";
    for (++j; j < lines.size() && lines[j] != "```"; ++j) b.text += lines[j] + "\n";
    blocks.push_back(b);
    i = j;
  }
  return blocks;
}

std::vector<Block> blocks_of(const std::string& page) { return blocks_in(page, io::read_file(page)); }

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

// Where an output block and the program's output disagree beyond the block's tolerances: "" when they agree.
std::string output_difference(const Block& b, const std::string& output) {
  if (b.tolerance.empty()) return b.text == output ? "" : first_difference(b.text, output, b.line);
  const auto [want_text, want] = split_numbers(b.text);
  const auto [got_text, got] = split_numbers(output);
  if (want_text != got_text || want.size() != got.size()) return first_difference(b.text, output, b.line);
  for (size_t i = 0; i < want.size(); ++i) {
    const double size = std::max(std::abs(want[i]), std::abs(got[i]));
    const bool noise = !b.below.empty() && size < std::stod(b.below);
    const double tol = std::stod(noise ? b.below_tolerance : b.tolerance);
    if (std::abs(want[i] - got[i]) > tol * size)
      return fmt::format("number {} is {}, the page says {} (relative tolerance {})", i, got[i], want[i], tol);
  }
  return "";
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
      EXPECT_EQ(output_difference(b, r.output), "") << page << ":" << b.line;
      ++checked;
    }
  EXPECT_EQ(checked, static_cast<int>(chapter_pages().size()));  // every chapter shows its program's output
}

// The pictures committed beside the pages are what the programs draw now: chapter 3's graph as the DOT text its
// program writes (byte for byte), rendered into an SVG that holds each of its nodes' labels; chapter 12's latent
// space as its program writes it, every coordinate within half a pixel (float rounding may move the codes a little
// between builds; nothing a reader could see).
TEST(Course, ThePagesPicturesAreWhatTheProgramsDraw) {
  const std::string cwd = fresh_temp_dir("course-pictures");
  for (const char* chapter : {"03_the_tape", "12_training_a_vae"})
    ASSERT_EQ(run_command("cd " + cwd + " && " + fs::absolute(build_dir() + "/learn/" + chapter).string()).status, 0) << chapter;
  const std::string hint = "; make course-pictures redraws the committed pictures";
  const std::string dot = io::read_file(cwd + "/tape.dot");
  EXPECT_EQ(io::read_file("docs/learn/images/03_tape.dot"), dot) << "docs/learn/images/03_tape.dot is not the graph chapter 3 records" << hint;
  const std::string svg = io::read_file("docs/learn/images/03_tape.svg");
  const std::regex label("label=\"([^\"]*)\"");
  int labels = 0;
  for (auto it = std::sregex_iterator(dot.begin(), dot.end(), label); it != std::sregex_iterator(); ++it, ++labels) {
    std::string first_line = (*it)[1].str().substr(0, (*it)[1].str().find("\\n"));
    EXPECT_NE(svg.find(">" + first_line + "<"), std::string::npos) << "03_tape.svg has no node labelled " << first_line << hint;
  }
  EXPECT_GE(labels, 5);
  const auto [want_text, want] = split_numbers(io::read_file("docs/learn/images/12_latent_space.svg"));
  const auto [got_text, got] = split_numbers(io::read_file(cwd + "/latent_space.svg"));
  ASSERT_EQ(want_text, got_text) << "docs/learn/images/12_latent_space.svg differs from what chapter 12 draws" << hint;
  ASSERT_EQ(want.size(), got.size());
  for (size_t i = 0; i < want.size(); ++i)
    EXPECT_NEAR(want[i], got[i], 0.5) << "number " << i << " of 12_latent_space.svg" << hint;
}

// The prose's numbers, as whole tokens (integers too, so 3625 -> 3600 fails; 0.4100 -> 0.410 fails, since 0.410 is
// not what the program printed), less what is not a measurement: comments, inline code, references to chapters,
// exercises and tasks, citation years. (Headings and code blocks are left out by the callers.)
std::vector<std::string> prose_numbers_of_line(const std::string& text) {
  static const std::regex comment("<!--.*?-->"), code_span("`[^`]*`");
  static const std::regex reference(R"(\b([Cc]hapters?|[Ee]xercises?|Task|stop) \d+(\.\d+)?(-\d+)?('s)?)");
  static const std::regex citation(R"((\((19|20)\d\d\))|([A-Z][a-z]+\.? (19|20)\d\d\b))");
  std::string line = std::regex_replace(text, comment, " ");
  line = std::regex_replace(line, code_span, " ");
  line = std::regex_replace(line, reference, " ");
  line = std::regex_replace(line, citation, " ");
  return number_tokens_of(line);
}

// A paragraph of a page's prose: its numbers in order (line, token), and the keys of its quotes list, if it has one.
struct Paragraph {
  size_t first_line = 0;  // 1-based
  std::vector<std::pair<size_t, std::string>> numbers;
  std::optional<std::vector<std::string>> keys;
};

// Paragraphs end at a blank line, a heading, a block's marker or a fenced block.
std::vector<Paragraph> paragraphs_of(const std::vector<std::string>& lines) {
  static const std::regex quotes(R"(<!-- quotes: (.*?) -->)"), marker(R"(<!-- (code|output): .*)");
  std::vector<Paragraph> out;
  bool in_block = false, open = false;
  for (size_t i = 0; i < lines.size(); ++i) {
    const bool fence = lines[i].rfind("```", 0) == 0;
    if (fence) in_block = !in_block;
    if (fence || in_block || lines[i].rfind("#", 0) == 0 || lines[i].find_first_not_of(" \t") == std::string::npos ||
        std::regex_match(lines[i], marker)) {
      open = false;
      continue;
    }
    if (!open) out.push_back({i + 1, {}, std::nullopt}), open = true;
    for (const std::string& t : prose_numbers_of_line(lines[i])) out.back().numbers.push_back({i + 1, t});
    std::smatch m;
    if (std::regex_search(lines[i], m, quotes)) {
      std::vector<std::string> keys;
      const std::string list = m[1];
      for (size_t at = 0;;) {
        const size_t bar = list.find(" | ", at);
        keys.push_back(list.substr(at, bar == std::string::npos ? std::string::npos : bar - at));
        if (bar == std::string::npos) break;
        at = bar + 3;
      }
      out.back().keys = keys;
    }
  }
  return out;
}

std::vector<std::pair<size_t, std::string>> prose_numbers(const std::vector<std::string>& lines) {
  std::vector<std::pair<size_t, std::string>> out;
  for (const Paragraph& p : paragraphs_of(lines)) out.insert(out.end(), p.numbers.begin(), p.numbers.end());
  return out;
}

TEST(Course, EveryNumberInTheProseIsQuotedFromTheProgram) {
  // Numbers a page may state that its own program does not print, each with where it comes from.
  const std::set<std::pair<std::string, std::string>> allowed = {
      {"01_derivatives.md", "1"},      // the point x = 1 where the slope cos(1) is measured (01_derivatives.cpp)
      {"01_derivatives.md", "16"},     // a double's significant digits, and its rounding 1e-16
      {"01_derivatives.md", "1e-16"},
      {"01_derivatives.md", "1e-8"},   // the best steps that balance the two errors: sqrt(1e-16), cbrt(1e-16)
      {"01_derivatives.md", "1e-5"},
      {"01_derivatives.md", "7"},      // a float's significant digits
      {"01_derivatives.md", "12.01"},  // exercises/01_check.cpp: 3 x^2 + h^2 at x = 2, h = 0.1
      {"01_derivatives.md", "0.1"},
      {"01_derivatives.md", "3"},
      {"02_chain_rule.md", "1"},       // dg/dg = 1, where the backward walk starts
      {"05_checking_gradients.md", "1e-6"},  // check_gradients' default tolerance (autograd/gradcheck.h)
      {"06_your_own_op.md", "88"},       // where a float's e^x overflows (log of FLT_MAX = 88.7)
      {"06_your_own_op.md", "1.2e-38"},  // FLT_MIN, the smallest normal float, and the subnormals' spacing 2^-149
      {"06_your_own_op.md", "1.4e-45"},
      {"06_your_own_op.md", "-100"},   // the point the page discusses; tests/test_extremes.cpp checks softplus there
      {"06_your_own_op.md", "-1"},     // Huber's clamp to [-1, 1] (the exercise's definition)
      {"07_fit_a_line.md", "-2"},      // the line the points are made from (07_fit_a_line.cpp: y = 3 x - 2 + noise)
      {"07_fit_a_line.md", "1.2"},     // learning rates the page suggests trying, not results
      {"07_fit_a_line.md", "0.01"},
      {"09_optimizers.md", "0.9"},     // settings the page suggests trying
      {"09_optimizers.md", "0.01"},
      {"09_optimizers.md", "1000"},
      {"10_the_elbo.md", "3"},         // the first logit, worked out by hand on the page from the code block's weights
      {"11_reparameterisation.md", "2013"},  // "before 2013": the year of Kingma & Welling's paper, cited above it
      {"11_reparameterisation.md", "99"},   // the other 99 of the 100 latent variables
      {"11_reparameterisation.md", "200"},  // the study's latent size
      {"12_training_a_vae.md", "5000"},     // the literature's K for log p(x)
      {"12_training_a_vae.md", "200"},      // the study's latent size and a suggested epoch count
      {"12_training_a_vae.md", "784"},      // MNIST's pixels and the study's hidden units
      {"12_training_a_vae.md", "400"},
      {"12_training_a_vae.md", "126"},   // the bar images there are: 2 orientations x 2^6 patterns, less the empty
                                         // and the full image, the same in both orientations
      {"12_training_a_vae.md", "1e-3"},  // the output block's tolerance, and what it is in nats (1e-3 x 13.4)
      {"12_training_a_vae.md", "0.01"},
      {"15_initialisation.md", "2015"},  // He et al.'s paper, cited where its choice is derived
      {"16_posterior_collapse.md", "200"},  // the study's latent size
  };
  for (const std::string& page : chapter_pages()) {
    std::set<std::string> quoted;  // the tokens of the page's code and output blocks
    for (const Block& b : blocks_of(page))
      for (const std::string& l : lines_of(b.text))
        for (const std::string& t : number_tokens_of(l)) quoted.insert(t);
    for (const auto& [line, token] : prose_numbers(lines_of(io::read_file(page))))
      EXPECT_TRUE(quoted.count(token) || allowed.count({fs::path(page).filename().string(), token}))
          << page << ":" << line << ": " << token << " is not a number of the page's code or output blocks";
  }
}

// The checker catches the edits a careless update makes: an integer changed, a decimal cut short, a hand-traced
// value that is not the program's. (A number swapped for another number the program printed is not caught by
// tokens alone: the quotes lists below catch that.)
TEST(Course, PlantedProseEditsAreCaught) {
  const std::vector<std::string> page = {"The run took 3625 steps and reached 0.4100; e = -7 here.", "## 3. Chapter 3",
                                         "See chapter 12 and `make chapter 4`, as Kingma & Welling (2013) do."};
  std::set<std::string> quoted = {"3625", "0.4100", "-7"};
  const auto caught = [&](const std::vector<std::string>& lines) {
    int n = 0;
    for (const auto& [line, token] : prose_numbers(lines)) n += quoted.count(token) ? 0 : 1;
    return n;
  };
  EXPECT_EQ(caught(page), 0);  // headings, references, inline code and citations are not measurements
  for (const auto& [from, to] : std::vector<std::pair<std::string, std::string>>{{"3625", "3600"}, {"0.4100", "0.410"}, {"-7", "-20"}}) {
    std::vector<std::string> edited = page;
    edited[0].replace(edited[0].find(from), from.size(), to);
    EXPECT_EQ(caught(edited), 1) << from << " -> " << to;
  }
}

// Whole tokens alone let a number through that was swapped for another number of the page (dg/de = -14 where the
// program has -7 and -14 for df/de). So every number of a paragraph that the page's code or output blocks hold,
// other than a single digit (which the prose mostly uses to count), is bound to the place it quotes, in order, by a
// list in the paragraph:
//
//   ... so df/de = -14 and dg/de = -7.
//   <!-- quotes: df/de = 2 e = # | dg/de = 1/2 * df/de = # -->
//
// Each key is the text around a number in one of the page's code or output blocks, with # for the number, and must
// find exactly one place there (runs of spaces and line ends count as one space); the number at that place must be
// the prose's token.
std::string collapsed_spaces(const std::string& text) {
  std::string out;
  for (char c : text)
    if (c != ' ' && c != '\t' && c != '\n') out += c;
    else if (!out.empty() && out.back() != ' ') out += ' ';
  if (!out.empty() && out.back() == ' ') out.pop_back();
  return out;
}

// The numbers at the places `key` finds in `lines`: its text before '#' ends right before a number token and starts
// a word (at the line's start or after a space), and its text after '#' starts right after it and ends a word, so
// "e = #" does not find "df/de = -14".
std::vector<std::string> numbers_at(const std::string& key, const std::vector<std::string>& lines) {
  const size_t hash = key.find('#');
  if (hash == std::string::npos) return {};
  const std::string before = collapsed_spaces(key.substr(0, hash)) + (hash > 0 && key[hash - 1] == ' ' ? " " : "");
  const std::string after = (hash + 1 < key.size() && key[hash + 1] == ' ' ? " " : "") + collapsed_spaces(key.substr(hash + 1));
  std::vector<std::string> found;
  for (const std::string& line : lines)
    for (const NumberToken& t : number_tokens(line)) {
      if (t.at < before.size() || line.compare(t.at - before.size(), before.size(), before) != 0) continue;
      if (line.compare(t.end, after.size(), after) != 0) continue;
      const size_t start = t.at - before.size(), end = t.end + after.size();
      const bool starts_word = before.empty() || before.front() == ' ' || start == 0 || line[start - 1] == ' ';
      const bool ends_word = after.empty() || after.back() == ' ' || end == line.size() || line[end] == ' ';
      if (starts_word && ends_word) found.push_back(t.text);
    }
  return found;
}

// Every way a page's paragraphs fail to bind their quoted numbers, as "line: problem".
std::vector<std::string> quote_problems(const std::string& page, const std::string& text) {
  std::vector<std::string> block_lines;
  std::set<std::string> in_blocks;  // the number tokens of the code and output blocks
  for (const Block& b : blocks_in(page, text)) {
    block_lines.push_back(collapsed_spaces(b.text));  // a key may run on into the next line
    for (const std::string& t : number_tokens_of(b.text)) in_blocks.insert(t);
  }
  std::vector<std::string> problems;
  for (const Paragraph& p : paragraphs_of(lines_of(text))) {
    std::vector<std::pair<size_t, std::string>> quoted;
    for (const auto& n : p.numbers)
      if (in_blocks.count(n.second) && n.second.size() > 1) quoted.push_back(n);  // a one-character token is a digit
    const std::vector<std::string> keys = p.keys.value_or(std::vector<std::string>{});
    if (quoted.size() != keys.size()) {
      std::string numbers;
      for (const auto& n : quoted) numbers += (numbers.empty() ? "" : " ") + n.second;
      problems.push_back(fmt::format("{}: the paragraph quotes {} numbers of the page's blocks ({}) but its <!-- quotes: ... --> list has {} keys",
                                     p.first_line, quoted.size(), numbers, keys.size()));
      continue;
    }
    for (size_t i = 0; i < keys.size(); ++i) {
      const std::vector<std::string> found = numbers_at(keys[i], block_lines);
      if (found.size() != 1)
        problems.push_back(fmt::format("{}: key '{}' (for {}) finds {} places in the page's blocks, not one", quoted[i].first,
                                       keys[i], quoted[i].second, found.size()));
      else if (found[0] != quoted[i].second)
        problems.push_back(fmt::format("{}: the page says {} where its key '{}' finds {}", quoted[i].first, quoted[i].second,
                                       keys[i], found[0]));
    }
  }
  return problems;
}

TEST(Course, EveryQuotedNumberInTheProseIsBoundToWhereItStands) {
  int bound = 0;
  for (const std::string& page : chapter_pages()) {
    const std::string text = io::read_file(page);
    for (const std::string& problem : quote_problems(page, text)) ADD_FAILURE() << page << ":" << problem;
    for (const Paragraph& p : paragraphs_of(lines_of(text))) bound += p.keys ? static_cast<int>(p.keys->size()) : 0;
  }
  EXPECT_GE(bound, 150);
}

// The edits the whole-token check lets through: two printed numbers swapped, and one replaced by another number the
// page prints. And a changed output block moves its key's number, so the prose must follow.
TEST(Course, PlantedSwapsOfPrintedNumbersAreCaught) {
  const std::string page =
      "Take e = -7 here.\n"
      "So df/de = -14 and dg/de = -7, and g = 24.7041 over 26 nodes.\n"
      "<!-- quotes: hand: e = # | df/de = 2 e = # | dg/de = 1/2 * df/de = # | g = # | # nodes -->\n"
      "\n"
      "<!-- output: 02_chain_rule -->\n"
      "```text\n"
      "g = 24.7041   (26 nodes on the tape)\n"
      "by hand:  e = -7   df/de = 2 e = -14   dg/de = 1/2 * df/de = -7\n"
      "```\n";
  EXPECT_EQ(quote_problems("page.md", page), std::vector<std::string>{});
  const auto problems_after = [&](const std::string& from, const std::string& to) {
    std::string t = page;
    return quote_problems("page.md", t.replace(t.find(from), from.size(), to));
  };
  EXPECT_EQ(problems_after("-14 and dg/de = -7", "-7 and dg/de = -14").size(), 2u);  // swapped
  EXPECT_EQ(problems_after("g = 24.7041 over", "g = -14 over").size(), 1u);          // another printed number
  EXPECT_EQ(problems_after("g = 24.7041   (", "g = 24.7042   (").size(), 1u);       // the output moved, the prose did not
  EXPECT_EQ(problems_after("| # nodes", "| # on").size(), 1u);                     // a key that finds nothing
  EXPECT_EQ(problems_after("| dg/de = 1/2 * df/de = #", "| = #").size(), 1u);      // a key that finds four places
  EXPECT_EQ(problems_after("here.\nSo", "here.\n\nSo").size(), 2u);  // e = -7 now has a paragraph and no list
}

// An output value moved inside a loose tolerance used to pass (chapter 5's 2.33 -> 3.37 under 0.5): now only the
// numbers below the block's noise limit get the loose one, and everything else must match to the tight one.
TEST(Course, PlantedOutputEditsAreCaught) {
  const std::string out = "worst error 1e-10 at x[3] (analytic 2.325631322, numeric -2.790757586)\n";
  Block b{"output", "05_checking_gradients", "1e-8", "1e-3", "0.5", 1, out};
  EXPECT_EQ(output_difference(b, out), "");
  auto edited = [&](const std::string& from, const std::string& to) {
    std::string t = out;
    return t.replace(t.find(from), from.size(), to);
  };
  EXPECT_EQ(output_difference(b, edited("1e-10", "1.3e-10")), "");  // rounding noise: allowed
  EXPECT_NE(output_difference(b, edited("2.325631322", "3.372165417")), "");  // 45% away: caught
  EXPECT_NE(output_difference(b, edited("2.325631322", "2.325631422")), "");  // the ninth digit: caught
  EXPECT_NE(output_difference(b, edited("x[3]", "x[4]")), "");
  b.below.clear(), b.below_tolerance.clear();
  EXPECT_NE(output_difference(b, edited("1e-10", "1.3e-10")), "");  // without a noise limit, 1e-8 for all
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
