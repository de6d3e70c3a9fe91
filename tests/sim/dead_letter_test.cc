// Dead-letter queues: RedrivePolicy and RedriveAllowPolicy validation, the
// hand-off to the DLQ during ReceiveMessage, and ListDeadLetterSourceQueues,
// as AWS "Using dead-letter queues in Amazon SQS" (sqs-dead-letter-queues.html),
// "Setting-up dead-letter queue retention in Amazon SQS"
// (setting-up-dead-letter-queue-retention.html) and the API Reference
// describe them, and as AWS was observed to behave where they are silent.

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::HasSubstr;
using ::testing::IsEmpty;
using ::testing::Pair;
using ::testing::SizeIs;

constexpr char kUrlPrefix[] = "https://sqs.us-east-1.amazonaws.com/123456789012/";
// SimulatorOptions::start_time in epoch milliseconds.

std::string UrlOf(const std::string& name) { return kUrlPrefix + name; }

std::string AllowByQueue(const std::vector<std::string>& source_names) {
  std::string arns;
  for (const std::string& name : source_names) {
    if (!arns.empty()) arns += ",";
    arns += "\"" + ArnOf(name) + "\"";
  }
  return R"({"redrivePermission":"byQueue","sourceQueueArns":[)" + arns + "]}";
}

class DeadLetterTest : public SimulatorTest {
 protected:
  Status SetAttribute(const std::string& url, const std::string& name, const std::string& value) {
    return sim_->SetQueueAttributes({.queue_url = url, .attributes = {{name, value}}}).status();
  }

  Status SetRedrive(const std::string& value) {
    return SetAttribute(source_, "RedrivePolicy", value);
  }

  // Makes `source_` hand messages to `dlq_` after `max_receive_count` receives.
  void ConnectDeadLetterQueue(int max_receive_count) {
    ASSERT_THAT(SetRedrive(Redrive("orders-dlq", max_receive_count)), IsOk());
  }

  // A receive that also selects every user message attribute.
  std::vector<Message> ReceiveWithAttributes(const std::string& url) {
    auto received = sim_->ReceiveMessage({.queue_url = url,
                                          .message_system_attribute_names = {"All"},
                                          .message_attribute_names = {"All"},
                                          .max_number_of_messages = 10,
                                          .wait_time_seconds = 0});
    EXPECT_THAT(received, IsOk());
    return received.ok() ? received->messages : std::vector<Message>{};
  }

  std::vector<std::string> SourceUrls(const std::string& dlq_url) {
    auto listed = sim_->ListDeadLetterSourceQueues({.queue_url = dlq_url});
    EXPECT_THAT(listed, IsOk());
    return listed.ok() ? listed->queue_urls : std::vector<std::string>{};
  }

  std::string source_ = MakeQueue("orders");
  std::string dlq_ = MakeQueue("orders-dlq");
};

// ---- RedrivePolicy validation ---------------------------------------------------

TEST_F(DeadLetterTest, RedrivePolicyIsEchoedWithMaxReceiveCountAsNumber) {
  ASSERT_THAT(SetRedrive(Redrive("orders-dlq", 5)), IsOk());
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"),
            R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:123456789012:orders-dlq",)"
            R"("maxReceiveCount":5})");
}

// Whether SQS echoes a string maxReceiveCount as a string or a number is
// not documented by AWS; the simulator normalises to a number.
TEST_F(DeadLetterTest, MaxReceiveCountAsNumericStringIsAccepted) {
  ASSERT_THAT(SetRedrive(R"({"deadLetterTargetArn":")" + ArnOf("orders-dlq") +
                         R"(","maxReceiveCount":"5"})"),
              IsOk());
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), Redrive("orders-dlq", 5));
}

TEST_F(DeadLetterTest, MalformedRedrivePolicyIsInvalidParameterValue) {
  for (const std::string value : {"{not json", "[]", R"("a string")", "5"}) {
    EXPECT_THAT(SetRedrive(value), StatusIs(ErrorCode::kInvalidParameterValue,
                                            HasSubstr("for parameter RedrivePolicy is invalid.")))
        << value;
  }
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), "<absent>");
}

