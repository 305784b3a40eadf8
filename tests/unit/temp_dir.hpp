// A test's own directory under /tmp, removed with everything in it when the test ends, passed or
// not: the unit tests leave nothing behind.
#pragma once

#include <catch2/catch.hpp>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <string>

namespace kt_test {

class TempDir {
 public:
  explicit TempDir(const std::string& prefix) {
    std::string path = "/tmp/" + prefix + "-XXXXXX";
    REQUIRE(mkdtemp(path.data()));
    path_ = path;
  }
  ~TempDir() {
    std::error_code ec;
    std::filesystem::remove_all(path_, ec);
  }
  TempDir(const TempDir&) = delete;
  TempDir& operator=(const TempDir&) = delete;

  const std::string& path() const { return path_; }

  // Writes `content` to `name` (a path below path(), its directories made) and returns its path.
  std::string File(const std::string& name, const std::string& content) const {
    std::filesystem::path file = std::filesystem::path(path_) / name;
    std::filesystem::create_directories(file.parent_path());
    std::ofstream(file) << content;
    return file.string();
  }

 private:
  std::string path_;
};

}  // namespace kt_test
