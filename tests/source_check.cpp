// source_check.cpp: the results folders read into pools of numbers, then each page line's tokens looked up.
#include "tests/source_check.h"

#include <algorithm>
#include <cmath>
#include <filesystem>
#include <map>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "io/json.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// The numbers one run, or one group of seeds, stands behind.
struct Pool {
  std::string name;  // the folder, or "<folder>-seed*" for a group
  std::vector<double> values;
};

// Every number of a summary.json, nested fields included; a field in seconds also in minutes and hours, and an
// error rate (a field ending in "error", a fraction) also in percent, as tables print it.
void collect_numbers(const io::Json& j, const std::string& key, std::map<std::string, double>& flat, const std::string& path) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) collect_numbers(v, k, flat, path.empty() ? k : path + "." + k);
  } else if (j.is_array()) {
    for (size_t i = 0; i < j.size(); ++i) collect_numbers(j[i], key, flat, fmt::format("{}[{}]", path, i));
  } else if (j.is_number()) {
    const double v = j.get<double>();
    flat[path] = v;
    if (key.size() >= 7 && key.compare(key.size() - 7, 7, "seconds") == 0) {
      flat[path + "/60"] = v / 60;
      flat[path + "/3600"] = v / 3600;
    }
    if (key.size() >= 5 && key.compare(key.size() - 5, 5, "error") == 0) flat[path + "*100"] = 100 * v;
  } else if (j.is_boolean()) {
    // true/false are not numbers a page quotes
  }
}

struct Run {
  std::string folder;
  std::map<std::string, double> fields;
  std::vector<std::string> command_lines;
};

std::vector<Run> read_runs(const std::string& root, const std::string& folder, std::vector<std::string>& errors) {
  std::vector<Run> runs;
  const fs::path base = fs::path(root) / folder;
  if (!fs::is_directory(base)) {
    errors.push_back(fmt::format("{} is not a folder of results", folder));
    return runs;
  }
  std::vector<fs::path> summaries;
  for (const auto& e : fs::recursive_directory_iterator(base))
    if (e.is_regular_file() && e.path().filename() == "summary.json") summaries.push_back(e.path());
  std::sort(summaries.begin(), summaries.end());
  if (summaries.empty()) errors.push_back(fmt::format("{} holds no summary.json", folder));
  for (const fs::path& s : summaries) {
    Run r;
    r.folder = fs::relative(s.parent_path(), root).string();
    collect_numbers(io::read_json_file(s.string()), "", r.fields, "");
    const fs::path command = s.parent_path() / "command";
    if (!fs::exists(command)) errors.push_back(fmt::format("{} has no command file (the commands that made it)", r.folder));
    else {
      std::istringstream in(io::read_file(command.string()));
      for (std::string line; std::getline(in, line);)
        if (!line.empty() && line[0] != '#') r.command_lines.push_back(line);
    }
    runs.push_back(std::move(r));
  }
  return runs;
}

// One pool per run, and one per group of runs whose folders differ only in "-seed<N>" (with n >= 2).
std::vector<Pool> make_pools(const std::vector<Run>& runs) {
  std::vector<Pool> pools;
  std::map<std::string, std::vector<const Run*>> groups;
  static const std::regex seed_suffix("-seed[0-9]+$");
  for (const Run& r : runs) {
    Pool p{r.folder, {1}};  // n = 1
    for (const auto& [k, v] : r.fields) p.values.push_back(v);
    pools.push_back(std::move(p));
    groups[std::regex_replace(r.folder, seed_suffix, "-seed*")].push_back(&r);
  }
  for (const auto& [name, members] : groups) {
    if (members.size() < 2 || name.find("-seed*") == std::string::npos) continue;
    Pool p{name, {static_cast<double>(members.size())}};
    for (const Run* r : members)
      for (const auto& [k, v] : r->fields) p.values.push_back(v);
    for (const auto& [key, v0] : members.front()->fields) {
      std::vector<double> xs;
      for (const Run* r : members)
        if (auto it = r->fields.find(key); it != r->fields.end()) xs.push_back(it->second);
      if (xs.size() != members.size()) continue;
      double mean = 0;
      for (double x : xs) mean += x / static_cast<double>(xs.size());
      double ss = 0;
      for (double x : xs) ss += (x - mean) * (x - mean);
      p.values.push_back(mean);
      p.values.push_back(std::sqrt(ss / static_cast<double>(xs.size() - 1)));
      p.values.push_back(*std::min_element(xs.begin(), xs.end()));
      p.values.push_back(*std::max_element(xs.begin(), xs.end()));
    }
    pools.push_back(std::move(p));
  }
  return pools;
}