TEST_F(DeadLetterTest, RedrivePolicyWithoutDeadLetterTargetArnIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(R"({"maxReceiveCount":5})"), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, RedrivePolicyWithoutMaxReceiveCountIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(R"({"deadLetterTargetArn":")" + ArnOf("orders-dlq") + "\"}"),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, NonNumericMaxReceiveCountIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(R"({"deadLetterTargetArn":")" + ArnOf("orders-dlq") +
                         R"(","maxReceiveCount":"five"})"),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

// The 1..1000 range is enforced by tooling; the AWS API Reference does not state it.
TEST_F(DeadLetterTest, MaxReceiveCountOneAndOneThousandAreAccepted) {
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 1)), IsOk());
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 1000)), IsOk());
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), Redrive("orders-dlq", 1000));
}

TEST_F(DeadLetterTest, MaxReceiveCountZeroIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 0)), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, MaxReceiveCountOverOneThousandIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 1001)), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, MissingDeadLetterTargetIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(Redrive("no-such-queue", 3)), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), "<absent>");
}

TEST_F(DeadLetterTest, DeadLetterTargetInAnotherAccountIsInvalidParameterValue) {
  EXPECT_THAT(SetRedrive(R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:210987654321:)"
                         R"(orders-dlq","maxReceiveCount":3})"),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, FifoTargetForStandardSourceIsInvalidParameterValue) {
  auto fifo =
      sim_->CreateQueue({.queue_name = "orders-dlq.fifo", .attributes = {{"FifoQueue", "true"}}});
  ASSERT_THAT(fifo, IsOk());
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq.fifo", 3)),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), "<absent>");
}

TEST_F(DeadLetterTest, StandardTargetForFifoSourceIsInvalidParameterValue) {
  auto fifo =
      sim_->CreateQueue({.queue_name = "orders.fifo", .attributes = {{"FifoQueue", "true"}}});
  ASSERT_THAT(fifo, IsOk());
  EXPECT_THAT(SetAttribute(fifo->queue_url, "RedrivePolicy", Redrive("orders-dlq", 3)),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, EmptyRedrivePolicyRemovesIt) {
  ConnectDeadLetterQueue(3);
  ASSERT_THAT(SetRedrive(""), IsOk());
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), "<absent>");
}

TEST_F(DeadLetterTest, CreateQueueValidatesRedrivePolicyTarget) {
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "other",
                                 .attributes = {{"RedrivePolicy", Redrive("no-such-queue", 3)}}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->GetQueueUrl({.queue_name = "other"}), StatusIs(ErrorCode::kQueueDoesNotExist));
}

TEST_F(DeadLetterTest, CreateQueueWithRedrivePolicyConnectsDeadLetterQueue) {
  auto created = sim_->CreateQueue(
      {.queue_name = "other", .attributes = {{"RedrivePolicy", Redrive("orders-dlq", 3)}}});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(Attribute(created->queue_url, "RedrivePolicy"), Redrive("orders-dlq", 3));
}

// ---- RedriveAllowPolicy ---------------------------------------------------------
// The error for a source the DLQ's RedriveAllowPolicy refuses is not
// documented by AWS; sqsim uses the likely one, InvalidParameterValue.

TEST_F(DeadLetterTest, DenyAllRefusesEverySource) {
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"),
              IsOk());
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 3)), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(source_, "RedrivePolicy"), "<absent>");
}

TEST_F(DeadLetterTest, AllowAllAdmitsEverySource) {
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", R"({"redrivePermission":"allowAll"})"),
              IsOk());
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 3)), IsOk());
}

TEST_F(DeadLetterTest, ByQueueAdmitsListedSource) {
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", AllowByQueue({"orders"})), IsOk());
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 3)), IsOk());
}

