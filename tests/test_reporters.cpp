// test_reporters.cpp: the reporters trust nothing in a run folder. A folder from an older version, half-written or
// edited by hand gets an error naming the file and the field or tensor, never a bare "map::at" or a
// "[json.exception...]" that names neither; and io::JsonReader, which they read summary.json with, says where.
#include <gtest/gtest.h>

#include <filesystem>

#include "experiments/anomaly_settings.h"
#include "experiments/semisupervised_settings.h"
#include "experiments/vae_settings.h"
#include "io/atomic_file.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/safetensors.h"
#include "tests/programs.h"

namespace tg::test {
namespace {

namespace fs = std::filesystem;

// What f throws as std::runtime_error, or "no error".
template <typename F>
std::string error_of(const F& f) {
  try {
    f();
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "no error";
}

TEST(JsonReader, NamesTheFileAndTheFieldOfEveryBadLookup) {
  const io::Json j = io::parse_json(R"({"latent": "abc", "runs": [{"model": "m2"}, {"labels": 3}], "lr": null})", "t");
  const io::JsonReader r(j, "run/summary.json");
  EXPECT_EQ(error_of([&] { r.get<int>("latent"); }), "run/summary.json: latent: expected an integer, found \"abc\"");
  EXPECT_EQ(error_of([&] { r.get<int>("hidden"); }), "run/summary.json: no field hidden");
  EXPECT_EQ(error_of([&] { r.at("runs").at(1).get<std::string>("model"); }), "run/summary.json: no field runs[1].model");
  EXPECT_EQ(error_of([&] { r.at("runs").at(5); }), "run/summary.json: runs: expected a list of more than 5 items, found [{\"model\":\"m2\"},{\"labels\":3}]");
  EXPECT_EQ(error_of([&] { r.get_or("latent", 3); }), "run/summary.json: latent: expected an integer, found \"abc\"");
  EXPECT_EQ(r.get_or("epochs", 200), 200);  // absent: the fallback
  EXPECT_TRUE(std::isnan(r.number_or_nan("lr")));  // null: not measured
  EXPECT_EQ(r.at("runs").at(0).get<std::string>("model"), "m2");
}

// A number read as an integer must be a whole number its type can hold: 5.5e127 as a long was undefined behaviour
// inside nlohmann (found by fuzz/fuzz_summary.cpp), 300 as a uint8_t and -1 as a size_t silently wrong.
TEST(JsonReader, AnIntegerThatDoesNotFitIsNamed) {
  const io::Json j = io::parse_json(R"({"big": 5.5e127, "half": 2.5, "whole": 3.0, "wide": 300, "negative": -1, "max": 9223372036854775807})", "t");
  const io::JsonReader r(j, "run/summary.json");
  EXPECT_NE(error_of([&] { r.get<int64_t>("big"); }).find("run/summary.json: big: expected a whole number"), std::string::npos);
  EXPECT_NE(error_of([&] { r.get<int>("half"); }).find("half: expected a whole number"), std::string::npos);
  EXPECT_EQ(r.get<int>("whole"), 3);
  EXPECT_NE(error_of([&] { r.get<uint8_t>("wide"); }).find("wide: expected a whole number from 0 to 255, found 300"), std::string::npos);
  EXPECT_NE(error_of([&] { r.get<size_t>("negative"); }).find("negative: expected a whole number"), std::string::npos);
  EXPECT_EQ(r.get<int64_t>("max"), INT64_MAX);
  EXPECT_NE(error_of([&] { r.get<int>("max"); }).find("max: expected a whole number"), std::string::npos);
}

// The vae program's settings read back: a whole number too large for an int field is refused by name, not cut short.
TEST(VaeSettings, ASettingThatDoesNotFitItsTypeIsNamed) {
  io::Json j = VaeSettings{};
  EXPECT_EQ(read_vae_settings(j, "s.json").epochs, 200);
  j["epochs"] = int64_t(10000000000);
  EXPECT_EQ(error_of([&] { read_vae_settings(j, "s.json"); }), "s.json: epochs: 10000000000 does not fit the setting's type");
}

// The same checks for the items of a list setting: a whole number written as 2.0 reads as 2; 5.5e127 never reaches a
// cast (undefined behaviour in an int); 3e9 fits an int64 but not the int a digit is kept in, and is refused by name.
TEST(SettingsReader, TheItemsOfAListAreCheckedLikeTheirField) {
  io::Json j = AnomalySettings{};
  j["digits"] = io::Json::array({1, 2.0});
  EXPECT_EQ(read_anomaly_settings(j, "s.json").digits, (std::vector<int>{1, 2}));
  j["digits"] = io::Json::array({1, 5.5e127});
  EXPECT_NE(error_of([&] { read_anomaly_settings(j, "s.json"); }).find("s.json: digits[1]: expected a whole number"), std::string::npos);
  j["digits"] = io::Json::array({1, 3000000000});
  EXPECT_EQ(error_of([&] { read_anomaly_settings(j, "s.json"); }), "s.json: digits: [1,3000000000] does not fit the setting's type");
  j.erase("fashion");
  EXPECT_EQ(error_of([&] { read_anomaly_settings(j, "s.json"); }), "s.json: no field fashion");
}

// Runs a reporter on a folder and checks its error: non-zero, naming `expected`, no bare library message.
void expect_named_error(const std::string& command, const std::string& expected) {
  const CommandResult r = run_command(command);
  EXPECT_NE(r.status, 0) << command << "\n" << r.output;
  EXPECT_NE(r.output.find(expected), std::string::npos) << command << "\n" << r.output;
  EXPECT_EQ(r.output.find("map::at"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("json.exception"), std::string::npos) << r.output;
  EXPECT_EQ(r.output.find("stoi"), std::string::npos) << r.output;
}

TEST(Reporters, AVaeRunFolderWithAMissingOrMalformedPartIsNamed) {
  const std::string data = fresh_temp_dir("reporter-data"), run = fresh_temp_dir("reporter-run");
  write_tiny_mnist(data, 120, 120);
  ASSERT_EQ(run_command(program("vae") + " --data=" + data + " --latent=2 --hidden=16 --batch=32 --epochs=1 --iw-samples=5 --threads=1 --tsne=0 --out=" + run).status, 0);
  const std::string report = program("vae_report") + " --run=" + run;
  ASSERT_EQ(run_command(report).status, 0);
  const std::string summary = io::read_file(run + "/summary.json");
  io::Json s = io::parse_json(summary, "summary");
  s.erase("latent");
  io::write_file_atomically(run + "/summary.json", s.dump());
  expect_named_error(report, run + "/summary.json: no field latent");
  // a run folder from before summary.json held every setting: the keys added since take the defaults it ran with
  s = io::parse_json(summary, "summary");
  for (const char* key : {"adam_eps", "lr_choices", "test_curve", "compute_tsne", "out", "cache"}) s.erase(key);
  io::write_file_atomically(run + "/summary.json", s.dump());
  EXPECT_EQ(run_command(report).status, 0) << "an older run folder";
  s.erase("lr_schedule");  // a key older folders did write: missing, it is named
  io::write_file_atomically(run + "/summary.json", s.dump());
  expect_named_error(report, run + "/summary.json: no field lr_schedule");
  s = io::parse_json(summary, "summary");
  s["hidden"] = "four hundred";
  io::write_file_atomically(run + "/summary.json", s.dump());
  expect_named_error(report, run + "/summary.json: hidden: expected an integer, found \"four hundred\"");
  io::write_file_atomically(run + "/summary.json", summary);
  io::SafeTensors means = io::load_safetensors(run + "/latent_means.safetensors");
  means.tensors = {{"something_else", means.tensors.begin()->second}};
  io::save_safetensors(run + "/latent_means.safetensors", means);
  expect_named_error(report, run + "/latent_means.safetensors: no tensor latent_means");
  io::write_file_atomically(run + "/summary.json", summary.substr(0, summary.size() / 2));  // half-written
  expect_named_error(report, run + "/summary.json: invalid JSON");
}

TEST(Reporters, SemisupervisedAndAnomalyFoldersWithMissingPartsAreNamed) {
  const std::string semi = fresh_temp_dir("reporter-semi"), anomaly = fresh_temp_dir("reporter-anomaly");
  io::write_file_atomically(semi + "/summary.json", R"({"image_height": 28, "image_width": 28})");
  expect_named_error(program("semisupervised_report") + " --run=" + semi, semi + "/summary.json: no field models");
  io::Json summary = SemisupervisedSettings{};  // the settings whole, then what the run measured
  summary["image_height"] = 28, summary["image_width"] = 28;
  summary["runs"] = io::Json::array({{{"labels", 100}}});
  io::write_file_atomically(semi + "/summary.json", summary.dump());
  expect_named_error(program("semisupervised_report") + " --run=" + semi, semi + "/summary.json: no field runs[0].model");
  summary["lr"] = "0.0003";  // as summaries written before the settings were typed kept it
  io::write_file_atomically(semi + "/summary.json", summary.dump());
  expect_named_error(program("semisupervised_report") + " --run=" + semi, semi + "/summary.json: lr: expected a number, found \"0.0003\"");
  summary["lr"] = 3e-4, summary["seeds"] = io::Json::array({1, -2});
  io::write_file_atomically(semi + "/summary.json", summary.dump());
  expect_named_error(program("semisupervised_report") + " --run=" + semi, semi + "/summary.json: seeds[1]: expected a whole number from 0 to");
  io::write_file_atomically(anomaly + "/summary.json", R"({"latents": [3], "artificial_types": ["normal"]})");
  expect_named_error(program("anomaly_report") + " --run=" + anomaly, anomaly + "/summary.json: no field digits");
  io::write_file_atomically(anomaly + "/summary.json", R"({"digits": "all", "latents": [3]})");
  expect_named_error(program("anomaly_report") + " --run=" + anomaly, anomaly + "/summary.json: digits: expected a list, found \"all\"");
}

}  // namespace
}  // namespace tg::test
