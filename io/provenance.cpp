// provenance.cpp: the build's commit (compiled in by the Makefile as TG_COMMIT), the command line quoted, the clock.
#include "io/provenance.h"

#include <chrono>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <thread>

#include <fmt/format.h>

#include "autograd/backend/blas.h"

#ifndef TG_COMMIT
#define TG_COMMIT "unknown"
#endif

namespace tg::io {

std::string build_commit() { return TG_COMMIT; }

CommandLine& command_line() {
  static CommandLine c;
  return c;
}

namespace {

// 'text' for a POSIX shell, unquoted when it is only characters a shell leaves alone.
std::string shell_quote(const std::string& text) {
  if (!text.empty() && text.find_first_not_of("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_=./:,+@%") == std::string::npos)
    return text;
  std::string q = "'";
  for (char c : text) q += c == '\'' ? std::string("'\\''") : std::string(1, c);
  return q + "'";
}

std::string utc_at(std::time_t t) {
  std::tm tm{};
  gmtime_r(&t, &tm);
  char buf[32];
  std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%SZ", &tm);
  return buf;
}
std::string utc_now() { return utc_at(std::time(nullptr)); }

}  // namespace

Invocation start_invocation(int argc, char** argv, int threads, int64_t from_epoch) {
  Invocation now;
  for (int i = 0; i < argc; ++i) now.command += (i ? " " : "") + shell_quote(argv[i]);
  if (const char* make = std::getenv("TG_MAKE_COMMAND")) now.make_command = make;
  now.commit = build_commit();
  now.started = utc_now();
  now.threads = threads;
  now.cores = static_cast<int>(std::thread::hardware_concurrency());
  now.blas = blas_config();
  now.from_epoch = now.to_epoch = from_epoch;
  return now;
}

std::vector<Invocation> invocations_with(const std::string& earlier_json, const Invocation& now, const std::string& where) {
  std::vector<Invocation> all;
  if (!earlier_json.empty()) {
    try {
      all = parse_json(earlier_json, where).get<std::vector<Invocation>>();
    } catch (const nlohmann::json::exception& e) {
      throw std::runtime_error(fmt::format("{}: expected a list of invocations (command, commit, started, ...): {}", where, e.what()));
    }
  }
  all.push_back(now);
  return all;
}

Json provenance_json(const std::vector<Invocation>& invocations, bool complete) {
  Json p = Json::object();
  if (!complete) p["complete"] = false;
  p["commit"] = invocations.empty() ? build_commit() : invocations.back().commit;
  p["resumed"] = invocations.empty() ? 0 : static_cast<int64_t>(invocations.size()) - 1;
  p["invocations"] = invocations;
  return p;
}

}  // namespace tg::io

namespace tg::io {

Json provenance_of_this_process(int threads, bool resumed) {
  Invocation now = start_invocation(command_line().argc, command_line().argv, threads, 0);
  now.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now().time_since_epoch()).count() - command_line().started;
  now.started = utc_at(std::time(nullptr) - static_cast<std::time_t>(now.seconds));  // when the process began, not now
  return provenance_json({now}, !resumed);
}

}  // namespace tg::io
