#include "engine/internal/files.h"

#include <fcntl.h>
#include <sys/file.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>

namespace tessera::engine::internal {

namespace fs = std::filesystem;

Result<FileLock> FileLock::TryAcquire(const std::string& path) {
    std::error_code ec;
    fs::create_directories(fs::path(path).parent_path(), ec);
    int fd = ::open(path.c_str(), O_RDWR | O_CREAT | O_CLOEXEC, 0644);
    if (fd < 0) return Unavailable("cannot open lock file " + path + ": " + std::strerror(errno));
    if (::flock(fd, LOCK_EX | LOCK_NB) != 0) {
        ::close(fd);
        return Aborted("another run holds " + path);
    }
    return FileLock(fd);
}

FileLock::~FileLock() {
    if (fd_ >= 0) {
        ::flock(fd_, LOCK_UN);
        ::close(fd_);
    }
}

namespace {
Status SyncPath(const std::string& path, int flags) {
    int fd = ::open(path.c_str(), flags | O_CLOEXEC);
    if (fd < 0) return Unavailable("cannot open " + path + " to sync it: " + std::strerror(errno));
    int rc = ::fsync(fd);
    int err = errno;
    ::close(fd);
    if (rc != 0) return Unavailable("fsync of " + path + " failed: " + std::strerror(err));
    return Status::Ok();
}
}  // namespace

Status SyncDir(const std::string& dir) { return SyncPath(dir, O_RDONLY | O_DIRECTORY); }

Status SyncTree(const std::string& dir) {
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
        if (entry.is_regular_file()) TESSERA_RETURN_IF_ERROR(SyncPath(entry.path().string(), O_RDONLY));
        else if (entry.is_directory()) TESSERA_RETURN_IF_ERROR(SyncDir(entry.path().string()));
    }
    if (ec) return Unavailable("cannot list " + dir + ": " + ec.message());
    return SyncDir(dir);
}

int64_t TreeBytes(const std::string& dir) {
    int64_t total = 0;
    std::error_code ec;
    for (const auto& entry : fs::recursive_directory_iterator(dir, ec)) {
        if (entry.is_regular_file(ec)) total += static_cast<int64_t>(entry.file_size(ec));
    }
    return total;
}

}  // namespace tessera::engine::internal
