// RapidCheck generators of symbolic operation sequences (operations.h).
//
// Values come from small sets so that sequences collide often: five queues,
// six bodies, three FIFO groups, five deduplication ids, a handful of
// visibility timeouts around the interesting boundaries. Shrinking removes
// operations and moves values toward the first element of each set, so a
// failure shrinks to a short sequence of plain operations.

#ifndef SQSIM_TESTS_MODEL_GENERATORS_H_
#define SQSIM_TESTS_MODEL_GENERATORS_H_

#include <chrono>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <rapidcheck.h>

#include "model/operations.h"

namespace sqsim::model {

// RapidCheck prints generated operations with this (found by ADL).
inline void showValue(const Operation& op, std::ostream& os) { os << Describe(op); }

namespace gens {

// `value` with probability about 1/`one_in`, else nullopt.
template <typename T>
rc::Gen<std::optional<T>> Maybe(rc::Gen<T> value, int one_in = 3) {
  return rc::gen::exec([value, one_in]() -> std::optional<T> {
    if (*rc::gen::inRange(0, one_in) != 0) return std::nullopt;
    return *value;
  });
}

inline rc::Gen<int> QueueIndex() { return rc::gen::inRange(0, kQueuePoolSize); }

inline rc::Gen<AttributeSpec> Attributes(int queue) {
  return rc::gen::exec([queue] {
    AttributeSpec a;
    a.visibility_timeout = *Maybe(rc::gen::element(0, 1, 5, 30, 43201), 4);
    a.delay_seconds = *Maybe(rc::gen::element(0, 2, 5, 901), 5);
    a.message_retention_period = *Maybe(rc::gen::element(60, 120, 345600, 59), 6);
    if (*rc::gen::inRange(0, 3) == 0) {
      RedriveSpec r;
      r.target = *rc::gen::inRange(-1, kQueuePoolSize);
      if (r.target == queue) r.target = (queue + 1) % kQueuePoolSize;  // never its own DLQ
      r.max_receive_count = *rc::gen::element(1, 2, 3);
      a.redrive = r;
    }
    // ContentBasedDeduplication is FIFO-only; now and then try it on a standard queue.
    if (*rc::gen::inRange(0, IsFifoIndex(queue) ? 3 : 15) == 0) {
      a.content_based_deduplication = *rc::gen::arbitrary<bool>();
    }
    return a;
  });
}

inline rc::Gen<SendEntry> Entry(int queue) {
  return rc::gen::exec([queue] {
    SendEntry e;
    e.body = *rc::gen::weightedElement<int>({{30, 0}, {30, 1}, {20, 2}, {10, 3}, {5, 4}, {1, -1}});
    if (IsFifoIndex(queue)) {
      if (*rc::gen::inRange(0, 20) != 0) e.group = *rc::gen::element<std::string>("g1", "g2", "g3");
      if (*rc::gen::inRange(0, 3) != 0) {
        e.dedup = *rc::gen::element<std::string>("d0", "d1", "d2", "d3", "d4", "d5", "d6");
      }
      if (*rc::gen::inRange(0, 20) == 0) e.delay_seconds = *rc::gen::element(0, 2);
    } else {
      e.delay_seconds = *Maybe(rc::gen::element(0, 1, 3, 901), 5);
    }
    return e;
  });
}

inline rc::Gen<BatchShape> Shape() {
  return rc::gen::weightedElement<BatchShape>({{40, BatchShape::kValid},
                                               {1, BatchShape::kEmpty},
                                               {1, BatchShape::kTooMany},
                                               {1, BatchShape::kDuplicateIds},
                                               {1, BatchShape::kInvalidId}});
}

inline rc::Gen<int> Back() {
  return rc::gen::weightedElement<int>({{8, 0}, {4, 1}, {2, 2}, {2, 3}, {1, -1}});
}
inline rc::Gen<int> ChangeTimeout() { return rc::gen::element(0, 1, 10, 60, 43200, 43201); }

inline rc::Gen<Operation> Op(const CreateQueueOp&) {
  return rc::gen::exec([]() -> Operation {
    CreateQueueOp o{.queue = *QueueIndex()};
    if (*rc::gen::inRange(0, 2) == 0) o.attributes = *Attributes(o.queue);
    o.omit_fifo_attribute = IsFifoIndex(o.queue) && *rc::gen::inRange(0, 15) == 0;
    if (*rc::gen::inRange(0, 6) == 0) o.tags = {{"team", *rc::gen::element<std::string>("a", "b")}};
    return o;
  });
}

inline rc::Gen<Operation> SendOp() {
  return rc::gen::exec([]() -> Operation {
    const int q = *QueueIndex();
    return SendMessageOp{.queue = q, .entry = *Entry(q)};
  });
}

inline rc::Gen<Operation> SendBatchOp() {
  return rc::gen::exec([]() -> Operation {
    const int q = *QueueIndex();
    SendMessageBatchOp o{.queue = q, .shape = *Shape()};
    const int n = *rc::gen::inRange(1, 5);
    for (int i = 0; i < n; ++i) o.entries.push_back(*Entry(q));
    return o;
  });
}

inline rc::Gen<Operation> ReceiveOp() {
  return rc::gen::exec([]() -> Operation {
    ReceiveMessageOp o{.queue = *QueueIndex()};
    o.max_messages = *rc::gen::weightedElement<int>({{6, 1}, {3, 2}, {3, 3}, {4, 10}});
    o.visibility_timeout = *Maybe(rc::gen::element(0, 1, 5, 30), 2);
    o.wait_seconds = *rc::gen::weightedElement<int>({{10, 0}, {2, 1}, {2, 5}, {1, 20}});
    return o;
  });
}

inline rc::Gen<Operation> AdvanceOp() {
  return rc::gen::exec([]() -> Operation {
    const int ms = *rc::gen::weightedElement<int>({{2, 1},
                                                   {2, 2},
                                                   {1, 500},
                                                   {8, 1000},
                                                   {6, 2000},
                                                   {6, 5000},
                                                   {4, 30000},
                                                   {3, 61000},
                                                   {1, 301000}});
    return AdvanceTimeOp{.duration = std::chrono::milliseconds(ms)};
  });
}

inline rc::Gen<Operation> DeleteOp() {
  return rc::gen::exec([]() -> Operation {
    return DeleteMessageOp{.handle = {.queue = *QueueIndex(), .back = *Back()}};
  });
}

inline rc::Gen<Operation> ChangeOp() {
  return rc::gen::exec([]() -> Operation {
    return ChangeMessageVisibilityOp{.handle = {.queue = *QueueIndex(), .back = *Back()},
                                     .visibility_timeout = *ChangeTimeout()};
  });
}

inline rc::Gen<Operation> DeleteBatchOp() {
  return rc::gen::exec([]() -> Operation {
    DeleteMessageBatchOp o{.queue = *QueueIndex(), .shape = *Shape()};
    const int n = *rc::gen::inRange(1, 4);
    for (int i = 0; i < n; ++i) o.backs.push_back(*Back());
    return o;
  });
}

inline rc::Gen<Operation> ChangeBatchOp() {
  return rc::gen::exec([]() -> Operation {
    ChangeMessageVisibilityBatchOp o{.queue = *QueueIndex(), .shape = *Shape()};
    const int n = *rc::gen::inRange(1, 4);
    for (int i = 0; i < n; ++i) o.entries.emplace_back(*Back(), *ChangeTimeout());
    return o;
  });
}

// Queue management, tags, permissions, listing and move tasks.
inline rc::Gen<Operation> ManagementOp() {
  return rc::gen::weightedOneOf<Operation>({
      {4, Op(CreateQueueOp{})},
      {2, rc::gen::exec([]() -> Operation { return DeleteQueueOp{.queue = *QueueIndex()}; })},
      {1, rc::gen::exec([]() -> Operation { return GetQueueUrlOp{.queue = *QueueIndex()}; })},
      {1, rc::gen::exec([]() -> Operation {
         return ListQueuesOp{.prefix = *rc::gen::element<std::string>("", "q", "f", "q1", "x")};
       })},
      {4, rc::gen::exec([]() -> Operation {
         const int q = *QueueIndex();
         return SetQueueAttributesOp{.queue = q, .attributes = *Attributes(q)};
       })},
      {2, rc::gen::exec([]() -> Operation { return PurgeQueueOp{.queue = *QueueIndex()}; })},
      {1, rc::gen::exec([]() -> Operation {
         return TagQueueOp{.queue = *QueueIndex(),
                           .tags = {{*rc::gen::element<std::string>("k1", "k2"),
                                     *rc::gen::element<std::string>("a", "b")}}};
       })},
      {1, rc::gen::exec([]() -> Operation {
         return UntagQueueOp{.queue = *QueueIndex(),
                             .keys = {*rc::gen::element<std::string>("k1", "k2", "team")}};
       })},
      {1, rc::gen::exec([]() -> Operation { return ListQueueTagsOp{.queue = *QueueIndex()}; })},
      {1, rc::gen::exec([]() -> Operation {
         return AddPermissionOp{.queue = *QueueIndex(),
                                .label = *rc::gen::element<std::string>("L1", "L2")};
       })},
      {1, rc::gen::exec([]() -> Operation {
         return RemovePermissionOp{.queue = *QueueIndex(),
                                   .label = *rc::gen::element<std::string>("L1", "L2")};
       })},
      {1, rc::gen::exec(
              []() -> Operation { return ListDeadLetterSourceQueuesOp{.queue = *QueueIndex()}; })},
      {2, rc::gen::exec([]() -> Operation {
         StartMessageMoveTaskOp o{.source = *QueueIndex()};
         o.destination = *Maybe(QueueIndex(), 3);
         o.rate = *Maybe(rc::gen::element(1, 2, 500, 0), 2);
         return o;
       })},
      {2, rc::gen::exec([]() -> Operation {
         return ListMessageMoveTasksOp{.source = *QueueIndex(),
                                       .max_results = *Maybe(rc::gen::element(1, 2, 10, 11), 3)};
       })},
      {1, rc::gen::exec([]() -> Operation {
         return CancelMessageMoveTaskOp{.back = *rc::gen::element(0, 1, -1)};
       })},
  });
}

// Every action, weighted toward message traffic.
inline rc::Gen<Operation> AnyOp() {
  return rc::gen::weightedOneOf<Operation>({
      {8, ManagementOp()},
      {10, SendOp()},
      {3, SendBatchOp()},
      {10, ReceiveOp()},
      {4, DeleteOp()},
      {2, DeleteBatchOp()},
      {3, ChangeOp()},
      {2, ChangeBatchOp()},
      {3,
       rc::gen::exec([]() -> Operation { return GetQueueAttributesOp{.queue = *QueueIndex()}; })},
      {7, AdvanceOp()},
  });
}

}  // namespace gens
}  // namespace sqsim::model

#endif  // SQSIM_TESTS_MODEL_GENERATORS_H_
