// test_gradcheck.cpp: one gtest per case in the table (Gradcheck/AllOps.<op>_<variant>), plus the coverage
// tests that make a missing case a failure rather than a silent gap. Read next: test_tape.cpp.
#include <gtest/gtest.h>

#include <set>

#include "tests/gradcheck.h"

#ifndef TG_EXPECTED_OPS
#error "TG_EXPECTED_OPS must be set by the Makefile (the count of register_op calls in autograd/ops/*.h)"
#endif

namespace tg::test {
namespace {

class Gradcheck : public ::testing::TestWithParam<GradcheckCase> {};

TEST_P(Gradcheck, AnalyticMatchesCentralDifferences) {
  const GradcheckCase& c = GetParam();
  for (uint64_t seed : {11u, 12u}) {  // two draws of shapes and values per case
    GradcheckResult r = run_gradcheck(c, seed);
    EXPECT_TRUE(r.recorded_own_op) << c.name() << " did not record op \"" << c.op << "\" on the tape";
    EXPECT_GT(r.elements_checked, 0);
    EXPECT_LE(r.worst_error, kGradcheckTolerance) << c.name() << " seed " << seed << ": " << r.worst_where;
  }
}

INSTANTIATE_TEST_SUITE_P(AllOps, Gradcheck, ::testing::ValuesIn(gradcheck_cases()),
                         [](const ::testing::TestParamInfo<GradcheckCase>& info) { return info.param.name(); });

TEST(Coverage, EveryRegisteredOpHasACase) {
  std::set<std::string> covered;
  for (const GradcheckCase& c : gradcheck_cases()) covered.insert(c.op);
  std::string missing;
  for (const std::string& op : all_ops())
    if (!covered.count(op)) missing += " " + op;
  EXPECT_TRUE(missing.empty()) << "ops without a gradcheck case in tests/gradcheck_cases.cpp:" << missing;
}

TEST(Coverage, EveryCaseNamesARegisteredOp) {
  for (const GradcheckCase& c : gradcheck_cases())
    EXPECT_NE(find_op(c.op).index, -1) << "case " << c.name() << " names an op that is not registered";
}

TEST(Coverage, RegistryHoldsEveryOpDeclaredInTheOpsHeaders) {
  // The Makefile counts `register_op("` in autograd/ops/*.h; a header missing from autograd.h shows here.
  EXPECT_EQ(static_cast<int>(all_ops().size()), TG_EXPECTED_OPS);
}

TEST(Coverage, CaseNamesAreUnique) {
  std::set<std::string> names;
  for (const GradcheckCase& c : gradcheck_cases()) EXPECT_TRUE(names.insert(c.name()).second) << c.name();
}

TEST(Coverage, TheCheckCatchesAWrongGradient) {
  // A deliberately wrong backward (dx = dy instead of 2x dy, registered as square) must fail the check;
  // otherwise a passing table would prove nothing.
  GradcheckCase wrong{"square", "wrong", {"B,D"}, {}, [](const std::vector<Var<double>>& x) {
                        Tensor<double> y = map(x[0].value(), [](double v) { return v * v; });
                        return record<double>(kSquare, {x[0]}, y, [](const Tensor<double>& dy, InputGrads<double>& dx) {
                          dx.add(0, dy);
                        });
                      }};
  EXPECT_GT(run_gradcheck(wrong, 3).worst_error, 1e-2);
}

}  // namespace
}  // namespace tg::test
