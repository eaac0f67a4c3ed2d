#pragma once

// What the multi-process PostgreSQL tests share: the test binary forked into children that each
// open a connection of their own after the fork, report to the parent through a pipe, and end
// with _exit, so that a child never touches the parent's connections or Catch2's state.

#include <calltrack/postgres_store.hpp>

#include <catch2/catch.hpp>

#include <chrono>
#include <cstddef>
#include <memory>
#include <string>

#include <sys/wait.h>
#include <unistd.h>

namespace calltrack::testing::forked {

using Steady = std::chrono::steady_clock;

inline double seconds_since(Steady::time_point start) {
    return std::chrono::duration<double>(Steady::now() - start).count();
}

/// A pipe from the children to the parent, or from the parent to them.
struct Pipe {
    int read_end = -1;
    int write_end = -1;
    Pipe() {
        int fds[2];
        REQUIRE(::pipe(fds) == 0);
        read_end = fds[0];
        write_end = fds[1];
    }
    ~Pipe() {
        if (read_end >= 0) ::close(read_end);
        if (write_end >= 0) ::close(write_end);
    }
    Pipe(const Pipe&) = delete;
    Pipe& operator=(const Pipe&) = delete;
};

inline void write_all(int fd, const void* data, std::size_t size) {
    const char* p = static_cast<const char*>(data);
    while (size > 0) {
        const ssize_t n = ::write(fd, p, size);
        if (n <= 0) return;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
}

inline bool read_all(int fd, void* data, std::size_t size) {
    char* p = static_cast<char*>(data);
    while (size > 0) {
        const ssize_t n = ::read(fd, p, size);
        if (n <= 0) return false;
        p += n;
        size -= static_cast<std::size_t>(n);
    }
    return true;
}

/// Children that start together: each says it is ready and waits; the parent waits for all of
/// them, then lets them go at once, so their work overlaps from its first statement.
struct StartLine {
    Pipe ready;
    Pipe go;
    /// In a child: ready, then waits for the start; false when the parent went away.
    bool wait() {
        const char one = 1;
        write_all(ready.write_end, &one, 1);
        char start = 0;
        return read_all(go.read_end, &start, 1);
    }
    /// In the parent: waits until `children` are ready, lets them go, and says when.
    Steady::time_point start(int children) {
        for (int c = 0; c < children; ++c) {
            char one = 0;
            REQUIRE(read_all(ready.read_end, &one, 1));
        }
        const auto now = Steady::now();
        const std::string signals(static_cast<std::size_t>(children), 'g');
        write_all(go.write_end, signals.data(), signals.size());
        return now;
    }
};

/// Runs `child` in a forked process, which ends with _exit(its return value) whatever happens.
template <class Child>
pid_t fork_child(Child&& child) {
    const pid_t pid = ::fork();
    REQUIRE(pid >= 0);
    if (pid == 0) {
        int code = 100;
        try {
            code = child();
        } catch (...) {
            code = 101;
        }
        ::_exit(code);
    }
    return pid;
}

/// The child's exit code, or minus the signal that ended it.
inline int exit_code_of(pid_t pid) {
    int status = 0;
    REQUIRE(::waitpid(pid, &status, 0) == pid);
    return WIFEXITED(status) ? WEXITSTATUS(status) : -WTERMSIG(status);
}

/// A store on `schema` for a child: null when it cannot open, for the child to exit with a code.
inline std::unique_ptr<PostgresStore> open_store(const std::string& uri,
                                                 const std::string& schema) {
    PostgresOptions options;
    options.schema = schema;
    auto store = PostgresStore::open(uri, options);
    if (!store) return nullptr;
    return std::move(store).value();
}

}  // namespace calltrack::testing::forked
