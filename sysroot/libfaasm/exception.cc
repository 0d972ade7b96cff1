// This file implements the C++ exception entry points that Debian's wasm32
// libc++abi leaves out (it is built without exceptions).
//
// clang 19 compiles try/catch for wasm32-wasi without -fwasm-exceptions: a
// throw becomes a call to __cxa_allocate_exception and __cxa_throw, and catch
// blocks are dropped (they can never run). So a throw can only end the
// program. We make it end like a native uncaught exception does, as one
// line naming the dynamic type and, for a std::exception, its what(), and
// exit code 134 (what a shell reports for a native abort), through the
// faasm.fatal host import. The host prefixes the message with "faasm:" and
// the module name, so `faasm run app.wasm` prints
//
//   faasm: app.wasm: uncaught C++ exception of type std::runtime_error: what(): boom
//
// libc++ itself is built with -fno-exceptions: where it would throw
// (std::vector::at, std::stoi) it calls __libcpp_verbose_abort, a weak
// function we override below to end the same way, with the same message a
// throw of that exception would give.
//
// Known gaps: std::make_exception_ptr (needs __cxa_init_primary_exception)
// does not link; catch blocks never run. Real exceptions need clang >= 20 and
// a libc++abi built with -fwasm-exceptions.

#include <faasm/host_faasm.h>

#include <__verbose_abort>
#include <exception>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <typeinfo>

extern "C" char *__cxa_demangle(const char *mangled, char *buf, size_t *len, int *status);

namespace {

// Exit code of a program ended by an uncaught exception (128 + SIGABRT).
const int32_t kAbortExitCode = 134;

// Itanium C++ ABI RTTI layouts (https://itanium-cxx-abi.github.io/cxx-abi/abi.html#rtti).
// Every type_info starts with a vtable pointer and the mangled name; the
// vtable pointer says which of these layouts follows.
struct si_class_type_info {
  const void *vptr;
  const char *name;
  const std::type_info *base;
};

struct base_class_type_info {
  const std::type_info *base_type;
  long offset_flags; // offset << 8 | flags
};

enum { kVirtualMask = 0x1, kPublicMask = 0x2, kOffsetShift = 8 };

struct vmi_class_type_info {
  const void *vptr;
  const char *name;
  unsigned int flags;
  unsigned int base_count;
  base_class_type_info base_info[1];
};

// Types whose typeid() shows each layout's vtable pointer. We compare
// vtable pointers instead of calling virtual functions on a type_info, so a
// thrown int or pointer is never treated as a class.
struct SingleBase : std::exception {};
struct LeftBase {};
struct RightBase {};
struct MultiBase : LeftBase, RightBase {};

const void *vptr_of(const std::type_info &t) { return *reinterpret_cast<const void *const *>(&t); }

bool same_type(const std::type_info *a, const std::type_info *b) {
  // Static linking gives one type_info per type, but compare names too, as
  // libc++abi does, in case a type_info was duplicated.
  return a == b || strcmp(a->name(), b->name()) == 0;
}

// find_exception returns the address of the std::exception subobject of obj
// (whose dynamic type is t) or NULL when t has no public std::exception base.
const std::exception *find_exception(const std::type_info *t, const void *obj, int depth) {
  if (depth > 64) {
    return nullptr;
  }
  if (same_type(t, &typeid(std::exception))) {
    return static_cast<const std::exception *>(obj);
  }
  const void *vptr = vptr_of(*t);
  if (vptr == vptr_of(typeid(SingleBase))) {
    // A single, public, non-virtual base at offset zero.
    const si_class_type_info *si = reinterpret_cast<const si_class_type_info *>(t);
    return find_exception(si->base, obj, depth + 1);
  }
  if (vptr == vptr_of(typeid(MultiBase))) {
    const vmi_class_type_info *vmi = reinterpret_cast<const vmi_class_type_info *>(t);
    for (unsigned int i = 0; i < vmi->base_count; i++) {
      const base_class_type_info &b = vmi->base_info[i];
      if (!(b.offset_flags & kPublicMask)) {
        continue;
      }
      long offset = b.offset_flags >> kOffsetShift;
      if (b.offset_flags & kVirtualMask) {
        // The offset locates the virtual base offset in obj's vtable.
        const char *vtable = *static_cast<const char *const *>(obj);
        offset = *reinterpret_cast<const long *>(vtable + offset);
      }
      const std::exception *e =
          find_exception(b.base_type, static_cast<const char *>(obj) + offset, depth + 1);
      if (e != nullptr) {
        return e;
      }
    }
  }
  // Class types without bases, fundamental types, pointers, enums, ...
  return nullptr;
}

[[noreturn]] void fatal(const char *msg) {
  __faasm_fatal(msg, static_cast<uint32_t>(strlen(msg)), kAbortExitCode);
}

// Header we put before every exception object, so __cxa_free_exception can
// find the allocation. 16 bytes keeps the object 16-byte aligned, which the
// ABI requires of exception objects.
const size_t kHeaderSize = 16;

} // namespace

