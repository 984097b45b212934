// test_safetensors.cpp: the file layer — safetensors (round trip, a file written by hand from the format's
// specification, and every kind of malformed header: truncations, non-integer shapes and offsets, overflowing
// products, invalid UTF-8, duplicate keys), the strict JSON reading beneath it, SHA-256 against FIPS 180-4's
// examples, bounded reads of regular files only, atomic writes with unique temporary names, and CSV tables.
#include <gtest/gtest.h>

#include <sys/stat.h>
#include <unistd.h>

#include <cstring>
#include <filesystem>
#include <atomic>
#include <cmath>
#include <thread>

#include "io/atomic_file.h"
#include "io/csv.h"
#include "io/json.h"
#include "io/safetensors.h"
#include "io/sha256.h"
#include "nn/checkpoint.h"
#include "nn/mlp.h"
#include "tests/programs.h"

namespace tg {
namespace {

namespace fs = std::filesystem;

std::string temp_path(const std::string& name) { return test::fresh_temp_dir("io") + "/" + name; }

// A safetensors file around a header we write by hand, with `data` after it.
std::string with_header(const std::string& header, const std::string& data = std::string(8, '\0')) {
  std::string file(8, '\0');
  const uint64_t n = header.size();
  std::memcpy(file.data(), &n, 8);
  return file + header + data;
}

// The message decode_safetensors throws for a file, or "" if it accepts it.
std::string refusal(const std::string& file) {
  try {
    io::decode_safetensors(file, "t.safetensors");
  } catch (const std::runtime_error& e) {
    return e.what();
  }
  return "";
}

TEST(Safetensors, RoundTripKeepsNamesShapesValuesAndMetadata) {
  io::SafeTensors f;
  Tensor<float> t = Tensor<float>::from(Shape{2, 3}, {1, 2, 3, 4, 5, -6.5f});
  f.tensors["layer.weight"] = io::to_safetensor(t);
  f.tensors["scalar"] = io::to_safetensor(Tensor<float>::scalar(7));
  f.tensors["rng"] = io::to_safetensor_u64({1, 2, UINT64_MAX});
  f.metadata["epoch"] = "12";
  f.metadata["name with \"quotes\" and é"] = "value\nwith a newline";
  const std::string path = temp_path("roundtrip.safetensors");
  io::save_safetensors(path, f);
  for (const auto& entry : fs::directory_iterator(fs::path(path).parent_path()))
    EXPECT_EQ(entry.path().filename().string().find(".tmp"), std::string::npos) << entry.path();
  io::SafeTensors g = io::load_safetensors(path);
  EXPECT_EQ(io::to_float_tensor(g.tensors.at("layer.weight"), "w").to_vector(), t.to_vector());
  EXPECT_EQ(io::to_float_tensor(g.tensors.at("scalar"), "s").shape(), Shape{});
  EXPECT_EQ(io::to_u64_vector(g.tensors.at("rng"), "rng")[2], UINT64_MAX);
  EXPECT_EQ(g.metadata, f.metadata);
}

// A file assembled byte by byte from the specification (as PyTorch's safetensors.torch.save_file would
// write it), not by our encoder: N (u64 LE), JSON header, data.
TEST(Safetensors, ReadsAFileBuiltByHandFromTheSpec) {
  const std::string header =
      R"({"b":{"dtype":"F32","shape":[2],"data_offsets":[4,12]},"a":{"dtype":"F32","shape":[],"data_offsets":[0,4]},"__metadata__":{"format":"pt"}})";
  const float a = 0.5f, b[2] = {-1.0f, 3.25f};
  std::string data(reinterpret_cast<const char*>(&a), 4);
  data.append(reinterpret_cast<const char*>(b), 8);
  io::SafeTensors f = io::decode_safetensors(with_header(header, data), "hand.safetensors");
  EXPECT_EQ(io::to_float_tensor(f.tensors.at("a"), "a").item(), 0.5f);
  EXPECT_EQ(io::to_float_tensor(f.tensors.at("b"), "b").to_vector(), (std::vector<float>{-1.0f, 3.25f}));
  EXPECT_EQ(f.metadata.at("format"), "pt");
  // An empty tensor with a large dimension is valid: [0, 1000] holds no bytes.
  EXPECT_EQ(refusal(with_header(R"({"e":{"dtype":"F32","shape":[0,1000],"data_offsets":[0,0]}})", "")), "");
}

TEST(Safetensors, CorruptFilesAreCleanErrors) {
  io::SafeTensors f;
  f.tensors["w"] = io::to_safetensor(Tensor<float>::from(Shape{2}, {1, 2}));
  const std::string good = io::encode_safetensors(f);
  for (size_t n = 0; n < good.size(); ++n)  // every truncation
    EXPECT_THROW(io::decode_safetensors(good.substr(0, n), "t.safetensors"), std::runtime_error) << n;
  std::string lying = good;
  lying[0] = static_cast<char>(0xff);  // header length beyond the file
  EXPECT_THROW(io::decode_safetensors(lying, "t.safetensors"), std::runtime_error);
  EXPECT_THROW(io::decode_safetensors(good + "extra", "t.safetensors"), std::runtime_error);
}

// Numbers in a header are the spec's unsigned integers: anything else is refused, naming the field.
TEST(Safetensors, ShapesAndOffsetsMustBeUnsignedIntegers) {
  const std::string tail = R"(,"data_offsets":[0,8]}})";
  for (const char* shape : {"[1.5]", "[-2]", "[2e0]", "[\"2\"]", "[null]", "[true]", "[18446744073709551616]"}) {
    const std::string m = refusal(with_header(std::string(R"({"w":{"dtype":"F32","shape":)") + shape + tail));
    EXPECT_NE(m.find("t.safetensors"), std::string::npos) << shape << ": " << m;
    EXPECT_NE(m.find("tensor w"), std::string::npos) << shape << ": " << m;
  }
  for (const char* shape : {"[0x1]", "[NaN]", "[inf]", "[Infinity]", "[01]"})  // not JSON at all
    EXPECT_NE(refusal(with_header(std::string(R"({"w":{"dtype":"F32","shape":)") + shape + tail)).find("invalid JSON"),
              std::string::npos) << shape;
  for (const char* offsets : {"[0.0,8]", "[0,8.5]", "[-1,8]", "[0]", "[0,8,9]", "[8,0]", "[0,16]"})
    EXPECT_NE(refusal(with_header(std::string(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":)") + offsets + "}}")), "")
        << offsets;
  EXPECT_EQ(refusal(with_header(R"({"w":{"dtype":"F32","shape":[2],"data_offsets":[0,8]}})")), "");  // the control
}

TEST(Safetensors, AShapeWhoseByteCountOverflowsIsRefused) {
  // 2^32 x 2^32 x 4 bytes wraps to 0 in 64 bits: with an unchecked multiply it would "match" an empty tensor.
  const std::string m = refusal(with_header(R"({"w":{"dtype":"F32","shape":[4294967296,4294967296],"data_offsets":[0,0]}})", ""));
  EXPECT_NE(m.find("more than 2^64"), std::string::npos) << m;
  const std::string huge = refusal(with_header(R"({"w":{"dtype":"U8","shape":[9223372036854775808],"data_offsets":[0,0]}})", ""));
  EXPECT_NE(huge.find("too large"), std::string::npos) << huge;
}

TEST(Safetensors, DuplicateKeysAndInvalidUtf8AreRefused) {
  const std::string dup = refusal(with_header(
      R"({"w":{"dtype":"U8","shape":[4],"data_offsets":[0,4]},"w":{"dtype":"U8","shape":[4],"data_offsets":[4,8]}})"));
  EXPECT_NE(dup.find("key \"w\" appears twice"), std::string::npos) << dup;
  const std::string inner = refusal(with_header(R"({"w":{"dtype":"U8","dtype":"F32","shape":[8],"data_offsets":[0,8]}})"));
  EXPECT_NE(inner.find("\"dtype\" appears twice"), std::string::npos) << inner;
  const std::string bad_utf8 = refusal(with_header("{\"w\xff\":{\"dtype\":\"U8\",\"shape\":[8],\"data_offsets\":[0,8]}}"));
  EXPECT_NE(bad_utf8.find("invalid JSON"), std::string::npos) << bad_utf8;
  EXPECT_NE(bad_utf8.find("UTF-8"), std::string::npos) << bad_utf8;
  const std::string meta = refusal(with_header(R"({"__metadata__":{"a":1},"w":{"dtype":"U8","shape":[8],"data_offsets":[0,8]}})"));
  EXPECT_NE(meta.find("__metadata__.a is 1, expected a string"), std::string::npos) << meta;
}

TEST(Json, DeepNestingIsRefusedNotRecursedInto) {
  const std::string deep = std::string(100000, '[') + std::string(100000, ']');
  try {
    io::parse_json(deep, "deep.json");
    FAIL() << "accepted 100,000 levels";
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("deep.json: invalid JSON: nested more than 64 levels"), std::string::npos) << e.what();
  }
  EXPECT_NO_THROW(io::parse_json(std::string(60, '[') + std::string(60, ']'), "ok.json"));
}

TEST(Json, ErrorsNameTheFileAndThePlace) {
  try {
    io::parse_json("{\"a\": 1,}", "summary.json");
    FAIL();
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find("summary.json: invalid JSON"), std::string::npos) << m;
    EXPECT_NE(m.find("column 9"), std::string::npos) << m;
  }
  EXPECT_EQ(io::json_quote("a\"b\\c\n"), R"("a\"b\\c\n")");
}