TEST_F(DeadLetterTest, ByQueueRefusesUnlistedSource) {
  MakeQueue("billing");
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", AllowByQueue({"billing"})), IsOk());
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 3)), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, ByQueueRefusesUnlistedSourceAtCreate) {
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", AllowByQueue({"orders"})), IsOk());
  EXPECT_THAT(sim_->CreateQueue({.queue_name = "billing",
                                 .attributes = {{"RedrivePolicy", Redrive("orders-dlq", 3)}}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, ByQueueAcceptsTenSourceArns) {
  std::vector<std::string> names;
  for (int i = 0; i < 10; ++i) names.push_back("source" + std::to_string(i));
  EXPECT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", AllowByQueue(names)), IsOk());
}

TEST_F(DeadLetterTest, ByQueueWithMoreThanTenSourceArnsIsInvalidParameterValue) {
  std::vector<std::string> names;
  for (int i = 0; i < 11; ++i) names.push_back("source" + std::to_string(i));
  EXPECT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", AllowByQueue(names)),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_EQ(Attribute(dlq_, "RedriveAllowPolicy"), "<absent>");
}

TEST_F(DeadLetterTest, ByQueueWithoutSourceArnsIsInvalidParameterValue) {
  EXPECT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", R"({"redrivePermission":"byQueue"})"),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, SourceArnsWithoutByQueueAreInvalidParameterValue) {
  EXPECT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy",
                           R"({"redrivePermission":"allowAll","sourceQueueArns":[")" +
                               ArnOf("orders") + "\"]}"),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, UnknownRedrivePermissionIsInvalidParameterValue) {
  EXPECT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", R"({"redrivePermission":"maybe"})"),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(DeadLetterTest, EmptyRedriveAllowPolicyRemovesIt) {
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", R"({"redrivePermission":"denyAll"})"),
              IsOk());
  ASSERT_THAT(SetAttribute(dlq_, "RedriveAllowPolicy", ""), IsOk());
  EXPECT_EQ(Attribute(dlq_, "RedriveAllowPolicy"), "<absent>");
  EXPECT_THAT(SetRedrive(Redrive("orders-dlq", 3)), IsOk());
}

// ---- The hand-off during ReceiveMessage -------------------------------------------

TEST_F(DeadLetterTest, SecondReceiveMovesMessageWithMaxReceiveCountOne) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  EXPECT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  EXPECT_EQ(Attribute(source_, "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute(source_, "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "1");
}

TEST_F(DeadLetterTest, MessageIsDeliveredMaxReceiveCountTimesBeforeMoving) {
  ConnectDeadLetterQueue(3);
  Send(source_, "poison");
  for (int i = 1; i <= 3; ++i) {
    auto received = Receive(source_, 10, /*visibility=*/0);
    ASSERT_THAT(received, SizeIs(1)) << "receive " << i;
    EXPECT_EQ(received[0].attributes.at("ApproximateReceiveCount"), std::to_string(i));
  }
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "0");
  EXPECT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "1");
}

TEST_F(DeadLetterTest, MessageMovesOnReceiveAfterVisibilityTimeoutExpires) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_), SizeIs(1));  // queue default: 30 s
  sim_->RunFor(30s);
  EXPECT_THAT(Receive(source_), IsEmpty());
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "1");
}

TEST_F(DeadLetterTest, MessageAtLimitStaysInSourceUntilSomeoneReceives) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  sim_->RunFor(1h);
  EXPECT_EQ(Attribute(source_, "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "0");
}

TEST_F(DeadLetterTest, ReceiveThatMovesOneMessageStillReturnsOthers) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  Send(source_, "healthy");
  auto received = Receive(source_, 10);
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_EQ(received[0].body, "healthy");
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "1");
}

TEST_F(DeadLetterTest, DeletedMessageNeverMoves) {
  ConnectDeadLetterQueue(1);
  Send(source_, "handled");
  auto received = Receive(source_, 10, /*visibility=*/0);
  ASSERT_THAT(received, SizeIs(1));
  ASSERT_THAT(
      sim_->DeleteMessage({.queue_url = source_, .receipt_handle = received[0].receipt_handle}),
      IsOk());
  EXPECT_THAT(Receive(source_), IsEmpty());
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "0");
}

