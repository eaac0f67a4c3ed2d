#pragma once

// A SQLite VFS that forwards to the default one and fails a chosen I/O call: the n-th read,
// write, sync or lock from the moment it is armed, once or from then on, or a disk that fills up
// at the n-th write. Registered as the default VFS while a FaultyVfs object lives, so that
// SqliteStore, which opens with the default VFS, runs on it unchanged.
//
//     FaultyVfs vfs;
//     vfs.arm(IoFault::sync, 3, FaultyVfs::Mode::from_then_on);
//     ... commits fail from the third sync on ...
//     vfs.disarm();
//
// One at a time per process: it is the default VFS while it lives.

#include <sqlite3.h>

#include <array>
#include <cstddef>
#include <cstdint>
#include <stdexcept>
#include <string_view>

namespace calltrack::testing {

enum class IoFault : std::uint8_t { read, write, sync, lock, full_disk };
inline constexpr std::array<IoFault, 5> all_io_faults = {
    IoFault::read, IoFault::write, IoFault::sync, IoFault::lock, IoFault::full_disk};

inline std::string_view to_string(IoFault f) {
    switch (f) {
        case IoFault::read:
            return "read";
        case IoFault::write:
            return "write";
        case IoFault::sync:
            return "sync";
        case IoFault::lock:
            return "lock";
        case IoFault::full_disk:
            return "full disk";
    }
    return "?";
}

class FaultyVfs {
  public:
    enum class Mode : std::uint8_t { once, from_then_on };

    FaultyVfs() {
        real_ = sqlite3_vfs_find(nullptr);
        if (real_ == nullptr || instance() != nullptr) throw std::logic_error("FaultyVfs: no");
        vfs_ = *real_;
        vfs_.zName = "calltrack-faulty";
        vfs_.szOsFile = static_cast<int>(sizeof(File)) + real_->szOsFile;
        vfs_.pNext = nullptr;
        vfs_.pAppData = this;
        vfs_.xOpen = &FaultyVfs::open;
        instance() = this;
        if (sqlite3_vfs_register(&vfs_, 1) != SQLITE_OK) throw std::logic_error("FaultyVfs: reg");
    }
    ~FaultyVfs() {
        sqlite3_vfs_unregister(&vfs_);
        sqlite3_vfs_register(real_, 1);
        instance() = nullptr;
    }
    FaultyVfs(const FaultyVfs&) = delete;
    FaultyVfs& operator=(const FaultyVfs&) = delete;

    /// From now, the n-th call of that kind (1: the next) fails; with from_then_on, every later
    /// one too. A full disk fails writes with SQLITE_FULL from the n-th on.
    void arm(IoFault fault, std::uint64_t n, Mode mode) {
        fault_ = fault;
        fail_at_ = n;
        mode_ = fault == IoFault::full_disk ? Mode::from_then_on : mode;
        counts_ = {};
        injected_ = 0;
        armed_ = true;
    }
    void disarm() { armed_ = false; }
    /// Counts calls of every kind (as arm() does) without failing any.
    void count_only() { arm(IoFault::read, 0, Mode::once); }
    /// Calls of `kind` since the last arm() or count_only().
    std::uint64_t calls(IoFault kind) const { return counts_[index(kind)]; }
    /// Calls failed since the last arm().
    std::uint64_t injected() const { return injected_; }

  private:
    struct File {
        sqlite3_file base;
        sqlite3_file* real;
    };

    static FaultyVfs*& instance() {
        static FaultyVfs* v = nullptr;
        return v;
    }
    static std::size_t index(IoFault f) {
        // A full disk counts as writes.
        return static_cast<std::size_t>(f == IoFault::full_disk ? IoFault::write : f);
    }
    static sqlite3_file* real(sqlite3_file* f) { return reinterpret_cast<File*>(f)->real; }

    /// Counts a call of `kind`; true when it is to fail.
    bool fails(IoFault kind) {
        if (!armed_) return false;
        const auto n = ++counts_[index(kind)];
        if (fail_at_ == 0 || index(kind) != index(fault_)) return false;
        const bool hit = mode_ == Mode::once ? n == fail_at_ : n >= fail_at_;
        if (hit) ++injected_;
        return hit;
    }
    static FaultyVfs& self() { return *instance(); }

