// Makes the calling thread's global operator new fail on purpose, for tests
// of what code does when memory runs out.
//
// The test binary replaces the global operator new and delete
// (failing_allocations.cc). While a FailingAllocations is alive, the
// constructing thread may allocate `allowed` more times; the next operator
// new throws std::bad_alloc, and so does every one after it until the
// object goes away. Other threads are never affected.
//
// A sweep runs an operation with allowed = 0, 1, 2, ... until it no longer
// throws: every allocation it makes has then failed once, in turn.

#ifndef SQSIM_TESTS_SUPPORT_FAILING_ALLOCATIONS_H_
#define SQSIM_TESTS_SUPPORT_FAILING_ALLOCATIONS_H_

#include <cstdint>

namespace sqsim::testing {

class FailingAllocations {
 public:
  explicit FailingAllocations(int64_t allowed);
  ~FailingAllocations();
  FailingAllocations(const FailingAllocations&) = delete;
  FailingAllocations& operator=(const FailingAllocations&) = delete;

  // Whether an allocation was refused while this object was alive.
  bool refused() const;
};

}  // namespace sqsim::testing

#endif  // SQSIM_TESTS_SUPPORT_FAILING_ALLOCATIONS_H_
