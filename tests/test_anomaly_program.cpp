// test_anomaly_program.cpp: experiments/anomaly end to end on the tiny dataset — it writes its tables and
// report, every scorer has an AUC in [0, 1] for the held-out digit, and a bad option is refused by name.
#include <gtest/gtest.h>

#include <filesystem>
#include <map>
#include <set>
#include <sstream>

#include <fmt/format.h>

#include "experiments/anomaly_scorers.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

TEST(AnomalyProgram, WritesAucTablesAndReport) {
  const std::string data = fresh_temp_dir("anomaly-data"), out = fresh_temp_dir("anomaly-run");
  write_tiny_mnist(data, 300, 120);
  CommandResult r = run_command(program("anomaly") + " --data=" + data + " --out=" + out +
                                " --latents 2 --digits 3 --epochs 2 --hidden 16 --batch 64 --iw-samples 4 --recon-samples 2"
                                " --svm-points 100 --artificial-points 30 --threads 1 --fashion /nonexistent");
  ASSERT_EQ(r.status, 0) << r.output;
  // The program computes; the reporter draws from the run folder alone.
  for (const char* f : {"auc.csv", "artificial.csv", "summary.json", "tsne_artificial_z2.csv", "artificial_examples.safetensors"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  EXPECT_FALSE(std::filesystem::exists(out + "/report.html"));
  r = run_command(program("anomaly_report") + " --run=" + out);
  ASSERT_EQ(r.status, 0) << r.output;
  for (const char* f : {"report.html", "tsne_artificial_z2.svg", "artificial_examples.png"})
    EXPECT_TRUE(std::filesystem::exists(out + "/" + f)) << f;
  const std::string html = io::read_file(out + "/report.html");
  // One held-out digit: no chart of one column, and no "hardest digit" picked out of one.
  EXPECT_FALSE(std::filesystem::exists(out + "/auc_by_digit_z2.svg"));
  EXPECT_NE(html.find("With one held-out digit (3) there is no hardest digit to name"), std::string::npos);
  EXPECT_EQ(html.find("The hardest held-out digits"), std::string::npos);
  EXPECT_NE(html.find("VAE: -log p(x)"), std::string::npos);  // scorers in words, not code names
  EXPECT_EQ(html.find("vae_neg_log_px"), std::string::npos);
  EXPECT_NE(io::read_file(out + "/tsne_artificial_z2.svg").find("salt and pepper"), std::string::npos);
  std::istringstream csv(io::read_file(out + "/auc.csv"));
  std::string line;
  std::getline(csv, line);
  EXPECT_EQ(line, "scorer,digit,latent,auc_roc,auc_pr");
  int rows = 0;
  std::set<std::string> scorers;
  std::string best_scorer;
  double best_auc = -1;
  std::map<std::string, double> csv_auc;
  while (std::getline(csv, line)) {
    const std::string scorer = line.substr(0, line.find(','));
    const double auc = std::stod(line.substr(line.find(",3,2,") + 5));
    if (auc > best_auc) best_auc = auc, best_scorer = scorer;
    scorers.insert(scorer);
    csv_auc[scorer] = auc;
    ++rows;
  }
  EXPECT_EQ(rows, static_cast<int>(kAnomalyScorers.size()));  // every scorer, for one digit and one latent size
  // The summary's "best scorer" is the table's: with one digit, the scorer of the highest AUC-ROC (to auc.csv's 4 decimals).
  const io::Json summary = io::read_json_file(out + "/summary.json");
  // Every AUC a page quotes is in summary.json (where the results check reads it), the same as auc.csv's: per latent
  // size the mean over the held-out digits (here the one digit's) and the value per digit; the artificial part's
  // AUC per type and scorer, and its type classifier.
  const io::Json& held_out = summary.at("held_out_digits").at(0);
  EXPECT_EQ(held_out.at("latent").get<int64_t>(), 2);
  EXPECT_EQ(held_out.at("mean_auc_roc").size(), kAnomalyScorers.size());
  for (const auto& [scorer, auc] : csv_auc) {
    EXPECT_NEAR(held_out.at("mean_auc_roc").at(scorer).get<double>(), auc, 5e-5) << scorer;
    EXPECT_NEAR(held_out.at("auc_roc_by_digit").at(scorer).at(0).get<double>(), auc, 5e-5) << scorer;
  }
  const io::Json& artificial = summary.at("artificial").at(0);
  EXPECT_EQ(artificial.at("latent").get<int64_t>(), 2);
  const double rotation_log_px = artificial.at("auc_roc").at("rotation_90").at("vae_neg_log_px").get<double>();
  EXPECT_NE(io::read_file(out + "/artificial.csv").find(fmt::format("rotation_90,2,vae_neg_log_px,{:.4f}", rotation_log_px)), std::string::npos);
  const double accuracy = artificial.at("type_classifier_accuracy").get<double>();
  EXPECT_TRUE(accuracy >= 0 && accuracy <= 1) << accuracy;
  EXPECT_GT(summary.at("seconds").get<double>(), 0);  // written last: the run finished
  EXPECT_NEAR(summary.at("best_mean_auc_roc").get<double>(), best_auc, 5e-5);
  EXPECT_EQ(summary.at("best_scorer").get<std::string>(), best_scorer + " (Z = 2)");
  for (const AnomalyScorer& s : kAnomalyScorers) EXPECT_TRUE(scorers.count(std::string(s.key))) << s.key;  // every scorer of the table
  EXPECT_NE(io::read_file(out + "/artificial.csv").find("rotation_90"), std::string::npos);
}

// With two held-out digits there is something to compare: the chart by digit, and the hardest digits named.
TEST(AnomalyProgram, TwoHeldOutDigitsGetTheChartAndTheHardestDigit) {
  const std::string data = fresh_temp_dir("anomaly-two-data"), out = fresh_temp_dir("anomaly-two-run");
  write_tiny_mnist(data, 300, 120);
  CommandResult r = run_command(program("anomaly") + " --data=" + data + " --out=" + out +
                                " --latents 2 --digits 3 5 --epochs 1 --hidden 16 --batch 64 --iw-samples 4 --recon-samples 2"
                                " --svm-points 100 --artificial-points 30 --threads 1 --fashion /nonexistent");
  ASSERT_EQ(r.status, 0) << r.output;
  r = run_command(program("anomaly_report") + " --run=" + out);
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_TRUE(std::filesystem::exists(out + "/auc_by_digit_z2.svg"));
  const std::string html = io::read_file(out + "/report.html");
  EXPECT_NE(html.find("The hardest held-out digits across all scorers are "), std::string::npos);
  EXPECT_EQ(html.find("With one held-out digit"), std::string::npos);
}

// Non-square images once overflowed the rotation's buffer (heap corruption); run under the sanitizers by
// `make sanitize`. Fashion-MNIST (28x28) is left out, with a line saying why, when the data's images differ.
TEST(AnomalyProgram, NonSquareImages) {
  for (const auto& [h, w] : {std::pair{20, 28}, std::pair{28, 20}}) {
    const std::string data = fresh_temp_dir("anomaly-odd-data"), out = fresh_temp_dir("anomaly-odd-run");
    write_tiny_mnist(data, 300, 120, 1, h, w);
    const std::string fashion = fresh_temp_dir("anomaly-odd-fashion");
    write_tiny_mnist(fashion, 10, 40);  // 28x28, as Fashion-MNIST is
    CommandResult r = run_command(program("anomaly") + " --data=" + data + " --out=" + out +
                                  " --latents 2 --digits 3 --epochs 1 --hidden 16 --batch 64 --iw-samples 4 --recon-samples 2"
                                  " --svm-points 100 --artificial-points 30 --threads 1 --fashion " + fashion);
    ASSERT_EQ(r.status, 0) << h << "x" << w << ": " << r.output;
    const CommandResult report = run_command(program("anomaly_report") + " --run=" + out);
    ASSERT_EQ(report.status, 0) << h << "x" << w << ": " << report.output;
    EXPECT_NE(r.output.find(fmt::format("Fashion-MNIST left out: its images are 28x28, the data's {}x{}", h, w)),
              std::string::npos) << r.output;
    EXPECT_NE(io::read_file(out + "/artificial.csv").find("rotation_90"), std::string::npos);
  }
}

// A damaged Fashion-MNIST file is found before any training, not after the held-out-digit models: the run fails at
// once, naming the file, and no epoch has run.
TEST(AnomalyProgram, ADamagedFashionFileFailsBeforeTraining) {
  const std::string data = fresh_temp_dir("anomaly-fashion-data"), fashion = fresh_temp_dir("anomaly-fashion");
  write_tiny_mnist(data, 300, 120);
  io::write_file_atomically(fashion + "/t10k-images-idx3-ubyte", std::string("\x00\x00\x08\x03\x00\x00", 6));  // cut short
  const CommandResult r = run_command(program("anomaly") + " --data=" + data + " --out=" + fresh_temp_dir("anomaly-fashion-run") +
                                      " --latents 2 --digits 3 --epochs 2 --hidden 16 --batch 64 --threads 1 --fashion " + fashion);
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find(fashion + "/t10k-images-idx3-ubyte"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("epoch 1"), std::string::npos) << "it trained before reading the file:\n" << r.output;
}

TEST(AnomalyProgram, RefusesADigitOutOfRange) {
  CommandResult r = run_command(program("anomaly") + " --data=/tmp --digits 11");
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("--digits"), std::string::npos) << r.output;
}

// Each model and each random purpose has its own seed: the Z = 3 rows are the same whether or not Z = 2 ran first.
TEST(AnomalyProgram, ALatentSizesResultsDoNotDependOnTheOthers) {
  const std::string data = fresh_temp_dir("anomaly-seed-data");
  write_tiny_mnist(data, 300, 120);
  auto rows_for_z3 = [&](const std::string& latents) {
    const std::string out = fresh_temp_dir("anomaly-seed-run");
    const CommandResult r = run_command(program("anomaly") + " --data=" + data + " --out=" + out + " --latents " + latents +
                                        " --digits 3 --epochs 1 --hidden 16 --batch 64 --iw-samples 4 --recon-samples 2"
                                        " --svm-points 100 --artificial-points 30 --threads 1 --fashion /nonexistent");
    EXPECT_EQ(r.status, 0) << r.output;
    std::string rows;  // the latent size is column 3 of auc.csv (scorer,digit,latent,...), column 2 of artificial.csv
    for (const auto& [file, column] : {std::pair{"/auc.csv", 2}, std::pair{"/artificial.csv", 1}}) {
      std::istringstream in(io::read_file(out + file));
      for (std::string line; std::getline(in, line);) {
        std::vector<std::string> cells;
        std::istringstream cell_in(line);
        for (std::string cell; std::getline(cell_in, cell, ',');) cells.push_back(cell);
        if (cells.size() > size_t(column) && cells[size_t(column)] == "3") rows += line + "\n";
      }
    }
    return rows;
  };
  const std::string alone = rows_for_z3("3"), after = rows_for_z3("2 3");
  EXPECT_FALSE(alone.empty());
  EXPECT_EQ(alone, after);
}

}  // namespace
}  // namespace tg::test
