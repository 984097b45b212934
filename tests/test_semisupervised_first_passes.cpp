// test_semisupervised_first_passes.cpp: experiments/semisupervised_first_passes on the tiny dataset — a run's first
// passes, read from its histories, report what a run stopped after those passes reports (the premise of comparing
// runs at matched steps); make collect takes its folder; a history too short, and an existing summary, are refused.
#include <gtest/gtest.h>

#include <filesystem>

#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

const std::string kTiny = " --labels 20 --m1-epochs 1 --latent 4 --hidden 16 --m1-hidden 16 --batch 64 --labelled-batch 20"
                          " --baseline-epochs 1 --threads 1 --models both --seeds 1";

TEST(SemisupervisedFirstPasses, AFinishedRunsFirstPassesReportWhatTheShorterRunReports) {
  const std::string data = fresh_temp_dir("first-passes-data"), longer = fresh_temp_dir("first-passes-4"),
                    shorter = fresh_temp_dir("first-passes-2"), cut = fresh_temp_dir("first-passes-cut") + "/run";
  write_tiny_mnist(data, 300, 100);
  const std::string train = program("semisupervised") + " --data=" + data + kTiny;
  ASSERT_EQ(run_command(train + " --epochs 4 --out=" + longer).status, 0);
  ASSERT_EQ(run_command(train + " --epochs 2 --out=" + shorter).status, 0);
  CommandResult r = run_command(program("semisupervised_first_passes") + " --run=" + longer + " --passes 2 --out=" + cut);
  ASSERT_EQ(r.status, 0) << r.output;

  const io::Json got = io::read_json_file(cut + "/summary.json"), want = io::read_json_file(shorter + "/summary.json");
  ASSERT_EQ(got.at("runs").size(), 2u);  // M1+M2 and the pixel M2
  for (size_t i = 0; i < 2; ++i) {
    const io::Json &g = got.at("runs")[i], &w = want.at("runs")[i];
    for (const char* key : {"folder", "model", "labels", "seed", "epochs", "best_epoch", "valid_error", "test_error",
                            "last_epoch_test_error", "small_valid_best_epoch", "small_valid_test_error"})
      EXPECT_EQ(g.at(key), w.at(key)) << key << " of " << w.at("folder");
    // each model's history cut to the passes: the shorter run's, but for the seconds each pass took
    const std::string folder = "/" + w.at("folder").get<std::string>() + "/history.csv";
    const io::Csv g_history = io::read_csv(cut + folder), w_history = io::read_csv(shorter + folder);
    ASSERT_EQ(g_history.header, w_history.header);
    for (const std::string& column : w_history.header) {
      if (column == "seconds") continue;
      EXPECT_EQ(g_history.column(column), w_history.column(column)) << column << " of " << folder;
    }
  }
  EXPECT_EQ(got.at("passes"), 2);
  EXPECT_EQ(got.at("source"), longer);
  EXPECT_TRUE(got.contains("seconds"));

  // a folder of results like any run's
  const std::string results = fresh_temp_dir("first-passes-results") + "/run";
  r = run_command(program("collect_result") + " --run=" + cut + " --to=" + results);
  ASSERT_EQ(r.status, 0) << r.output;
  const std::string command = io::read_file(results + "/command");
  EXPECT_NE(command.find("semisupervised_first_passes --run=" + longer + " --passes 2"), std::string::npos) << command;
  EXPECT_NE(command.find("(that of " + longer + ", which this run reads)"), std::string::npos) << command;  // no data of its own

  // more passes than the run made: named, with the history's file and what it holds, and nothing written
  const std::string too_many = fresh_temp_dir("first-passes-5") + "/run";
  r = run_command(program("semisupervised_first_passes") + " --run=" + longer + " --passes 5 --out=" + too_many);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("history.csv: holds 4 passes, fewer than the 5 asked for"), std::string::npos) << r.output;
  EXPECT_FALSE(std::filesystem::exists(too_many));
  // a summary whose model folder would lead outside the run (and outside OUT) is refused
  io::Json planted = io::read_json_file(shorter + "/summary.json");
  planted["runs"][0]["folder"] = "../elsewhere";
  io::write_file_atomically(shorter + "/summary.json", planted.dump());
  r = run_command(program("semisupervised_first_passes") + " --run=" + shorter + " --passes 1 --out=" + too_many);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("runs[0].folder '../elsewhere': expected a sub-folder's name"), std::string::npos) << r.output;
  // an existing summary is never overwritten
  const std::string before = io::read_file(cut + "/summary.json");
  r = run_command(program("semisupervised_first_passes") + " --run=" + longer + " --passes 1 --out=" + cut);
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find(cut + "/summary.json exists"), std::string::npos) << r.output;
  EXPECT_EQ(io::read_file(cut + "/summary.json"), before);
}

}  // namespace
}  // namespace tg::test