// The token as the value it would be printed from, at its own decimals: "-96.35" matches -96.3497 and not -96.356;
// "2e-3" matches 0.002.
bool same_number(const std::string& token, double v) {
  if (token.find('e') != std::string::npos) return std::abs(std::stod(token) - v) <= 1e-9 * std::abs(v);
  const size_t dot = token.find('.');
  const int decimals = dot == std::string::npos ? 0 : static_cast<int>(token.size() - dot - 1);
  std::string printed = fmt::format("{:.{}f}", v, decimals);
  if (printed == "-" + token.substr(token[0] == '-' ? 1 : 0) && token[0] != '-') return false;
  if (printed.rfind("-0", 0) == 0 && printed.find_first_not_of("-0.") == std::string::npos) printed = printed.substr(1);
  return printed == token;
}

bool in_pool(const std::string& token, const Pool& p) {
  return std::any_of(p.values.begin(), p.values.end(), [&](double v) { return same_number(token, v); });
}

}  // namespace

// Whole number tokens: not part of a word (z200, M2, x_1) or of a longer number (3.11.7, 10^7); a '-' is a sign
// only where it cannot be a hyphen or a range (after a letter, a digit or a dot it is one of those).
std::vector<NumberToken> number_tokens(const std::string& line) {
  static const std::regex number(R"((-)?(\d{1,3}(?:,\d{3})+|\d+)(\.\d+)?(e[-+]?\d+)?)");
  const auto word = [](char c) { return std::isalnum(static_cast<unsigned char>(c)) || c == '_'; };
  std::vector<NumberToken> out;
  for (auto it = std::sregex_iterator(line.begin(), line.end(), number); it != std::sregex_iterator(); ++it) {
    const std::smatch& m = *it;
    const size_t start = static_cast<size_t>(m.position(0)), end = start + static_cast<size_t>(m.length(0));
    bool sign = m[1].matched;
    const size_t digits_at = sign ? start + 1 : start;
    const char before = digits_at > 0 ? line[digits_at - 1] : ' ';
    if (sign && start > 0 && (word(line[start - 1]) || line[start - 1] == '.')) sign = false;  // a hyphen or a range
    if (!m[1].matched && (word(before) || before == '.')) continue;                          // inside a word or number
    if (before == '^') continue;
    if (end < line.size() && (word(line[end]) || line[end] == '^' ||
                              (line[end] == '.' && end + 1 < line.size() && std::isdigit(static_cast<unsigned char>(line[end + 1])))))
      continue;
    std::string text = (sign ? "-" : "") + m[2].str() + m[3].str() + m[4].str();
    text.erase(std::remove(text.begin(), text.end(), ','), text.end());
    out.push_back({text, sign ? start : digits_at, end});
  }
  return out;
}

namespace {

bool citation_year(const std::string& line, const NumberToken& t) {
  if (t.text.size() != 4 || t.text[0] == '-') return false;
  const int year = std::stoi(t.text);
  if (year < 1900 || year > 2099) return false;
  const std::string before = line.substr(0, t.at);
  return (!before.empty() && before.back() == '(') || (before.size() >= 7 && before.compare(before.size() - 7, 7, "et al. ") == 0);
}

std::string strip_comments(const std::string& line) {
  static const std::regex comment("<!--.*?-->");
  return std::regex_replace(line, comment, " ");
}

// Removes link targets ("](path)") and images: their file names are not numbers the page states.
std::string strip_link_targets(const std::string& line) {
  static const std::regex target(R"(\]\([^)]*\))");
  return std::regex_replace(line, target, "]");
}

bool is_results_heading(const std::string& line) {
  if (line.empty() || line[0] != '#') return false;
  std::string lower = line;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("result") != std::string::npos;
}

}  // namespace

