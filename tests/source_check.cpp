// source_check.cpp: the results folders read into pools of numbers, then each page line's tokens looked up.
#include "tests/source_check.h"

#include <algorithm>
#include <cctype>
#include <cmath>
#include <filesystem>
#include <map>
#include <optional>
#include <regex>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "io/json.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// A number of a run and where it stands: its summary.json path ("runs[labels=100].test_error*100",
// "train_seconds/60"), or "#n" for how many runs a pool holds. A seed group's mean, std, min and max of a field
// carry the field's path, and say which they are, so that prose's "mean ± std" can be held to one field.
enum class Stat { Value, Mean, Std, Min, Max };
struct Value {
  double v;
  std::string key;
  Stat stat = Stat::Value;
};

// The numbers one run, or one group of seeds, stands behind.
struct Pool {
  std::string name;  // the folder, or "<folder>-seed*" ("-draw*") for a group
  std::vector<Value> values;
};

// An array whose entries are each one label count's run (a semi-supervised summary's runs[]) is indexed by that
// count, not by position: seeds whose runs cover different label counts (one stopped at 100 labels) then line up.
bool labelled_entries(const io::Json& array) {
  std::set<int64_t> counts;
  for (size_t i = 0; i < array.size(); ++i) {
    if (!array[i].is_object() || !array[i].contains("labels") || !array[i]["labels"].is_number_integer()) return false;
    counts.insert(array[i]["labels"].get<int64_t>());
  }
  return !counts.empty() && counts.size() == array.size();
}

