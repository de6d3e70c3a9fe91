// The replaceable global allocation functions of the test binary (C++
// [new.delete]): plain malloc and free, except that a thread armed by a
// FailingAllocations throws std::bad_alloc once its allowance is spent.
// Every unaligned form is replaced, the nothrow ones too (the standard
// library's temporary buffers, as std::stable_sort takes them, allocate with
// nothrow new and free with plain delete: a library nothrow new under a
// replaced delete is a mismatch AddressSanitizer reports). The aligned
// forms keep the library's own pairs (nothing in sqsim uses them).

#include "support/failing_allocations.h"

#include <cstdlib>
#include <new>

namespace {

// -1: not armed. Otherwise the allocations still allowed on this thread.
thread_local int64_t allowed_allocations = -1;
thread_local bool refused_allocation = false;

void* Allocate(std::size_t size) {
  if (allowed_allocations == 0) {
    refused_allocation = true;
    throw std::bad_alloc();
  }
  if (allowed_allocations > 0) --allowed_allocations;
  if (void* p = std::malloc(size == 0 ? 1 : size)) return p;
  throw std::bad_alloc();
}

void* AllocateOrNull(std::size_t size) noexcept {
  try {
    return Allocate(size);
  } catch (const std::bad_alloc&) {
    return nullptr;
  }
}

}  // namespace

void* operator new(std::size_t size) { return Allocate(size); }
void* operator new(std::size_t size, const std::nothrow_t&) noexcept {
  return AllocateOrNull(size);
}
void* operator new[](std::size_t size, const std::nothrow_t&) noexcept {
  return AllocateOrNull(size);
}
void operator delete(void* p, const std::nothrow_t&) noexcept { std::free(p); }
void operator delete[](void* p, const std::nothrow_t&) noexcept { std::free(p); }
void* operator new[](std::size_t size) { return Allocate(size); }
void operator delete(void* p) noexcept { std::free(p); }
void operator delete[](void* p) noexcept { std::free(p); }
void operator delete(void* p, std::size_t) noexcept { std::free(p); }
void operator delete[](void* p, std::size_t) noexcept { std::free(p); }

namespace sqsim::testing {

FailingAllocations::FailingAllocations(int64_t allowed) {
  allowed_allocations = allowed;
  refused_allocation = false;
}

FailingAllocations::~FailingAllocations() { allowed_allocations = -1; }

bool FailingAllocations::refused() const { return refused_allocation; }

}  // namespace sqsim::testing