std::vector<SourceProblem> check_sources(const std::string& file, const std::string& text, const std::string& root) {
  std::vector<SourceProblem> problems;
  static const std::regex open_marker(R"(<!--\s*results:\s*(.*?)\s*-->)"), end_marker(R"(<!--\s*end results\s*-->)");
  static const std::regex allow_marker(R"(<!--\s*not a result:\s*([^(]*)\((.+)\)\s*-->)");
  std::istringstream in(text);
  std::string line;
  int n = 0, section_line = 0, results_heading_level = 0;
  bool in_section = false, in_fence = false;
  std::vector<Pool> pools;
  std::set<std::string> commands, allowed;
  std::string folders;
  while (std::getline(in, line)) {
    ++n;
    std::smatch m;
    if (line.rfind("#", 0) == 0 && !in_fence) {
      const int level = static_cast<int>(line.find_first_not_of('#'));
      if (is_results_heading(line)) results_heading_level = level;
      else if (results_heading_level > 0 && level <= results_heading_level) results_heading_level = 0;
    }
    if (std::regex_search(line, m, open_marker)) {
      if (in_section) problems.push_back({file, n, "", "a results section opens inside another (opened at line " + std::to_string(section_line) + ")"});
      in_section = true, section_line = n, folders = m[1].str();
      pools.clear(), commands.clear(), allowed.clear();
      std::istringstream names(folders);
      std::vector<Run> runs;
      for (std::string folder; names >> folder;) {
        std::vector<std::string> errors;
        std::vector<Run> more = read_runs(root, folder, errors);
        for (const std::string& e : errors) problems.push_back({file, n, "", e});
        runs.insert(runs.end(), more.begin(), more.end());
      }
      pools = make_pools(runs);
      for (const Run& r : runs) commands.insert(r.command_lines.begin(), r.command_lines.end());
      continue;
    }
    if (std::regex_search(line, end_marker)) {
      if (!in_section) problems.push_back({file, n, "", "'end results' without a section open"});
      in_section = false;
      continue;
    }
    if (std::regex_search(line, m, allow_marker)) {
      if (!in_section) problems.push_back({file, n, "", "'not a result' outside a results section"});
      std::istringstream tokens(m[1].str());
      for (std::string t; tokens >> t;) allowed.insert(t);
      continue;
    }
    if (line.rfind("```", 0) == 0) {
      in_fence = !in_fence;
      continue;
    }
    if (!in_section && results_heading_level == 0) continue;
    std::string body = strip_link_targets(strip_comments(line));
    if (in_fence) {
      if (in_section && commands.count(body)) continue;  // a command that made the cited runs
    } else if (in_section) {  // inline code that is one of the commands passes whole
      static const std::regex code_span("`([^`]*)`");
      std::string kept;
      auto last = body.cbegin();
      for (auto it = std::sregex_iterator(body.begin(), body.end(), code_span); it != std::sregex_iterator(); ++it) {
        kept.append(last, body.cbegin() + it->position(0));
        const std::string inner = (*it)[1].str();
        const bool is_command = std::any_of(commands.begin(), commands.end(), [&](const std::string& c) { return c == inner; });
        kept += is_command ? " " : inner;
        last = body.cbegin() + it->position(0) + it->length(0);
      }
      kept.append(last, body.cend());
      body = kept;
    }
    const std::vector<NumberToken> tokens = number_tokens(body);
    if (tokens.empty()) continue;
    if (!in_section) {
      for (const NumberToken& t : tokens)
        if (!citation_year(body, t))
          problems.push_back({file, n, t.text, "a number under a results heading, outside every <!-- results: ... --> section"});
      continue;
    }
    std::vector<const NumberToken*> to_check;
    for (const NumberToken& t : tokens)
      if (!allowed.count(t.text) && !citation_year(body, t)) to_check.push_back(&t);
    const bool table_row = body.find('|') != std::string::npos && body.find_first_not_of(" ") == body.find('|');
    if (table_row) {  // one run or one group of seeds must hold every number of the row
      const bool separator = body.find("---") != std::string::npos;
      if (separator || to_check.empty()) continue;
      const Pool* best = nullptr;
      size_t best_count = 0;
      for (const Pool& p : pools) {
        const size_t count = static_cast<size_t>(std::count_if(to_check.begin(), to_check.end(), [&](const NumberToken* t) { return in_pool(t->text, p); }));
        if (count > best_count) best = &p, best_count = count;
      }
      for (const NumberToken* t : to_check)
        if (!best || !in_pool(t->text, *best))
          problems.push_back({file, n, t->text,
                              fmt::format("not a value of the run or seed group this row's other numbers come from ({}); cited: {}",
                                          best ? best->name : "none", folders)});
    } else {
      for (const NumberToken* t : to_check)
        if (std::none_of(pools.begin(), pools.end(), [&](const Pool& p) { return in_pool(t->text, p); }))
          problems.push_back({file, n, t->text, fmt::format("not a value of any run in {} (nor a mean, std, min or max of seeds)", folders)});
    }
  }
  if (in_section) problems.push_back({file, section_line, "", "a results section that is never closed (<!-- end results -->)"});
  return problems;
}

std::vector<std::string> number_tokens_of(const std::string& line) {
  std::vector<std::string> out;
  for (const NumberToken& t : number_tokens(line)) out.push_back(t.text);
  return out;
}

std::string describe(const std::vector<SourceProblem>& problems) {
  std::string out;
  for (const SourceProblem& p : problems)
    out += fmt::format("{}:{}: {}{}\n", p.file, p.line, p.token.empty() ? "" : p.token + ": ", p.message);
  return out;
}

}  // namespace tg::test
