// gradcheck_report.cpp: `make gradcheck` — runs every case and prints one line per registered op:
// how many cases, elements checked, and the worst relative error. Exits 1 if any op fails or has no case.
#include <cstdio>
#include <map>

#include "tests/gradcheck.h"

int main() {
  using namespace tg::test;
  struct Row { int cases = 0, elements = 0; double worst = 0; bool own_op = true; };
  std::map<std::string, Row> rows;
  for (const GradcheckCase& c : gradcheck_cases())
    for (uint64_t seed : {11u, 12u}) {
      GradcheckResult r = run_gradcheck(c, seed);
      Row& row = rows[c.op];
      row.cases += 1;
      row.elements += r.elements_checked;
      row.worst = std::max(row.worst, r.worst_error);
      row.own_op = row.own_op && r.recorded_own_op;
    }
  int failed = 0;
  std::printf("%-22s %6s %9s %12s  (pass: worst <= %.0e, central differences, eps %.0e, double)\n", "op", "runs",
              "elements", "worst error", kGradcheckTolerance, kGradcheckEps);
  for (const std::string& op : tg::all_ops()) {
    auto it = rows.find(op);
    if (it == rows.end()) {
      std::printf("%-22s   NO CASE in tests/gradcheck_cases.cpp\n", op.c_str());
      ++failed;
      continue;
    }
    const Row& r = it->second;
    const bool ok = r.worst <= kGradcheckTolerance && r.own_op;
    failed += ok ? 0 : 1;
    std::printf("%-22s %6d %9d %12.2e  %s\n", op.c_str(), r.cases, r.elements, r.worst, ok ? "ok" : "FAIL");
  }
  std::printf("gradcheck: %zu passed, %d failed\n", tg::all_ops().size() - failed, failed);
  return failed == 0 ? 0 : 1;
}
