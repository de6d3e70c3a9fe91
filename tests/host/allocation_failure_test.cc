// What the engine does when memory runs out in the middle of a call.
//
// sqsim-server answers a request that hits std::bad_alloc with 500
// InternalFailure, which SDKs retry; for that to be safe the engine must not
// be left half-changed. Each test below sweeps one operation through every
// allocation it makes: the operation runs with allocation n refused, for
// n = 0, 1, 2, ... until it completes, each time on a fresh host built the
// same way, and after every refusal the queues are drained to check that
// no stored message was lost, duplicated or stranded (off the ready heap,
// never to be delivered again), and that a send either stored its message
// exactly once or not at all.

#include <algorithm>
#include <map>
#include <memory>
#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "host/host.h"
#include "support/failing_allocations.h"

namespace sqsim::internal::allocation_failure_test {
namespace {

using ::sqsim::testing::FailingAllocations;

constexpr Timestamp kStart = Timestamp(std::chrono::seconds(1767225600));

// Bodies and how often each is stored; equal maps, equal contents.
using Contents = std::map<std::string, int>;

struct World {
  std::unique_ptr<Host> host = Host::Create(SimulatorOptions::Exact(11)).value();
  Timestamp now = kStart;
  std::map<std::string, std::string> urls;  // name -> URL

  std::string Create(const std::string& name, QueueAttributeMap attributes = {}) {
    auto created = host->Call(
        CreateQueueRequest{.queue_name = name, .attributes = std::move(attributes)}, now);
    EXPECT_TRUE(created.ok()) << created.status().ToString();
    urls[name] = created.ok() ? created->queue_url : "";
    return urls[name];
  }
  void Send(const std::string& name, const std::string& body, std::string group = "") {
    SendMessageRequest request{.queue_url = urls.at(name), .message_body = body};
    if (!group.empty()) {
      request.message_group_id = group;
      request.message_deduplication_id = body;
    }
    auto sent = host->Call(request, now);
    EXPECT_TRUE(sent.ok()) << sent.status().ToString();
  }
  Result<ReceiveMessageResponse> Receive(const std::string& name, int max) {
    LongPoll poll = host->StartReceive(
        {.queue_url = urls.at(name), .max_number_of_messages = max, .wait_time_seconds = 0}, now);
    return host->Finish(poll, now);
  }