TEST_F(DeadLetterTest, MovedMessageKeepsMessageIdBodyAndAttributes) {
  ConnectDeadLetterQueue(1);
  const MessageAttributeMap attributes = {
      {"color", {.string_value = "red", .data_type = "String"}},
      {"size", {.string_value = "42", .data_type = "Number"}},
      {"raw", {.binary_value = std::string("\x00\x01", 2), .data_type = "Binary"}}};
  const std::string trace = "Root=1-5759e988-bd862e3fe1be46a994272793;Sampled=1";
  auto sent =
      sim_->SendMessage({.queue_url = source_,
                         .message_body = "poison body",
                         .message_attributes = attributes,
                         .message_system_attributes = {
                             {"AWSTraceHeader", {.string_value = trace, .data_type = "String"}}}});
  ASSERT_THAT(sent, IsOk());
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());

  auto moved = ReceiveWithAttributes(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].message_id, sent->message_id);
  EXPECT_EQ(moved[0].body, "poison body");
  EXPECT_EQ(moved[0].md5_of_body, sent->md5_of_message_body);
  EXPECT_EQ(moved[0].message_attributes, attributes);
  EXPECT_EQ(moved[0].md5_of_message_attributes, sent->md5_of_message_attributes);
  EXPECT_EQ(moved[0].attributes.at("AWSTraceHeader"), trace);
}

TEST_F(DeadLetterTest, MovedMessageKeepsItsReceiveCount) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("ApproximateReceiveCount"), "2");
}

TEST_F(DeadLetterTest, MovedMessageCarriesDeadLetterQueueSourceArn) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("DeadLetterQueueSourceArn"), ArnOf("orders"));
}

TEST_F(DeadLetterTest, MessageNeverMovedHasNoDeadLetterQueueSourceArn) {
  Send(source_, "plain");
  auto received = Receive(source_);
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_FALSE(received[0].attributes.contains("DeadLetterQueueSourceArn"));
}

TEST_F(DeadLetterTest, MovedMessageKeepsSentTimestamp) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  sim_->RunFor(5s);
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  auto moved = Receive(dlq_);
  ASSERT_THAT(moved, SizeIs(1));
  EXPECT_EQ(moved[0].attributes.at("SentTimestamp"), std::to_string(kStartMillis));
}

// Standard queues: retention in the DLQ still counts from the original send
// (AWS "Setting-up dead-letter queue retention in Amazon SQS").
TEST_F(DeadLetterTest, MovedMessageRetentionCountsFromOriginalSend) {
  ASSERT_THAT(SetAttribute(dlq_, "MessageRetentionPeriod", "60"), IsOk());
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  sim_->RunFor(40s);
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());
  sim_->RunFor(19s);
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "1");
  sim_->RunFor(1s);  // 60 s after the original send
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "0");
  EXPECT_THAT(Receive(dlq_), IsEmpty());
}

TEST_F(DeadLetterTest, RemovingRedrivePolicyStopsTheHandOff) {
  ConnectDeadLetterQueue(1);
  Send(source_, "poison");
  ASSERT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  ASSERT_THAT(SetRedrive(""), IsOk());
  EXPECT_THAT(Receive(source_, 10, /*visibility=*/0), SizeIs(1));
  EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "0");
}

