// A host that loads a module the way Asterisk, FreeSWITCH and Kamailio do: dlopen, dlsym, call.
#include <dlfcn.h>

#include <cstdio>

int main() {
    void* module = ::dlopen(MODULE_PATH, RTLD_NOW | RTLD_LOCAL);
    if (module == nullptr) {
        std::fprintf(stderr, "dlopen failed: %s\n", ::dlerror());
        return 10;
    }
    using Run = int (*)();
    auto* run = reinterpret_cast<Run>(::dlsym(module, "calltrack_module_run"));
    if (run == nullptr) {
        std::fprintf(stderr, "dlsym calltrack_module_run failed: %s\n", ::dlerror());
        return 11;
    }
#if CALLTRACK_INSIDE_MODULE
    // calltrack::version_string(): API, but linked statically into the module it stays hidden
    // there, so two modules with two calltrack versions cannot clash.
    if (::dlsym(module, "_ZN9calltrack14version_stringEv") != nullptr) {
        std::fprintf(stderr, "the module exports calltrack's symbols\n");
        return 12;
    }
#endif
    const int status = run();
    std::printf("module %s loaded with dlopen; calltrack_module_run() returned %d\n", MODULE_PATH,
                status);
    ::dlclose(module);
    return status;
}
