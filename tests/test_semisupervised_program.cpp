// test_semisupervised_program.cpp: experiments/semisupervised end to end on the tiny dataset — both models
// report a test error in [0, 1], the anomaly part reports AUCs, and the pictures and report exist.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/atomic_file.h"
#include "io/json.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

TEST(SemisupervisedProgram, ReportsErrorsAndAucs) {
  const std::string data = fresh_temp_dir("semi-data"), out = fresh_temp_dir("semi-run");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out +
                                " --labels 20 --epochs 2 --m1-epochs 1 --latent 4 --hidden 16 --batch 64 --labelled-batch 20"
                                " --anomaly-labels 3 --anomaly-digit 2 --threads 1");
  ASSERT_EQ(r.status, 0) << r.output;
  const io::Json s = io::read_json_file(out + "/summary.json");
  for (const char* key : {"m2_20_labels_test_error", "m1m2_20_labels_test_error", "anomaly_auc_unsupervised", "anomaly_auc_m2_3_labels"}) {
    ASSERT_TRUE(s.contains(key)) << key;
    EXPECT_GE(s.at(key).get<double>(), 0.0) << key;
    EXPECT_LE(s.at(key).get<double>(), 1.0) << key;
  }
  EXPECT_TRUE(std::filesystem::exists(out + "/conditional_samples.png"));
  // the paper's column is there (its numbers only for the paper's label counts: 100, 600, 1000, 3000)
  EXPECT_NE(io::read_file(out + "/report.html").find("test error % (paper, Table 1)"), std::string::npos);
}

TEST(SemisupervisedProgram, UnevenLabelCountIsRefused) {
  const std::string data = fresh_temp_dir("semi-data-2");
  write_tiny_mnist(data, 300, 100);
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --labels 25 --epochs 1 --threads 1");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("25 labels cannot be split evenly over 10 classes"), std::string::npos) << r.output;
}

// Valid data the paper's setup never meets: non-square images, and a class too rare for the label count
// (refused before any training, naming the labels file). Run under the sanitizers by `make sanitize`.
TEST(SemisupervisedProgram, NonSquareImagesAndARareClass) {
  for (const auto& [h, w] : {std::pair{20, 28}, std::pair{28, 20}}) {
    const std::string data = fresh_temp_dir("semi-odd-data"), out = fresh_temp_dir("semi-odd-run");
    write_tiny_mnist(data, 300, 60, 1, h, w);
    CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --out=" + out +
                                  " --labels 20 --epochs 1 --m1-epochs 1 --latent 4 --hidden 16 --batch 64 --labelled-batch 20"
                                  " --anomaly-labels 3 --anomaly-digit 2 --threads 1");
    ASSERT_EQ(r.status, 0) << h << "x" << w << ": " << r.output;
    EXPECT_TRUE(std::filesystem::exists(out + "/conditional_samples.png"));
  }
  const std::string data = fresh_temp_dir("semi-rare-data");
  write_tiny_mnist(data, 300, 60);  // 25 training images per class after the validation split
  CommandResult r = run_command(program("semisupervised") + " --data=" + data + " --labels 300 --epochs 1 --threads 1 --out=" +
                                fresh_temp_dir("semi-rare-run"));
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("train-labels-idx1-ubyte: class 0 has 25 training images, but --labels 300 needs 30 of each class"),
            std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("epoch 1/1"), std::string::npos) << r.output;
}

}  // namespace
}  // namespace tg::test
