#pragma once

// A fresh directory for a test's files, shared by the SQLite store and program tests.

#include <unistd.h>

#include <atomic>
#include <filesystem>
#include <string>

namespace calltrack::testing {

/// A fresh directory under the system's temporary directory, removed with everything in it.
class TempDir {
  public:
    TempDir() {
        // The process id and a counter make the name unique among live runs; a directory left
        // by a crashed run that had the same process id is cleared first.
        static std::atomic<int> counter{0};
        path_ = std::filesystem::temp_directory_path()
                / ("calltrack-sqlite-" + std::to_string(static_cast<long>(::getpid())) + "-"
                   + std::to_string(counter++));
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
        std::filesystem::create_directories(path_);
    }
    TempDir(const TempDir&) = delete;
    TempDir& operator=(const TempDir&) = delete;
    ~TempDir() {
        std::error_code ignored;
        std::filesystem::remove_all(path_, ignored);
    }
    std::string file(const std::string& name) const { return (path_ / name).string(); }
    const std::filesystem::path& path() const { return path_; }

  private:
    std::filesystem::path path_;
};

}  // namespace calltrack::testing