TEST(Sha256, MatchesTheStandardsExamples) {  // FIPS 180-4 / NIST example values
  EXPECT_EQ(io::sha256_hex(""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  EXPECT_EQ(io::sha256_hex("abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
  EXPECT_EQ(io::sha256_hex("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"),
            "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
  EXPECT_EQ(io::sha256_hex(std::string(1000000, 'a')), "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
}

TEST(ReadFile, OnlyRegularFilesUnderTheCap) {
  const std::string dir = test::fresh_temp_dir("read-file");
  auto message = [](const std::string& path, uint64_t cap) {
    try {
      io::read_file(path, cap);
    } catch (const std::runtime_error& e) {
      return std::string(e.what());
    }
    return std::string();
  };
  EXPECT_NE(message(dir, 100).find(dir + ": is a folder, expected a regular file"), std::string::npos);
  fs::create_symlink("/dev/zero", dir + "/zero.safetensors");
  EXPECT_NE(message(dir + "/zero.safetensors", 100).find("is a device, expected a regular file"), std::string::npos);
  ASSERT_EQ(::mkfifo((dir + "/fifo").c_str(), 0600), 0);
  EXPECT_NE(message(dir + "/fifo", 100).find("not a regular file"), std::string::npos);  // and it did not hang
  io::write_file_atomically(dir + "/big", std::string(101, 'x'));
  EXPECT_NE(message(dir + "/big", 100).find("is 101 bytes, more than the 100"), std::string::npos);
  EXPECT_EQ(io::read_file(dir + "/big", 101), std::string(101, 'x'));
  EXPECT_NE(message(dir + "/missing", 100).find("cannot open"), std::string::npos);
}

TEST(AtomicFile, ReplacesWholeAndLeavesNoTemporary) {
  const std::string dir = test::fresh_temp_dir("atomic"), path = dir + "/atomic.txt";
  io::write_file_atomically(path, "old");
  io::write_file_atomically(path, "new contents");
  EXPECT_EQ(io::read_file(path), "new contents");
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
  EXPECT_THROW(io::write_file_atomically("/nonexistent-dir/x", "y"), std::runtime_error);
}

// Two writers of one file (two runs on one folder, say) never share a temporary file: both succeed, and the
// file ends as one of the two versions, whole.
TEST(AtomicFile, ConcurrentWritersNeverCollide) {
  const std::string dir = test::fresh_temp_dir("atomic-race"), path = dir + "/shared.txt";
  const std::string a(200000, 'a'), b(300000, 'b');
  std::atomic<int> failures{0};
  auto writer = [&](const std::string& text) {
    for (int i = 0; i < 50; ++i) try {
        io::write_file_atomically(path, text);
      } catch (const std::exception&) {
        ++failures;
      }
  };
  std::thread t1(writer, a), t2(writer, b);
  t1.join();
  t2.join();
  EXPECT_EQ(failures.load(), 0);
  const std::string end = io::read_file(path);
  EXPECT_TRUE(end == a || end == b);
  EXPECT_EQ(std::distance(fs::directory_iterator(dir), fs::directory_iterator{}), 1);
}

TEST(Csv, ReadsNumbersAndNamesWhatIsWrong) {
  const std::string dir = test::fresh_temp_dir("csv");
  io::write_file_atomically(dir + "/ok.csv", "a,b\n1,2.5\n3,\n");
  const io::Csv csv = io::read_csv(dir + "/ok.csv");
  EXPECT_EQ(csv.column("b")[0], 2.5);
  EXPECT_TRUE(std::isnan(csv.column("b")[1]));
  EXPECT_THROW(csv.column("c"), std::runtime_error);
  io::write_file_atomically(dir + "/short.csv", "a,b\n1,2\n3\n");
  EXPECT_THROW(io::read_csv(dir + "/short.csv"), std::runtime_error);
  io::write_file_atomically(dir + "/word.csv", "a,b\n1,x2\n");
  try {
    io::read_csv(dir + "/word.csv");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("line 2, column b: \"x2\" is not a number"), std::string::npos) << e.what();
  }
  // A column named as text keeps its words; the others are still checked as numbers.
  const io::Csv text = io::read_csv(dir + "/word.csv", {"b"});
  EXPECT_EQ(text.text_column("b"), std::vector<std::string>{"x2"});
  EXPECT_EQ(text.column("a")[0], 1);
  EXPECT_THROW(text.text_column("a"), std::runtime_error);
  EXPECT_THROW(io::read_csv(dir + "/word.csv", {"c"}), std::runtime_error);
}

TEST(Checkpoint, LoadingIntoAnotherArchitectureListsEveryMismatch) {
  Rng rng(1);
  nn::Mlp<float> small({4, 3, 2}, nn::Activation::Relu, rng), other({4, 5, 2}, nn::Activation::Relu, rng);
  const std::string path = temp_path("arch.safetensors");
  nn::save_parameters(path, small.parameters());
  try {
    nn::load_parameters(path, other.parameters());
    FAIL() << "expected a mismatch";
  } catch (const std::runtime_error& e) {
    const std::string m = e.what();
    EXPECT_NE(m.find(path), std::string::npos) << m;
    EXPECT_NE(m.find("0.weight is [4, 3], expected [4, 5]"), std::string::npos) << m;
    EXPECT_NE(m.find("1.weight is [3, 2], expected [5, 2]"), std::string::npos) << m;
  }
  nn::Mlp<float> same({4, 3, 2}, nn::Activation::Relu, rng);
  nn::load_parameters(path, same.parameters());
  EXPECT_EQ(same.parameters()[0].var.value().to_vector(), small.parameters()[0].var.value().to_vector());
}

TEST(Checkpoint, NonFiniteParametersAreRefusedByName) {
  Rng rng(1);
  nn::Mlp<float> model({4, 3, 2}, nn::Activation::Relu, rng);
  io::SafeTensors f;
  nn::put_parameters(f, "", model.parameters());
  const float nan = NAN;
  std::memcpy(f.tensors.at("1.bias").bytes.data() + 4, &nan, 4);
  try {
    nn::take_parameters(f, "", model.parameters(), "nan.safetensors");
    FAIL();
  } catch (const std::runtime_error& e) {
    EXPECT_NE(std::string(e.what()).find("nan.safetensors: checkpoint does not match the model: 1.bias holds a non-finite value at element 1"),
              std::string::npos) << e.what();
  }
}

}  // namespace
}  // namespace tg
