// program.h: the part every experiment's main shares — parse the command line (CLI11 prints its own message,
// naming the option, and sets the exit code), run, and turn any exception into "error: ..." with an llm.c-style
// hint where one helps, and a non-zero exit. Read next: ../experiments/vae.cpp (its main is three lines).
#pragma once
#include <CLI/CLI.hpp>

#include <chrono>
#include <csignal>
#include <cstdio>
#include <functional>
#include <stdexcept>
#include <string>
#include <vector>

#include <unistd.h>

#include <fmt/format.h>

#include "autograd/backend/memory.h"
#include "io/provenance.h"

namespace tg::io {

/// Option checks with short messages: CLI11's PositiveNumber reports its range as 0 to DBL_MAX written out in
/// 309 digits. `positive` wants a number > 0, `non_negative` one >= 0.
inline const CLI::Validator positive(
    [](const std::string& text) {
      double v = 0;
      return CLI::detail::lexical_cast(text, v) && v > 0 ? std::string() : "expected a number greater than 0, got " + text;
    },
    "POSITIVE");
/// A number in [lo, hi], named as such when the text is not one ("--epochs: expected a whole number from 1 to 100000,
/// got abc"; CLI11's own Range says "Value abc not in range").
template <typename T>
CLI::Validator in_range(T lo, T hi) {
  return CLI::Validator(
      [lo, hi](const std::string& text) {
        T v{};
        if (CLI::detail::lexical_cast(text, v) && v >= lo && v <= hi) return std::string();
        return fmt::format("expected {} from {} to {}, got {}", std::is_integral_v<T> ? "a whole number" : "a number", lo, hi, text);
      },
      fmt::format("{} in [{} - {}]", std::is_integral_v<T> ? "INT" : "FLOAT", lo, hi));
}
inline const CLI::Validator non_negative(
    [](const std::string& text) {
      double v = 0;
      return CLI::detail::lexical_cast(text, v) && v >= 0 ? std::string() : "expected a number of at least 0, got " + text;
    },
    "NON-NEGATIVE");

/// Refuses a list option that names a value twice, which would be run and counted twice in the tables. Call it
/// from the app's final_callback, so that --check-options (make's first step) catches it before any data or training.
template <typename T>
void require_distinct(const std::vector<T>& values, const std::string& option) {
  for (size_t i = 0; i < values.size(); ++i)
    for (size_t j = 0; j < i; ++j)
      if (values[i] == values[j])
        throw CLI::ValidationError(option, fmt::format("{} is given twice; each value is run once, so list it once", values[i]));
}

/// Ctrl-C (SIGINT) asks a run to stop at its next safe point, after the epoch in progress is saved. Only a program
/// that checks stop_requested() after each epoch installs the handler (stop_at_safe_points); any other stops at once,
/// as Ctrl-C always did. A second Ctrl-C stops at once (the last saved epoch is kept either way).
inline volatile std::sig_atomic_t stop_signal = 0;
inline bool stop_requested() { return stop_signal != 0; }
inline void on_interrupt(int) {
  if (stop_signal) {
    std::signal(SIGINT, SIG_DFL);
    std::raise(SIGINT);
    return;
  }
  stop_signal = 1;
  static const char message[] = "\nCtrl-C: stopping once this epoch is saved (Ctrl-C again stops now; the last saved epoch is kept)\n";
  [[maybe_unused]] const auto written = ::write(2, message, sizeof message - 1);
}
inline void stop_at_safe_points() { std::signal(SIGINT, on_interrupt); }

/// For a program with safe points in many places (one per model and epoch): thrown at a safe point once Ctrl-C has
/// asked to stop, with what now holds the work; run_program says so, how to resume, and exits with 130 (Ctrl-C's code).
struct StopRequested : std::runtime_error {
  using std::runtime_error::runtime_error;
};
inline void stop_here_if_requested(const std::string& what_holds_the_work) {
  if (stop_requested()) throw StopRequested(what_holds_the_work);
}

inline int run_program(CLI::App& app, int argc, char** argv, const std::function<int()>& run) {
  bool check_only = false;  // the Makefile checks a command line this way before it fetches any data
  app.add_flag("--check-options", check_only, "check the options, then exit without running");
  // a run records how it was started (io/provenance.h)
  // A bad value usually comes through make: name both places to look, not only the program's --help.
  app.failure_message([](const CLI::App* a, const CLI::Error& e) {
    return fmt::format("{}\nThe make variables: make help. This program's options: {} --help.\n", e.what(), a->get_name());
  });
  command_line() = {argc, argv, std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count()};
  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    return app.exit(e);
  }
  if (check_only) return 0;
  keep_freed_memory();  // reuse tensor memory across steps (autograd/backend/memory.h)
  // Past a file-size limit (ulimit -f) a write should fail with EFBIG, which io/atomic_file.cpp reports naming the
  // file and keeping the previous version, rather than the signal killing the process mid-run without a word.
  std::signal(SIGXFSZ, SIG_IGN);
  try {
    return run();
  } catch (const StopRequested& e) {
    std::printf("stopped: %s; RESUME=1 (--resume) continues the run\n", e.what());
    return 130;
  } catch (const std::exception& e) {
    std::fprintf(stderr, "error: %s\n", e.what());
    return 1;
  }
}

}  // namespace tg::io