// Every number of a summary.json, nested fields included; a field in seconds also in minutes and hours, and an
// error rate (a field ending in "error", a fraction) also in percent, as tables print it.
void collect_numbers(const io::Json& j, const std::string& key, std::map<std::string, double>& flat, const std::string& path) {
  if (j.is_object()) {
    for (const auto& [k, v] : j.items()) collect_numbers(v, k, flat, path.empty() ? k : path + "." + k);
  } else if (j.is_array()) {
    const bool by_labels = labelled_entries(j);
    for (size_t i = 0; i < j.size(); ++i)
      collect_numbers(j[i], key, flat, by_labels ? fmt::format("{}[labels={}]", path, j[i]["labels"].get<int64_t>()) : fmt::format("{}[{}]", path, i));
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

// The pool of a group of runs: every number of each, and each field's mean, std, min and max over the members that
// have it, when two or more do: a seed whose 600-label model was stopped still counts at 100 labels.
Pool group_pool(const std::string& name, const std::vector<const Run*>& members) {
  Pool p{name, {{static_cast<double>(members.size()), "#n"}}};
  for (const Run* r : members)
    for (const auto& [k, v] : r->fields) p.values.push_back({v, k});
  std::set<std::string> keys;
  for (const Run* r : members)
    for (const auto& field : r->fields) keys.insert(field.first);
  for (const std::string& key : keys) {
    std::vector<double> xs;
    for (const Run* r : members)
      if (auto it = r->fields.find(key); it != r->fields.end()) xs.push_back(it->second);
    if (xs.size() < 2) continue;
    double mean = 0;
    for (double x : xs) mean += x / static_cast<double>(xs.size());
    double ss = 0;
    for (double x : xs) ss += (x - mean) * (x - mean);
    p.values.push_back({mean, key, Stat::Mean});
    p.values.push_back({std::sqrt(ss / static_cast<double>(xs.size() - 1)), key, Stat::Std});
    p.values.push_back({*std::min_element(xs.begin(), xs.end()), key, Stat::Min});
    p.values.push_back({*std::max_element(xs.begin(), xs.end()), key, Stat::Max});
  }
  return p;
}

// The label count of every entry of a run's runs[], when there is one alone (a run folder per label count), else "".
std::string only_label_count(const Run& r) {
  static const std::regex entry(R"(^runs\[labels=(\d+)\])");
  std::set<std::string> counts;
  for (const auto& field : r.fields)
    if (std::smatch m; std::regex_search(field.first, m, entry)) counts.insert(m[1].str());
  return counts.size() == 1 ? *counts.begin() : "";
}

// One pool per run, and one per group of runs whose folders differ only in "-seed<N>" (or "-draw<N>": one model
// scored on several draws of the binarised test images), with n >= 2. And one per setting that ran a folder per
// label count and seed ("m2-pixels-balanced-600-seed2" beside the 100-label "m2-pixels-balanced-seed2"): a table
// row reads the setting across its label counts, each count's mean and std over that count's seeds.
std::vector<Pool> make_pools(const std::vector<Run>& runs) {
  std::vector<Pool> pools;
  std::map<std::string, std::vector<const Run*>> groups, settings;
  std::map<std::string, std::set<std::string>> setting_counts;  // the label counts of each setting's folders
  static const std::regex repeat_suffix("-(seed|draw)[0-9]+$");
  for (const Run& r : runs) {
    Pool p{r.folder, {{1, "#n"}}};
    for (const auto& [k, v] : r.fields) p.values.push_back({v, k});
    pools.push_back(std::move(p));
    const std::string group = std::regex_replace(r.folder, repeat_suffix, "-$1*");
    groups[group].push_back(&r);
    static const std::string seeds = "-seed*";
    if (const std::string labels = only_label_count(r); !labels.empty() && group.ends_with(seeds)) {
      std::string stem = group.substr(0, group.size() - seeds.size());  // "m2-600-seed*", "m2-seed*" -> "m2"
      if (stem.ends_with("-" + labels)) stem.resize(stem.size() - labels.size() - 1);
      const std::string setting = stem + "-[<labels>-]seed*";
      settings[setting].push_back(&r);
      setting_counts[setting].insert(labels);
    }
  }
  for (const auto& [name, members] : groups)
    if (members.size() >= 2 && name.back() == '*') pools.push_back(group_pool(name, members));
  for (const auto& [name, members] : settings)  // a setting of one label count is one of the groups above
    if (setting_counts[name].size() >= 2) pools.push_back(group_pool(name, members));
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
  return std::any_of(p.values.begin(), p.values.end(), [&](const Value& v) { return same_number(token, v.v); });
}

std::set<std::string> keys_of(const std::string& token, const Pool& p) {
  std::set<std::string> keys;
  for (const Value& v : p.values)
    if (same_number(token, v.v)) keys.insert(v.key);
  return keys;
}

// Prose's "a ± b": a must be the mean of some field over a seed group and b the standard deviation of that same field
// over that same group. Each alone is merely some number of the cited runs; together they name one measurement, so
// a spread copied from another field or another group fails though some group holds it.
bool mean_and_std_of_one_field(const std::string& mean, const std::string& std, const std::vector<Pool>& pools) {
  for (const Pool& p : pools) {
    std::set<std::string> fields;  // the fields whose mean over this group reads `mean`
    for (const Value& v : p.values)
      if (v.stat == Stat::Mean && same_number(mean, v.v)) fields.insert(v.key);
    for (const Value& v : p.values)
      if (v.stat == Stat::Std && fields.count(v.key) && same_number(std, v.v)) return true;
  }
  return false;
}

// The tokens of a line that stand as "a ± b", as pairs of indices into `tokens`.
std::vector<std::pair<size_t, size_t>> plus_minus_pairs(const std::string& line, const std::vector<NumberToken>& tokens) {
  static const std::regex between(R"(^\s*±\s*$)");
  std::vector<std::pair<size_t, size_t>> pairs;
  for (size_t i = 0; i + 1 < tokens.size(); ++i)
    if (std::regex_match(line.substr(tokens[i].end, tokens[i + 1].at - tokens[i].end), between)) pairs.push_back({i, i + 1});
  return pairs;
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

// A number that prose names by its field ("seeds 1 and 3", "Z = 5", "100 labels", "K = 1000") must be a value of
// that field in the cited runs, not merely some number they hold: small integers are everywhere in a summary.json
// (threads, counts, sizes), so "seeds 1 and 4" would otherwise pass on any 4. The fields by the last part of their
// path: "seed" matches runs[labels=100].seed and m1[0].seed.
struct NamedField {
  std::regex context;  // the text just before the number
  std::vector<std::string> keys;
  const char* name;
};
const std::vector<NamedField>& named_fields() {
  static const std::vector<NamedField> fields = {
      {std::regex(R"(\bseeds?\s+(?:\d+\s*(?:,|and|to|-)\s*)*$)", std::regex::icase), {"seed"}, "seed"},
      {std::regex(R"(\bZ\s*=\s*(?:\d+\s*(?:,|and|to|-)\s*)*$)"), {"latent"}, "latent size"},
      {std::regex(R"(\bK\s*=\s*$)"), {"iw_samples", "valid_iw_samples", "k"}, "number of importance samples"},
  };
  return fields;
}
bool labels_follow(const std::string& after) {
  static const std::regex labels(R"(^\s*labels\b)");
  return std::regex_search(after, labels);
}
bool key_is(const std::string& key, const std::string& field) { return key == field || key.ends_with("." + field); }
// The field the prose names for the token at `t` when no pool has the token as that field's value; else nullopt.
std::optional<std::string> misnamed_field(const std::string& line, const NumberToken& t, const std::vector<Pool>& pools) {
  const std::string before = line.substr(0, t.at), after = line.substr(t.end);
  std::vector<std::string> keys;
  const char* name = nullptr;
  for (const NamedField& f : named_fields())
    if (std::regex_search(before, f.context)) keys = f.keys, name = f.name;
  if (!name && labels_follow(after)) keys = {"labels"}, name = "label count";
  if (!name) return std::nullopt;
  for (const Pool& p : pools)
    for (const Value& v : p.values)
      if (same_number(t.text, v.v) && std::any_of(keys.begin(), keys.end(), [&](const std::string& k) { return key_is(v.key, k); }))
        return std::nullopt;
  return std::string(name);
}

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

// A sentence (or a clause: "theirs 3,000; ours 500" is two) ends at ". ", "! ", "? " or "; " (or the line's end), but
// not after the abbreviations of a citation or an aside ("et al. (2014)", "e.g. 3").
bool sentence_ends_at(const std::string& text, size_t p) {
  if (p >= text.size() || (text[p] != '.' && text[p] != '!' && text[p] != '?' && text[p] != ';')) return false;
  if (p + 1 < text.size() && text[p + 1] != ' ') return false;
  for (const char* abbreviation : {"al", "e.g", "i.e", "cf", "vs", "Fig", "Eq"}) {
    const size_t n = std::char_traits<char>::length(abbreviation);
    if (p >= n && text.compare(p - n, n, abbreviation) == 0 && (p == n || !std::isalnum(static_cast<unsigned char>(text[p - n - 1]))))
      return false;
  }
  return true;
}

// Whether a sentence says whose number it quotes: a paper, its authors, "theirs", a table of theirs, a citation.
bool names_a_paper(const std::string& sentence) {
  static const std::regex source(R"(\bet al\.|\((19|20)\d\d\)|\bpapers?\b|\bpaper's\b|\bauthors'?\b|\btheirs?\b|\bTable \d|\bpublished\b)",
                                 std::regex::icase);
  return std::regex_search(sentence, source);
}

// A "not a result" line's lists, each "numbers (source)", several separated by ";": "3.33 0.14 (Kingma et al. 2014,
// Table 1); 3,000 (the authors' code)". A source may hold parentheses of its own. Empty when a list has no source.
struct Listed {
  std::vector<std::string> numbers;
  std::string source;
};
std::vector<Listed> listed_with_sources(const std::string& marker) {
  std::vector<Listed> out;
  size_t p = 0;
  while (p < marker.size()) {
    const size_t open = marker.find('(', p);
    if (open == std::string::npos) return marker.find_first_not_of(" ;", p) == std::string::npos ? out : std::vector<Listed>{};
    size_t close = open, depth = 0;
    for (; close < marker.size(); ++close)
      if (marker[close] == '(') ++depth;
      else if (marker[close] == ')' && --depth == 0) break;
    if (close == marker.size()) return {};
    Listed l;
    std::istringstream numbers(marker.substr(p, open - p));
    for (std::string t; numbers >> t;) l.numbers.push_back(t);
    if (l.numbers.empty()) return {};
    l.source = marker.substr(open + 1, close - open - 1);
    out.push_back(std::move(l));
    p = close + 1;
  }
  return out;
}

// A table's numbers beyond "each row from one run": one axis of a table names the fields (its columns: test ELBO,
// log p(x), minutes; or its rows: ours, the supervised baseline) and the other the entries (latent sizes, label
// counts, seeds). So a number of a cell that holds only numbers must read the same field of the runs as the other
// cells of its column (or, in a table whose rows are the fields, of its row, position by position within the cell:
// "mean ± std"), and the entries must line up across the other axis: the cells of one row read the same entry of an
// array such as runs[] (the 100-label run) when the columns are fields, and the cells of one column when the rows
// are. A number swapped with its neighbour, or taken from the 600-label run into the 100-label column, then fails
// though the run holds it.
struct CellToken {
  std::string text;
  std::set<std::string> keys;  // where in the row's run or seed group it can come from
  bool checked = true;         // false for a paper's number or a year: it keeps its place in the cell, nothing more
};
struct TableRow {
  int line = 0;
  std::map<int, std::vector<CellToken>> cells;  // the cells that hold only numbers, by column; their tokens in order
};

std::string field_of(const std::string& key) {  // runs[labels=100].test_error*100 -> runs[].test_error*100
  static const std::regex index(R"(\[[^\]]+\])");
  return std::regex_replace(key, index, "[]");
}
std::string entry_of(const std::string& key) {  // runs[labels=100].test_error -> "labels=100,"; "" outside arrays
  static const std::regex index(R"(\[([^\]]+)\])");
  std::string entry;
  for (auto it = std::sregex_iterator(key.begin(), key.end(), index); it != std::sregex_iterator(); ++it) entry += (*it)[1].str() + ",";
  return entry;
}

using Keys = std::optional<std::set<std::string>>;  // nullopt: nothing constrains it (yet)
// keys <- keys ∩ more (nullopt takes `more` whole).
void intersect(Keys& keys, const std::set<std::string>& more) {
  if (!keys) { keys = more; return; }
  std::set<std::string> both;
  std::set_intersection(keys->begin(), keys->end(), more.begin(), more.end(), std::inserter(both, both.end()));
  keys = both;
}
std::set<std::string> fields_of(const std::set<std::string>& keys) {
  std::set<std::string> fields;
  for (const std::string& k : keys) fields.insert(field_of(k));
  return fields;
}
// The entries a token can be, reading one of `fields`; nullopt when it can stand outside every array (any entry).
Keys entries_of(const CellToken& t, const std::set<std::string>& fields) {
  std::set<std::string> entries;
  for (const std::string& k : t.keys)
    if (fields.count(field_of(k))) {
      const std::string entry = entry_of(k);
      if (entry.empty()) return std::nullopt;
      entries.insert(entry);
    }
  return entries;
}

void check_table(const std::string& file, const std::vector<TableRow>& rows, std::vector<SourceProblem>& problems) {
  // The fields every checked cell of a column (or of a row) can read, position by position within the cell.
  std::map<std::pair<int, size_t>, Keys> by_column;  // (column, position) -> fields
  std::map<std::pair<size_t, size_t>, Keys> by_row;  // (row, position) -> fields
  for (size_t r = 0; r < rows.size(); ++r)
    for (const auto& [c, tokens] : rows[r].cells)
      for (size_t p = 0; p < tokens.size(); ++p)
        if (tokens[p].checked) {
          const std::set<std::string> fields = fields_of(tokens[p].keys);
          intersect(by_column[{c, p}], fields), intersect(by_row[{r, p}], fields);
        }
  const auto reads_a_field = [](const Keys& fields) { return fields && !fields->empty(); };
  // Where the columns are fields, the cells of a row must share an entry; where the rows are, those of a column.
  std::map<size_t, Keys> row_entries;
  std::map<int, Keys> column_entries;
  for (size_t r = 0; r < rows.size(); ++r)
    for (const auto& [c, tokens] : rows[r].cells)
      for (size_t p = 0; p < tokens.size(); ++p) {
        if (!tokens[p].checked) continue;
        if (const Keys& f = by_column[{c, p}]; reads_a_field(f))
          if (const Keys e = entries_of(tokens[p], *f)) intersect(row_entries[r], *e);
        if (const Keys& f = by_row[{r, p}]; reads_a_field(f))
          if (const Keys e = entries_of(tokens[p], *f)) intersect(column_entries[c], *e);
      }
  const auto lines_up = [](const Keys& entries) { return !entries || !entries->empty(); };
  for (size_t r = 0; r < rows.size(); ++r)
    for (const auto& [c, tokens] : rows[r].cells)
      for (size_t p = 0; p < tokens.size(); ++p)
        if (tokens[p].checked && !(reads_a_field(by_column[{c, p}]) && lines_up(row_entries[r])) &&
            !(reads_a_field(by_row[{r, p}]) && lines_up(column_entries[c])))
          problems.push_back({file, rows[r].line, tokens[p].text,
                              fmt::format("the run holds it, but neither the other cells of its column {} nor those of its row read the "
                                          "same field (or the same entry of runs[]) of the runs: a number moved to another cell?",
                                          c + 1)});
}

// A row whose numbers every one of several runs or seed groups holds (whole minutes, small counts) has a reading
// from each; the table passes when some choice of readings, one per row, lines its columns up, so folder order
// cannot fail a true table. When none does, the problems of the first choice (each row's first source in folder
// order) are reported, and each ambiguous row's problems name every source that held it.
struct Reading {
  std::string source;  // the run or seed group
  TableRow row;
};
void check_table_readings(const std::string& file, const std::vector<std::vector<Reading>>& table, std::vector<SourceProblem>& problems) {
  size_t choices = 1;
  for (const auto& readings : table) choices = std::min<size_t>(choices * readings.size(), 4096);  // a few ties in practice
  std::vector<SourceProblem> first;
  for (size_t k = 0; k < choices; ++k) {
    std::vector<TableRow> rows;
    for (size_t at = k, r = 0; r < table.size(); at /= table[r].size(), ++r) rows.push_back(table[r][at % table[r].size()].row);
    std::vector<SourceProblem> found;
    check_table(file, rows, found);
    if (found.empty()) return;
    if (k == 0) first = std::move(found);
  }
  for (SourceProblem& p : first)
    for (const auto& readings : table)
      if (readings.size() > 1 && readings.front().row.line == p.line) {
        p.message += "; this row's numbers are all in " + readings.front().source;
        for (size_t i = 1; i < readings.size(); ++i) p.message += " and in " + readings[i].source;
        p.message += ", and no choice among them lines the table up";
      }
  problems.insert(problems.end(), first.begin(), first.end());
}

// The cells of a table line after its leading '|', in order.
std::vector<std::string> cells_of(const std::string& body) {
  std::vector<std::string> cells;
  std::istringstream split(body.substr(body.find('|') + 1));
  for (std::string cell; std::getline(split, cell, '|');) cells.push_back(cell);
  return cells;
}
// A cell that holds numbers and no word: "3.75 ± 0.13", "22.9"; not "Table 1" or "4.20 (492) at epoch".
bool holds_only_numbers(const std::string& cell) {
  const std::vector<NumberToken> all = number_tokens(cell);
  std::string words = cell;
  for (auto t = all.rbegin(); t != all.rend(); ++t) words.erase(t->at, t->end - t->at);
  return !all.empty() && std::none_of(words.begin(), words.end(), [](unsigned char ch) { return std::isalpha(ch); });
}
// The column of the token starting at `at` in a table line: the cells before it.
int column_at(const std::string& body, size_t at) {
  return static_cast<int>(std::count(body.begin(), body.begin() + static_cast<std::ptrdiff_t>(at), '|')) - 1;
}
bool is_separator(const std::string& line) { return line.find("---") != std::string::npos; }  // | --- | --- |

// Where a table quotes papers: a row whose number cells hold only numbers listed "not a result" (the paper's M2 row
// under ours), or a column of two or more such cells (the paper's column beside our seeds). Only there, or in a cell
// with words ("Table 1", "paper: 3.92"), does a listed number pass unchecked; in a measured cell it is checked like
// any other, so a paper's number typed into our column fails, and so does a wrong number of ours that equals one.
struct PaperCells {
  std::vector<bool> quotes_papers;  // by column of the row: a listed number there passes unchecked
  bool exempts(int column, const std::string& token, const std::set<std::string>& allowed) const {
    return allowed.count(token) && (column < 0 || column >= static_cast<int>(quotes_papers.size()) || quotes_papers[static_cast<size_t>(column)]);
  }
};
bool listed(const std::string& cell, const std::set<std::string>& allowed) {
  for (const NumberToken& t : number_tokens(cell))
    if (!allowed.count(t.text) && !citation_year(cell, t)) return false;
  return true;
}
// `rows`: the table's body lines (no header, no separator); `row`: the one being checked.
PaperCells paper_cells(const std::vector<std::string>& rows, const std::string& row, const std::set<std::string>& allowed) {
  const std::vector<std::string> cells = cells_of(row);
  size_t number_cells = 0, listed_cells = 0;
  for (const std::string& cell : cells)
    if (holds_only_numbers(cell)) ++number_cells, listed_cells += listed(cell, allowed);
  const bool paper_row = number_cells > 0 && listed_cells == number_cells;
  std::map<size_t, std::pair<int, bool>> columns;  // column -> (its number cells, all of them listed)
  for (const std::string& r : rows) {
    const std::vector<std::string> rc = cells_of(r);
    for (size_t c = 0; c < rc.size(); ++c)
      if (holds_only_numbers(rc[c])) {
        auto& [count, all] = columns.try_emplace(c, 0, true).first->second;
        ++count, all = all && listed(rc[c], allowed);
      }
  }
  PaperCells papers;
  for (size_t c = 0; c < cells.size(); ++c) {
    const auto column = columns.find(c);
    const bool paper_column = column != columns.end() && column->second.first >= 2 && column->second.second;
    papers.quotes_papers.push_back(paper_row || paper_column || !holds_only_numbers(cells[c]));
  }
  return papers;
}

// A table row's cells that hold only numbers (no word), by column, each number with the keys of `pool` it can be;
// a paper's number (in a paper's row or column) or a year keeps its place in the cell, unchecked.
TableRow numeric_cells(int line, const std::string& body, const Pool& pool, const std::set<std::string>& allowed, const PaperCells& papers) {
  TableRow row{line, {}};
  const std::vector<std::string> cells = cells_of(body);
  for (size_t c = 0; c < cells.size(); ++c) {
    const std::string& cell = cells[c];
    if (!holds_only_numbers(cell)) continue;
    for (const NumberToken& t : number_tokens(cell)) {
      const bool checked = !papers.exempts(static_cast<int>(c), t.text, allowed) && !citation_year(cell, t) && in_pool(t.text, pool);
      row.cells[static_cast<int>(c)].push_back({t.text, checked ? keys_of(t.text, pool) : std::set<std::string>{}, checked});
    }
  }
  return row;
}

bool is_table_line(const std::string& line) {
  const size_t first = line.find_first_not_of(' ');
  return first != std::string::npos && line[first] == '|';
}

bool is_results_heading(const std::string& line) {
  if (line.empty() || line[0] != '#') return false;
  std::string lower = line;
  std::transform(lower.begin(), lower.end(), lower.begin(), [](unsigned char c) { return std::tolower(c); });
  return lower.find("result") != std::string::npos;
}

// The sentence that the text at [at, end) of lines[i] (as `body`, its comments and link targets stripped) stands in,
// read in its paragraph, the wrapped lines around it joined: a paragraph ends at a blank line (a comment-only line is
// one), a heading, a table or a fence, and a list item ("- ", "* ", "1. ") starts one.
std::string sentence_around(const std::vector<std::string>& lines, size_t i, const std::string& body, size_t at, size_t end) {
  static const std::regex item(R"(^\s*([-*+]|\d+\.)\s)");
  const auto prose = [&](size_t j) {  // lines[j] as the paragraph reads it, or "" where the paragraph stops
    const std::string& l = lines[j];
    if (l.rfind("#", 0) == 0 || l.rfind("```", 0) == 0 || is_table_line(l)) return std::string();
    const std::string text = strip_link_targets(strip_comments(l));
    return text.find_first_not_of(' ') == std::string::npos ? std::string() : text;
  };
  std::string text = body;
  size_t first = i;
  for (; first > 0 && !std::regex_search(lines[first], item); --first) {
    const std::string l = prose(first - 1);
    if (l.empty()) break;
    text = l + " " + text, at += l.size() + 1, end += l.size() + 1;
  }
  for (size_t j = i + 1; j < lines.size() && !std::regex_search(lines[j], item); ++j) {
    const std::string l = prose(j);
    if (l.empty()) break;
    text += " " + l;
  }
  size_t from = at, to = end;
  while (from > 0 && !sentence_ends_at(text, from - 1)) --from;
  while (to < text.size() && !sentence_ends_at(text, to)) ++to;
  return text.substr(from, std::min(to + 1, text.size()) - from);
}

}  // namespace

std::vector<SourceProblem> check_sources(const std::string& file, const std::string& text, const std::string& root) {
  std::vector<SourceProblem> problems;
  static const std::regex open_marker(R"(<!--\s*results:\s*(.*?)\s*-->)"), end_marker(R"(<!--\s*end results\s*-->)");
  static const std::regex allow_marker(R"(<!--\s*not a result:(.*?)-->)");
  std::vector<std::string> lines;
  std::istringstream in(text);
  for (std::string l; std::getline(in, l);) lines.push_back(l);
  // A table's header (the line before its | --- | line) names its columns: "seed 2", "K = 5000" are labels there,
  // each checked on its own as prose is, not as a row that one run holds.
  const auto is_header = [&](size_t i) {
    return i + 1 < lines.size() && is_table_line(lines[i + 1]) && is_separator(lines[i + 1]);
  };
  int n = 0, section_line = 0, results_heading_level = 0;
  bool in_section = false, in_fence = false;
  std::vector<Pool> pools;
  std::set<std::string> commands, allowed;
  std::set<std::string> from_other_sources;  // listed numbers whose source is no paper: a setting, a reading of a history
  std::string folders;
  std::vector<std::vector<Reading>> table;  // the rows of the table being read, each from every source that holds it
  for (size_t i = 0; i < lines.size(); ++i) {
    const std::string& line = lines[i];
    ++n;
    std::smatch m;
    if ((in_fence || !is_table_line(line)) && !table.empty()) check_table_readings(file, table, problems), table.clear();
    if (line.rfind("#", 0) == 0 && !in_fence) {
      const int level = static_cast<int>(line.find_first_not_of('#'));
      if (is_results_heading(line)) results_heading_level = level;
      else if (results_heading_level > 0 && level <= results_heading_level) results_heading_level = 0;
    }
    if (std::regex_search(line, m, open_marker)) {
      if (in_section) problems.push_back({file, n, "", "a results section opens inside another (opened at line " + std::to_string(section_line) + ")"});
      in_section = true, section_line = n, folders = m[1].str();
      pools.clear(), commands.clear(), allowed.clear(), from_other_sources.clear();
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
      const std::vector<Listed> lists = listed_with_sources(m[1].str());
      if (lists.empty()) problems.push_back({file, n, "", "a 'not a result' line needs its numbers and, after them, their source in parentheses"});
      for (const Listed& l : lists)
        for (const std::string& t : l.numbers) {
          allowed.insert(t);
          if (!names_a_paper(l.source)) from_other_sources.insert(t);
        }
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
    const bool table_row = is_table_line(body) && !is_header(i);
    if (table_row && is_separator(body)) continue;
    PaperCells papers;
    if (table_row) {
      size_t first = i, last = i;
      while (first > 0 && is_table_line(lines[first - 1])) --first;
      while (last + 1 < lines.size() && is_table_line(lines[last + 1])) ++last;
      std::vector<std::string> rows;
      for (size_t r = first; r <= last; ++r)
        if (!is_header(r) && !is_separator(lines[r])) rows.push_back(strip_link_targets(strip_comments(lines[r])));
      papers = paper_cells(rows, body, allowed);
    }
    static constexpr const char* kProseRule =
        "; it is listed as not a result, but in prose a paper's number passes only in a sentence that names its source "
        "(the paper, et al., the authors, theirs)";
    // In prose a paper's number passes only in a sentence that names a paper, so that "ours reached 3.33%" fails
    // though 3.33 is the paper's; a number listed from another source (a setting, a history's reading) passes anywhere.
    const auto quoted = [&](const NumberToken& first, const NumberToken& last) {
      const auto one = [&](const NumberToken& t) { return allowed.count(t.text) > 0; };
      const auto other = [&](const NumberToken& t) { return from_other_sources.count(t.text) > 0; };
      return one(first) && one(last) &&
             ((other(first) && other(last)) || names_a_paper(sentence_around(lines, i, body, first.at, last.end)));
    };
    std::vector<const NumberToken*> to_check;
    for (const NumberToken& t : tokens)
      if (!(table_row ? papers.exempts(column_at(body, t.at), t.text, allowed) : quoted(t, t)) && !citation_year(body, t))
        to_check.push_back(&t);
    if (table_row) {  // one run or one group of seeds must hold every number of the row
      if (to_check.empty()) continue;
      const Pool* best = nullptr;
      size_t best_count = 0;
      for (const Pool& p : pools) {
        const size_t count = static_cast<size_t>(std::count_if(to_check.begin(), to_check.end(), [&](const NumberToken* t) { return in_pool(t->text, p); }));
        if (count > best_count) best = &p, best_count = count;
      }
      for (const NumberToken* t : to_check)
        if (!best || !in_pool(t->text, *best))
          problems.push_back({file, n, t->text,
                              fmt::format("not a value of the run or seed group this row's other numbers come from ({}); cited: {}{}",
                                          best ? best->name : "none", folders,
                                          allowed.count(t->text) ? "; it is listed as not a result, but a paper's number passes only in a "
                                                                   "paper's row or column (every number cell of it listed; a column of two "
                                                                   "or more) or in a cell with words"
                                                                 : "")});
        else if (const auto field = misnamed_field(body, *t, {*best}))
          problems.push_back({file, n, t->text, fmt::format("the text names it as a {}, but {} has no such {}", *field, best->name, *field)});
      if (!best) continue;
      std::vector<Reading> readings;  // every source that holds the whole row as well as `best` does, for check_table
      for (const Pool& p : pools)
        if (&p == best || (best_count == to_check.size() &&
                           std::all_of(to_check.begin(), to_check.end(), [&](const NumberToken* t) { return in_pool(t->text, p) && !misnamed_field(body, *t, {p}); })))
          readings.push_back({p.name, numeric_cells(n, body, p, allowed, papers)});
      table.push_back(std::move(readings));
    } else {
      // A pair is a paper's only when both of its numbers are declared not results: a measured mean that happens to
      // equal a paper's (3.33 in a section quoting the paper's 3.33 ± 0.14) still has to come with its own spread.
      for (const auto& [a, b] : plus_minus_pairs(body, tokens))
        if (!quoted(tokens[a], tokens[b]) &&
            !mean_and_std_of_one_field(tokens[a].text, tokens[b].text, pools))
          problems.push_back({file, n, tokens[a].text + " ± " + tokens[b].text,
                              fmt::format("not the mean and standard deviation of one field over one group of seeds in {}{}", folders,
                                          allowed.count(tokens[a].text) && allowed.count(tokens[b].text) ? kProseRule : "")});
      for (const NumberToken* t : to_check)
        if (std::none_of(pools.begin(), pools.end(), [&](const Pool& p) { return in_pool(t->text, p); }))
          problems.push_back({file, n, t->text,
                              fmt::format("not a value of any run in {} (nor a mean, std, min or max of seeds){}", folders,
                                          allowed.count(t->text) ? kProseRule : "")});
        else if (const auto field = misnamed_field(body, *t, pools))
          problems.push_back({file, n, t->text, fmt::format("the text names it as a {}, but no run in {} has that {}", *field, folders, *field)});
    }
  }
  if (!table.empty()) check_table_readings(file, table, problems);
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