// ---- ListDeadLetterSourceQueues ------------------------------------------------

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesListsSourcesInNameOrder) {
  MakeQueue("zeta", {{"RedrivePolicy", Redrive("orders-dlq", 3)}});
  MakeQueue("alpha", {{"RedrivePolicy", Redrive("orders-dlq", 3)}});
  MakeQueue("other-dlq");
  MakeQueue("unrelated", {{"RedrivePolicy", Redrive("other-dlq", 3)}});
  EXPECT_THAT(SourceUrls(dlq_), ElementsAre(UrlOf("alpha"), UrlOf("zeta")));
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesOfQueueWithoutSourcesIsEmpty) {
  auto listed = sim_->ListDeadLetterSourceQueues({.queue_url = dlq_});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, IsEmpty());
  EXPECT_FALSE(listed->next_token.has_value());
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesDropsSourceWhosePolicyWasRemoved) {
  ConnectDeadLetterQueue(3);
  ASSERT_THAT(SourceUrls(dlq_), ElementsAre(source_));
  ASSERT_THAT(SetRedrive(""), IsOk());
  EXPECT_THAT(SourceUrls(dlq_), IsEmpty());
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesPagesWithMaxResults) {
  for (const char* name : {"a", "b", "c"}) {
    MakeQueue(name, {{"RedrivePolicy", Redrive("orders-dlq", 3)}});
  }
  auto first = sim_->ListDeadLetterSourceQueues({.queue_url = dlq_, .max_results = 2});
  ASSERT_THAT(first, IsOk());
  EXPECT_THAT(first->queue_urls, ElementsAre(UrlOf("a"), UrlOf("b")));
  ASSERT_TRUE(first->next_token.has_value());
  auto second = sim_->ListDeadLetterSourceQueues(
      {.queue_url = dlq_, .next_token = first->next_token, .max_results = 2});
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(second->queue_urls, ElementsAre(UrlOf("c")));
  EXPECT_FALSE(second->next_token.has_value());
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesGivesNoTokenWithoutMaxResults) {
  for (const char* name : {"a", "b", "c"}) {
    MakeQueue(name, {{"RedrivePolicy", Redrive("orders-dlq", 3)}});
  }
  auto listed = sim_->ListDeadLetterSourceQueues({.queue_url = dlq_});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, SizeIs(3));
  EXPECT_FALSE(listed->next_token.has_value());
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesWithoutMaxResultsReturnsAtMostOneThousand) {
  for (int i = 0; i < 1001; ++i) {
    MakeQueue("source" + std::to_string(10000 + i), {{"RedrivePolicy", Redrive("orders-dlq", 3)}});
  }
  auto listed = sim_->ListDeadLetterSourceQueues({.queue_url = dlq_});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, SizeIs(1000));
  EXPECT_FALSE(listed->next_token.has_value());
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesMaxResultsOutsideRangeIsInvalidParameterValue) {
  EXPECT_THAT(sim_->ListDeadLetterSourceQueues({.queue_url = dlq_, .max_results = 0}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->ListDeadLetterSourceQueues({.queue_url = dlq_, .max_results = 1001}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(sim_->ListDeadLetterSourceQueues({.queue_url = dlq_, .max_results = 1000}), IsOk());
}

TEST_F(DeadLetterTest, ListDeadLetterSourceQueuesOfUnknownQueueIsQueueDoesNotExist) {
  EXPECT_THAT(sim_->ListDeadLetterSourceQueues({.queue_url = UrlOf("nope")}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

// ---- Redrive cycles ---------------------------------------------------------------

// SQS documents no rule against a queue naming itself, or a queue that names
// it back, as its dead-letter queue, and no error for it, so sqsim accepts
// both (sqsim-server's --config file is stricter: there such a reference is
// a mistake in the file). A queue that is its own DLQ keeps delivering its
// messages: a hand-off to the same queue would change nothing.
TEST_F(DeadLetterTest, QueueMayBeItsOwnDeadLetterQueueAndKeepsDeliveringItsMessages) {
  ASSERT_THAT(SetRedrive(Redrive("orders", 1)), IsOk());
  Send(source_, "m");
  for (int receive = 1; receive <= 3; ++receive) {
    const std::vector<Message> got = Receive(source_, 1, /*visibility=*/0);
    ASSERT_THAT(got, SizeIs(1)) << "receive " << receive;
    EXPECT_EQ(got[0].attributes.at("ApproximateReceiveCount"), std::to_string(receive));
  }
}

// In a two-queue cycle a message past the count moves on each receive that
// reaches it, keeping its receive count; it is never lost or duplicated, and
// no receive loops.
TEST_F(DeadLetterTest, TwoQueueRedriveCycleMovesAMessageBackAndForthWithoutLosingIt) {
  ConnectDeadLetterQueue(1);
  ASSERT_THAT(SetAttribute(dlq_, "RedrivePolicy", Redrive("orders", 1)), IsOk());
  Send(source_, "m");
  ASSERT_THAT(Receive(source_, 1, /*visibility=*/0), SizeIs(1));
  for (int round = 0; round < 3; ++round) {
    EXPECT_THAT(Receive(source_, 10, /*visibility=*/0), IsEmpty());  // moved to the DLQ
    EXPECT_EQ(Attribute(dlq_, "ApproximateNumberOfMessages"), "1");
    EXPECT_THAT(Receive(dlq_, 10, /*visibility=*/0), IsEmpty());  // moved back
    EXPECT_EQ(Attribute(source_, "ApproximateNumberOfMessages"), "1");
  }
}

}  // namespace
}  // namespace sqsim