  // Receives and deletes everything the queues hold, well after every
  // visibility timeout has run out, and returns the bodies seen. A message
  // a failed call stranded would be missing here.
  Contents Drain() {
    now += std::chrono::hours(1);
    Contents bodies;
    // A pass may only move messages to a dead-letter queue it has already
    // visited: stop after two passes in a row that received nothing.
    int empty_passes = 0;
    while (empty_passes < 2) {
      bool any = false;
      for (const auto& [name, url] : urls) {
        auto received = Receive(name, 10);
        EXPECT_TRUE(received.ok()) << received.status().ToString();
        if (!received.ok()) return bodies;
        for (const Message& m : received->messages) {
          ++bodies[m.body];
          any = true;
          auto deleted = host->Call(
              DeleteMessageRequest{.queue_url = url, .receipt_handle = m.receipt_handle}, now);
          EXPECT_TRUE(deleted.ok()) << deleted.status().ToString();
        }
      }
      empty_passes = any ? 0 : empty_passes + 1;
    }
    return bodies;
  }
};

// Runs `op` on a fresh world from `setup` with allocation n refused, for
// every n until `op` completes, and hands each world to `check` with whether
// `op` failed. Returns how many runs failed (the test expects some: an
// operation that never allocates would test nothing).
template <typename Setup, typename Op, typename Check>
int SweepAllocationFailures(Setup setup, Op op, Check check) {
  for (int64_t n = 0; n < 10000; ++n) {
    World world;
    setup(world);
    bool failed = false;
    {
      FailingAllocations failing(n);
      try {
        op(world);
      } catch (const std::bad_alloc&) {
        failed = true;
      }
    }
    SCOPED_TRACE("allocation " + std::to_string(n) + " refused");
    check(world, failed);
    if (!failed) return static_cast<int>(n);
  }
  ADD_FAILURE() << "the operation never completed";
  return 0;
}

Contents Plus(Contents contents, const std::vector<std::string>& bodies) {
  for (const std::string& body : bodies) ++contents[body];
  return contents;
}

const Contents kThree = {{"a", 1}, {"b", 1}, {"c", 1}};

// A standard queue "q" holding kThree.
void ThreeInAQueue(World& w) {
  w.Create("q");
  for (const char* body : {"a", "b", "c"}) w.Send("q", body);
}

TEST(AllocationFailure, StandardSendStoresTheMessageOnceOrNotAtAll) {
  const int failures = SweepAllocationFailures(
      ThreeInAQueue,
      [](World& w) {
        auto sent = w.host->Call(
            SendMessageRequest{
                .queue_url = w.urls["q"],
                .message_body = "new",
                .message_attributes = {{"k", {.string_value = "v", .data_type = "String"}}}},
            w.now);
        ASSERT_TRUE(sent.ok());
      },
      [](World& w, bool failed) {
        const Contents drained = w.Drain();
        if (failed) {
          EXPECT_TRUE(drained == kThree || drained == Plus(kThree, {"new"}));
        } else {
          EXPECT_EQ(drained, Plus(kThree, {"new"}));
        }
      });
  EXPECT_GT(failures, 5);
}

// The deduplication record and the message are stored together: a retry
// after a failure never finds a record of a message that was not stored.
TEST(AllocationFailure, FifoSendRetriedAfterAFailureIsStoredExactlyOnce) {
  const auto setup = [](World& w) {
    w.Create("q.fifo", {{"FifoQueue", "true"}});
    for (const char* body : {"a", "b", "c"}) w.Send("q.fifo", body, "g1");
  };
  const SendMessageRequest send{.queue_url = "",
                                .message_body = "new",
                                .message_deduplication_id = "d-new",
                                .message_group_id = "g2"};
  const int failures = SweepAllocationFailures(
      setup,
      [&](World& w) {
        SendMessageRequest request = send;
        request.queue_url = w.urls["q.fifo"];
        ASSERT_TRUE(w.host->Call(request, w.now).ok());
      },
      [&](World& w, bool failed) {
        if (failed) {
          SendMessageRequest retry = send;
          retry.queue_url = w.urls["q.fifo"];
          auto sent = w.host->Call(retry, w.now);
          EXPECT_TRUE(sent.ok()) << sent.status().ToString();
        }
        EXPECT_EQ(w.Drain(), Plus(kThree, {"new"}));
      });
  EXPECT_GT(failures, 5);
}

// Entries are independent: a failure stores a prefix of the batch, each
// entry at most once, and never disturbs what was stored before.
TEST(AllocationFailure, BatchSendStoresAPrefixOfItsEntries) {
  const int failures = SweepAllocationFailures(
      ThreeInAQueue,
      [](World& w) {
        auto sent =
            w.host->Call(SendMessageBatchRequest{.queue_url = w.urls["q"],
                                                 .entries = {{.id = "1", .message_body = "x"},
                                                             {.id = "2", .message_body = "y"},
                                                             {.id = "3", .message_body = "z"}}},
                         w.now);
        ASSERT_TRUE(sent.ok());
      },
      [](World& w, bool failed) {
        const Contents drained = w.Drain();
        const std::vector<Contents> allowed = {
            kThree, Plus(kThree, {"x"}), Plus(kThree, {"x", "y"}), Plus(kThree, {"x", "y", "z"})};
        if (failed) {
          EXPECT_NE(std::find(allowed.begin(), allowed.end(), drained), allowed.end());
        } else {
          EXPECT_EQ(drained, allowed.back());
        }
      });
  EXPECT_GT(failures, 5);
}

// A receive that fails halfway returns what it had taken: every message is
// still delivered later, exactly once.
TEST(AllocationFailure, StandardReceiveLeavesEveryMessageDeliverable) {
  const auto setup = [](World& w) {
    w.Create("q", {{"VisibilityTimeout", "30"}});
    for (const char* body : {"a", "b", "c", "d", "e"}) w.Send("q", body);
  };
  const int failures = SweepAllocationFailures(
      setup, [](World& w) { ASSERT_TRUE(w.Receive("q", 10).ok()); },
      [](World& w, bool) {
        EXPECT_EQ(w.Drain(), Plus(kThree, {"d", "e"}));
      });
  EXPECT_GT(failures, 5);
}

// Receives that hand messages to a dead-letter queue: each message ends up
// in exactly one of the two queues, whatever allocation fails.
TEST(AllocationFailure, DeadLetterMovesLoseAndDuplicateNothing) {
  for (const bool fifo : {false, true}) {
    SCOPED_TRACE(fifo ? "FIFO" : "standard");
    const std::string source = fifo ? "q.fifo" : "q";
    const std::string dlq = fifo ? "dlq.fifo" : "dlq";
    const auto setup = [&](World& w) {
      QueueAttributeMap dlq_attributes;
      if (fifo) dlq_attributes["FifoQueue"] = "true";
      w.Create(dlq, dlq_attributes);
      QueueAttributeMap attributes = {
          {"VisibilityTimeout", "5"},
          {"RedrivePolicy", R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:)" + dlq +
                                R"(","maxReceiveCount":1})"}};
      if (fifo) attributes["FifoQueue"] = "true";
      w.Create(source, attributes);
      for (const char* body : {"a", "b", "c"}) w.Send(source, body, fifo ? body : "");
      // Each message received once: the next receive moves it to the DLQ.
      auto first = w.Receive(source, 10);
      EXPECT_TRUE(first.ok() && first->messages.size() == 3);
      w.now += std::chrono::seconds(10);
    };
    const int failures = SweepAllocationFailures(
        setup, [&](World& w) { ASSERT_TRUE(w.Receive(source, 10).ok()); },
        [](World& w, bool) { EXPECT_EQ(w.Drain(), kThree); });
    EXPECT_GT(failures, 5);
  }
}

// A move task moves messages one at a time as time passes; a failure in the
// middle leaves each message in exactly one queue.
TEST(AllocationFailure, MoveTasksLoseAndDuplicateNothing) {
  const auto setup = [](World& w) {
    w.Create("dlq");
    w.Create("q", {{"VisibilityTimeout", "5"},
                   {"RedrivePolicy",
                    R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:dlq",)"
                    R"("maxReceiveCount":1})"}});
    for (const char* body : {"a", "b", "c"}) w.Send("dlq", body);
    auto started = w.host->Call(
        StartMessageMoveTaskRequest{.source_arn = "arn:aws:sqs:us-east-1:123456789012:dlq",
                                    .destination_arn = "arn:aws:sqs:us-east-1:123456789012:q"},
        w.now);
    EXPECT_TRUE(started.ok()) << started.status().ToString();
  };
  const int failures = SweepAllocationFailures(
      setup,
      [](World& w) {
        // Long enough for the task to move all three.
        w.now += std::chrono::seconds(60);
        ASSERT_TRUE(w.host->Call(ListQueuesRequest{}, w.now).ok());
      },
      [](World& w, bool) { EXPECT_EQ(w.Drain(), kThree); });
  EXPECT_GT(failures, 5);
}

}  // namespace
}  // namespace sqsim::internal::allocation_failure_test