    static int open(sqlite3_vfs* vfs, const char* name, sqlite3_file* file, int flags,
                    int* out_flags) {
        auto* me = static_cast<FaultyVfs*>(vfs->pAppData);
        auto* f = reinterpret_cast<File*>(file);
        f->real = reinterpret_cast<sqlite3_file*>(f + 1);
        const int rc = me->real_->xOpen(me->real_, name, f->real, flags, out_flags);
        // A file whose open failed has no methods, so SQLite does not close it.
        f->base.pMethods = rc == SQLITE_OK && f->real->pMethods != nullptr ? &methods() : nullptr;
        return rc;
    }

    static int close(sqlite3_file* f) { return real(f)->pMethods->xClose(real(f)); }
    static int read(sqlite3_file* f, void* out, int amount, sqlite3_int64 offset) {
        if (self().fails(IoFault::read)) return SQLITE_IOERR_READ;
        return real(f)->pMethods->xRead(real(f), out, amount, offset);
    }
    static int write(sqlite3_file* f, const void* data, int amount, sqlite3_int64 offset) {
        if (self().fails(IoFault::write)) {
            return self().fault_ == IoFault::full_disk ? SQLITE_FULL : SQLITE_IOERR_WRITE;
        }
        return real(f)->pMethods->xWrite(real(f), data, amount, offset);
    }
    static int truncate(sqlite3_file* f, sqlite3_int64 size) {
        return real(f)->pMethods->xTruncate(real(f), size);
    }
    static int sync(sqlite3_file* f, int flags) {
        if (self().fails(IoFault::sync)) return SQLITE_IOERR_FSYNC;
        return real(f)->pMethods->xSync(real(f), flags);
    }
    static int file_size(sqlite3_file* f, sqlite3_int64* size) {
        return real(f)->pMethods->xFileSize(real(f), size);
    }
    static int lock(sqlite3_file* f, int level) {
        if (self().fails(IoFault::lock)) return SQLITE_IOERR_LOCK;
        return real(f)->pMethods->xLock(real(f), level);
    }
    static int unlock(sqlite3_file* f, int level) {
        return real(f)->pMethods->xUnlock(real(f), level);
    }
    static int check_reserved_lock(sqlite3_file* f, int* out) {
        return real(f)->pMethods->xCheckReservedLock(real(f), out);
    }
    static int file_control(sqlite3_file* f, int op, void* arg) {
        return real(f)->pMethods->xFileControl(real(f), op, arg);
    }
    static int sector_size(sqlite3_file* f) { return real(f)->pMethods->xSectorSize(real(f)); }
    static int device_characteristics(sqlite3_file* f) {
        return real(f)->pMethods->xDeviceCharacteristics(real(f));
    }
    static int shm_map(sqlite3_file* f, int region, int size, int extend, void volatile** out) {
        return real(f)->pMethods->xShmMap(real(f), region, size, extend, out);
    }
    static int shm_lock(sqlite3_file* f, int offset, int n, int flags) {
        // The WAL's locks are the shared-memory locks: a failure to take one counts as a lock.
        if ((flags & SQLITE_SHM_LOCK) != 0 && self().fails(IoFault::lock)) {
            return SQLITE_IOERR_SHMLOCK;
        }
        return real(f)->pMethods->xShmLock(real(f), offset, n, flags);
    }
    static void shm_barrier(sqlite3_file* f) { real(f)->pMethods->xShmBarrier(real(f)); }
    static int shm_unmap(sqlite3_file* f, int delete_flag) {
        return real(f)->pMethods->xShmUnmap(real(f), delete_flag);
    }
    static int fetch(sqlite3_file* f, sqlite3_int64 offset, int amount, void** out) {
        return real(f)->pMethods->xFetch(real(f), offset, amount, out);
    }
    static int unfetch(sqlite3_file* f, sqlite3_int64 offset, void* p) {
        return real(f)->pMethods->xUnfetch(real(f), offset, p);
    }

    static const sqlite3_io_methods& methods() {
        static const sqlite3_io_methods m = {3,
                                             &close,
                                             &read,
                                             &write,
                                             &truncate,
                                             &sync,
                                             &file_size,
                                             &lock,
                                             &unlock,
                                             &check_reserved_lock,
                                             &file_control,
                                             &sector_size,
                                             &device_characteristics,
                                             &shm_map,
                                             &shm_lock,
                                             &shm_barrier,
                                             &shm_unmap,
                                             &fetch,
                                             &unfetch};
        return m;
    }

    sqlite3_vfs* real_ = nullptr;
    sqlite3_vfs vfs_{};
    IoFault fault_ = IoFault::read;
    std::uint64_t fail_at_ = 0;
    Mode mode_ = Mode::once;
    std::array<std::uint64_t, 4> counts_{};
    std::uint64_t injected_ = 0;
    bool armed_ = false;
};

}  // namespace calltrack::testing
