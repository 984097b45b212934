// vae_compare.cpp: the last step of `make experiment-all` — one page that puts the runs for the study's
// latent sizes side by side: a table of test ELBO and log p(x) by latent size, and the t-SNE panels of the
// latent codes next to t-SNE of the raw pixels (the study's slides in one page).
// Usage: vae_compare <out folder> <run folder>...   (each run folder holds a summary.json from experiments/vae)
#include <cmath>
#include <cstdio>
#include <filesystem>
#include <set>

#include <fmt/format.h>

#include "io/atomic_file.h"
#include "io/json.h"
#include "io/json_reader.h"
#include "io/summary.h"
#include "viz/report.h"

using namespace tg;
namespace fs = std::filesystem;

int main(int argc, char** argv) {
  if (argc < 3) {
    std::fprintf(stderr, "usage: vae_compare <out folder> <run folder>...\n");
    return 2;
  }
  try {
    const std::string out = argv[1];
    fs::create_directories(out);
    std::vector<std::vector<std::string>> rows;
    std::vector<std::pair<std::string, std::string>> panels;
    std::string first_run;
    io::Summary combined;
    std::set<std::string> data_lines, pixels;
    std::vector<std::pair<std::string, std::string>> run_links;
    bool all_standard = true;
    for (int a = 2; a < argc; ++a) {
      const std::string run = argv[a];
      const io::Json summary = io::read_json_file(run + "/summary.json");
      const io::JsonReader s(summary, run + "/summary.json");  // lookups name the file and the field
      auto num = [&](const char* k) { return s.number_or_nan(k); };
      const std::string binarize = s.get_or<std::string>("binarize", "none");
      pixels.insert(binarize == "dynamic" ? "binarised pixels (dynamic)" : "grey-level pixels");
      data_lines.insert(s.has("data") ? s.get<std::string>("data")
                                      : fmt::format("{} does not say which data the run used (a run from before runs recorded it)", run));
      all_standard = all_standard && io::standard_mnist(summary);
      auto fmt2 = [](double v) { return std::isfinite(v) ? fmt::format("{:.2f}", v) : std::string("-"); };
      rows.push_back({fmt::format("{:.0f}", num("latent")), binarize == "dynamic" ? "binarised" : "grey levels", fmt2(num("test_elbo")), fmt2(num("test_log_px")),
                      fmt::format("{:.0f}", num("iw_samples")), fmt::format("{:.0f}", num("epochs")),
                      fmt::format("{:.3f}", num("tsne_latent_knn_accuracy")), fmt::format("{:.3f}", num("tsne_latent_trustworthiness")),
                      fmt2(num("seconds_per_epoch"))});
      const std::string rel = fs::relative(run, out).string();
      panels.push_back({rel + "/tsne_latent.svg", fmt::format("Z = {:.0f}: 10-NN accuracy {:.3f}", num("latent"), num("tsne_latent_knn_accuracy"))});
      combined.set(fmt::format("z{:.0f}_test_elbo", num("latent")), num("test_elbo"));
      combined.set(fmt::format("z{:.0f}_test_log_px", num("latent")), num("test_log_px"));
      if (first_run.empty()) first_run = rel;
      run_links.push_back({fmt::format("Z = {:.0f}: the run's report", num("latent")), rel + "/report.html"});
    }
    // The title names the data and the pixels, as each run's report does: a page of subset or mixed runs says so.
    const std::string pixel_kind = pixels.size() == 1 ? *pixels.begin() : "grey-level and binarised pixels mixed";
    viz::Report r(fmt::format("VAE on {}, {}: latent sizes compared", all_standard ? "MNIST" : "data that is NOT the standard MNIST (see below)", pixel_kind));
    r.paragraph("Each row is one run of make experiment LATENT=<Z>; follow a run's report for its pictures.");
    for (const std::string& line : data_lines) r.paragraph((all_standard ? "Data: " : "Warning, data: ") + line);
    combined.set("standard_mnist", all_standard);
    r.links(run_links);
    r.table({"latent Z", "pixels", "test ELBO", "test log p(x)", "K", "epochs", "t-SNE 10-NN acc", "trustworthiness", "s / epoch"}, rows);
    r.heading("t-SNE of the test set's latent means, by latent size, beside t-SNE of the raw pixels");
    panels.push_back({first_run + "/tsne_original.svg", "raw pixels (784 dimensions)"});
    r.figures_side_by_side(panels, 520);
    r.write(out + "/report.html");
    combined.write(out + "/summary.json");
    std::printf("wrote %s/report.html\n", out.c_str());
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
  return 0;
}
