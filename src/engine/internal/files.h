#pragma once

// File system steps of publishing: exclusive product locks, durable writes, atomic renames.

#include <cstdint>
#include <string>

#include "common/result.h"

namespace tessera::engine::internal {

// An exclusive advisory lock on a file (flock). Released on destruction, and by the kernel when
// the process dies, so a kill -9 never leaves a product locked.
class FileLock {
public:
    // kAborted when another process holds it.
    static Result<FileLock> TryAcquire(const std::string& path);
    FileLock(FileLock&& o) noexcept : fd_(o.fd_) { o.fd_ = -1; }
    FileLock& operator=(FileLock&&) = delete;
    FileLock(const FileLock&) = delete;
    ~FileLock();

private:
    explicit FileLock(int fd) : fd_(fd) {}
    int fd_ = -1;
};

// fsyncs every file in `dir` and `dir` itself.
Status SyncTree(const std::string& dir);
// fsyncs a directory (after a rename inside it).
Status SyncDir(const std::string& dir);
// Total size of the regular files in `dir`.
int64_t TreeBytes(const std::string& dir);

}  // namespace tessera::engine::internal