extern "C" {

void *__cxa_allocate_exception(size_t size) throw() {
  char *p = static_cast<char *>(aligned_alloc(16, (kHeaderSize + size + 15) & ~size_t(15)));
  if (p == nullptr) {
    fatal("out of memory allocating a C++ exception");
  }
  memset(p, 0, kHeaderSize + size);
  return p + kHeaderSize;
}

void __cxa_free_exception(void *obj) throw() {
  if (obj != nullptr) {
    free(static_cast<char *>(obj) - kHeaderSize);
  }
}

[[noreturn]] void __cxa_throw(void *obj, std::type_info *tinfo, void (*)(void *)) {
  static char msg[1024];
  int status = -1;
  char *demangled = __cxa_demangle(tinfo->name(), nullptr, nullptr, &status);
  const char *type = status == 0 && demangled != nullptr ? demangled : tinfo->name();
  const std::exception *e = find_exception(tinfo, obj, 0);
  if (e != nullptr) {
    snprintf(msg, sizeof msg, "uncaught C++ exception of type %s: what(): %s", type, e->what());
  } else {
    snprintf(msg, sizeof msg, "uncaught C++ exception of type %s", type);
  }
  fatal(msg);
}

// Catch blocks are never entered (see the file comment), so the functions
// below are only reachable from code clang keeps for them; they exist so
// every C++ program links.

[[noreturn]] void __cxa_rethrow() { fatal("C++ rethrow with no exception being handled"); }

void *__cxa_begin_catch(void *obj) throw() { return obj; }

void __cxa_end_catch() {}

void *__cxa_get_exception_ptr(void *obj) throw() { return obj; }

std::type_info *__cxa_current_exception_type() { return nullptr; }

} // extern "C"

_LIBCPP_BEGIN_NAMESPACE_STD

// libc++'s message is "<name> was thrown in -fno-exceptions mode with
// message \"<what>\"" for its internal throws; anything else (assertions)
// is printed as it is.
void __libcpp_verbose_abort(char const *format, ...) {
  static char text[768];
  static char msg[1024];
  va_list ap;
  va_start(ap, format);
  vsnprintf(text, sizeof text, format, ap);
  va_end(ap);
  const char *marker = " was thrown in -fno-exceptions mode with message \"";
  const char *m = strstr(text, marker);
  size_t len = strlen(text);
  if (m != nullptr && len > 0 && text[len - 1] == '"') {
    text[len - 1] = 0;
    int name_len = static_cast<int>(m - text);
    snprintf(msg, sizeof msg, "uncaught C++ exception of type std::%.*s: what(): %s", name_len, text,
             m + strlen(marker));
  } else {
    while (len > 0 && text[len - 1] == '\n') {
      text[--len] = 0;
    }
    snprintf(msg, sizeof msg, "libc++: %s", text);
  }
  fatal(msg);
}

_LIBCPP_END_NAMESPACE_STD
