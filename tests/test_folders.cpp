// test_folders.cpp: the library's folders import in one direction, so a reader can learn them bottom up. A
// folder may include its own files and those of the folders below it, never one above or beside it:
//   autograd  <  io  <  datasets, optim  <  nn, analysis, viz  <  models  <  experiments
// (optim takes the parameter list of autograd/parameters.h, as torch.optim takes tensors, not modules; nn's
// training loop uses optim). A new include that breaks the order fails here, naming the file and the line.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <map>
#include <string>

namespace tg::test {
namespace {

namespace fs = std::filesystem;

const std::map<std::string, int> kLevel = {{"autograd", 0}, {"io", 1},       {"datasets", 2}, {"optim", 2}, {"nn", 3},
                                           {"analysis", 3}, {"viz", 3},      {"models", 4},   {"experiments", 5}};

// Every `#include "folder/..."` of a file under `folder`, as (line number, included folder).
std::vector<std::pair<int, std::string>> project_includes(const fs::path& file) {
  std::vector<std::pair<int, std::string>> found;
  std::ifstream in(file);
  std::string line;
  for (int n = 1; std::getline(in, line); ++n) {
    const std::string prefix = "#include \"";
    if (line.rfind(prefix, 0) != 0) continue;
    const size_t slash = line.find('/', prefix.size());
    if (slash != std::string::npos) found.emplace_back(n, line.substr(prefix.size(), slash - prefix.size()));
  }
  return found;
}

TEST(Folders, EachIncludesOnlyItselfAndTheFoldersBelowIt) {
  int checked = 0;
  for (const auto& [folder, level] : kLevel) {
    for (const auto& e : fs::recursive_directory_iterator(folder)) {
      const std::string ext = e.path().extension().string();
      if (ext != ".h" && ext != ".cpp") continue;
      for (const auto& [line, included] : project_includes(e.path())) {
        const auto it = kLevel.find(included);
        if (it == kLevel.end() || included == folder) continue;  // tests/, fuzz/ and system headers are not layers
        ++checked;
        EXPECT_LT(it->second, level) << e.path().string() << ":" << line << " includes " << included << "/, which is not below "
                                     << folder << "/ (the order is in tests/test_folders.cpp)";
      }
    }
  }
  EXPECT_GE(checked, 50) << "too few includes across folders were found: is the test run from the project's root?";
}

}  // namespace
}  // namespace tg::test
