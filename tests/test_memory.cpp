// test_memory.cpp: keep_freed_memory() stops the page-fault churn of allocating and freeing step-sized tensors.
#include <gtest/gtest.h>
#include <sys/resource.h>

#include "autograd/backend/memory.h"
#include "autograd/tensor.h"

using namespace tg;

namespace {
long minor_faults() {
  rusage u{};
  getrusage(RUSAGE_SELF, &u);
  return u.ru_minflt;
}
// What a training step does to memory: a few large outputs, written once, freed together.
long faults_of_steps(int steps) {
  const long before = minor_faults();
  for (int s = 0; s < steps; ++s) {
    std::vector<Tensor<float>> outputs;
    for (int i = 0; i < 4; ++i) outputs.push_back(Tensor<float>::zeros(Shape{2560, 784}));  // 8 MB each
  }
  return minor_faults() - before;
}
}  // namespace

TEST(Memory, FreedTensorMemoryIsReusedWithoutFaultingPagesAgain) {
#if defined(__SANITIZE_ADDRESS__)
  // AddressSanitizer replaces malloc with its own allocator, which quarantines freed blocks on purpose and does
  // not take glibc's settings: this test is about glibc's allocator, so it runs in `make test`, not here.
  GTEST_SKIP() << "glibc malloc settings do not apply under AddressSanitizer's allocator";
#endif
  keep_freed_memory();
  faults_of_steps(1);                     // the first step faults its pages in
  const long later = faults_of_steps(20);  // later steps reuse them
  // 20 steps x 32 MB would be ~160,000 faults of 4 KB pages if the memory went back to the kernel each time.
  EXPECT_LT(later, 2000) << "minor page faults over 20 steps";
}
