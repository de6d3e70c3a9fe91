// Queue lifecycle: CreateQueue (name rules, idempotency), GetQueueUrl,
// ListQueues, DeleteQueue and PurgeQueue, as the AWS API Reference pages of
// these actions describe them.

#include <optional>
#include <string>
#include <vector>

#include "sim/sim_test_util.h"

namespace sqsim {
namespace {

using ::testing::ElementsAre;
using ::testing::Field;
using ::testing::IsEmpty;
using ::testing::SizeIs;

constexpr char kUrlPrefix[] = "https://sqs.us-east-1.amazonaws.com/123456789012/";
constexpr char kNameRuleMessage[] =
    "Can only include alphanumeric characters, hyphens, or underscores. 1 to 80 in length";
constexpr char kDeletedRecentlyMessage[] =
    "You must wait 60 seconds after deleting a queue before you can create another with the same "
    "name.";

std::string UrlOf(const std::string& name) { return kUrlPrefix + name; }

class QueueLifecycleTest : public SimulatorTest {
 protected:
  Result<CreateQueueResponse> Create(const std::string& name, QueueAttributeMap attributes = {}) {
    return sim_->CreateQueue({.queue_name = name, .attributes = std::move(attributes)});
  }

  // Sends one visible, one in-flight (received) and one delayed message.
  void FillWithVisibleInFlightAndDelayed(const std::string& url) {
    Send(url, "will be received");
    ASSERT_THAT(Receive(url, 1), SizeIs(1));
    Send(url, "visible");
    ASSERT_THAT(
        sim_->SendMessage({.queue_url = url, .message_body = "delayed", .delay_seconds = 30}),
        IsOk());
    ASSERT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "1");
    ASSERT_EQ(Attribute(url, "ApproximateNumberOfMessagesNotVisible"), "1");
    ASSERT_EQ(Attribute(url, "ApproximateNumberOfMessagesDelayed"), "1");
  }

  std::vector<std::string> AllQueueUrls() {
    auto listed = sim_->ListQueues({});
    EXPECT_THAT(listed, IsOk());
    return listed.ok() ? listed->queue_urls : std::vector<std::string>{};
  }
};

// ---- CreateQueue: names ---------------------------------------------------

TEST_F(QueueLifecycleTest, CreateReturnsUrlWithRegionAccountAndName) {
  auto created = Create("orders");
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->queue_url, UrlOf("orders"));
}

TEST_F(QueueLifecycleTest, NameOfEightyCharactersIsAccepted) {
  const std::string name(80, 'a');
  EXPECT_THAT(Create(name), IsOk());
}

TEST_F(QueueLifecycleTest, NameOfEightyOneCharactersIsInvalidParameterValue) {
  EXPECT_THAT(Create(std::string(81, 'a')),
              StatusIs(ErrorCode::kInvalidParameterValue, kNameRuleMessage));
}

TEST_F(QueueLifecycleTest, EmptyNameIsMissingParameter) {
  EXPECT_THAT(Create(""), StatusIs(ErrorCode::kMissingParameter,
                                   "The request must contain the parameter QueueName."));
}

TEST_F(QueueLifecycleTest, NameOfOneCharacterIsAccepted) { EXPECT_THAT(Create("a"), IsOk()); }

TEST_F(QueueLifecycleTest, NameWithAlphanumericsHyphensAndUnderscoresIsAccepted) {
  EXPECT_THAT(Create("Az09-_queue"), IsOk());
}

TEST_F(QueueLifecycleTest, NameWithCharacterOutsideCharsetIsInvalidParameterValue) {
  for (const std::string name : {"has space", "has.dot", "has/slash", "has:colon", "na\xC3\xAFve",
                                 "star*", "orders.fifo.fifo"}) {
    EXPECT_THAT(Create(name), StatusIs(ErrorCode::kInvalidParameterValue, kNameRuleMessage))
        << "name: " << name;
  }
  EXPECT_THAT(AllQueueUrls(), IsEmpty());
}

TEST_F(QueueLifecycleTest, NamesAreCaseSensitive) {
  auto lower = Create("test-queue");
  auto upper = Create("Test-queue");
  ASSERT_THAT(lower, IsOk());
  ASSERT_THAT(upper, IsOk());
  EXPECT_NE(lower->queue_url, upper->queue_url);
  EXPECT_THAT(AllQueueUrls(), SizeIs(2));
}

TEST_F(QueueLifecycleTest, FifoSuffixWithoutFifoQueueAttributeIsInvalidParameterValue) {
  EXPECT_THAT(Create("orders.fifo"), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(AllQueueUrls(), IsEmpty());
}

TEST_F(QueueLifecycleTest, FifoQueueAttributeWithoutFifoSuffixIsInvalidParameterValue) {
  EXPECT_THAT(Create("orders", {{"FifoQueue", "true"}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(AllQueueUrls(), IsEmpty());
}

// Observed on AWS (LocalStack's AWS-validated test_fifo_queue_requires_suffix):
// the `.fifo` name and FifoQueue=true go together; either without the other
// is InvalidParameterValue. FifoQueue=false is not FifoQueue=true.
TEST_F(QueueLifecycleTest, FifoSuffixWithFifoQueueFalseIsInvalidParameterValue) {
  EXPECT_THAT(Create("orders.fifo", {{"FifoQueue", "false"}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(AllQueueUrls(), IsEmpty());
}

TEST_F(QueueLifecycleTest, FifoSuffixWithFifoQueueTrueCreatesFifoQueue) {
  auto created = Create("orders.fifo", {{"FifoQueue", "true"}});
  ASSERT_THAT(created, IsOk());
  EXPECT_EQ(created->queue_url, UrlOf("orders.fifo"));
  EXPECT_EQ(Attribute(created->queue_url, "FifoQueue"), "true");
}

TEST_F(QueueLifecycleTest, FifoNameOfEightyCharactersIncludingSuffixIsAccepted) {
  EXPECT_THAT(Create(std::string(75, 'a') + ".fifo", {{"FifoQueue", "true"}}), IsOk());
}

TEST_F(QueueLifecycleTest, FifoNameOfEightyOneCharactersIncludingSuffixIsInvalidParameterValue) {
  EXPECT_THAT(Create(std::string(76, 'a') + ".fifo", {{"FifoQueue", "true"}}),
              StatusIs(ErrorCode::kInvalidParameterValue));
}

// ---- CreateQueue: idempotency ---------------------------------------------

TEST_F(QueueLifecycleTest, CreateWithEqualNamedAttributesReturnsSameUrl) {
  auto first = Create("orders", {{"VisibilityTimeout", "60"}, {"DelaySeconds", "5"}});
  auto second = Create("orders", {{"VisibilityTimeout", "60"}, {"DelaySeconds", "5"}});
  ASSERT_THAT(first, IsOk());
  ASSERT_THAT(second, IsOk());
  EXPECT_EQ(first->queue_url, second->queue_url);
  EXPECT_THAT(AllQueueUrls(), SizeIs(1));
}

TEST_F(QueueLifecycleTest, CreateWithoutAttributesMatchesQueueWithNonDefaultAttributes) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
  EXPECT_THAT(Create("orders"), IsOkAndHolds(Field(&CreateQueueResponse::queue_url, url)));
  EXPECT_EQ(Attribute(url, "VisibilityTimeout"), "60");
}

TEST_F(QueueLifecycleTest, CreateComparesOnlyAttributesNamedInRequest) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}, {"DelaySeconds", "5"}});
  EXPECT_THAT(Create("orders", {{"DelaySeconds", "5"}}),
              IsOkAndHolds(Field(&CreateQueueResponse::queue_url, url)));
}

TEST_F(QueueLifecycleTest, CreateWithDefaultValueMatchesQueueCreatedWithoutIt) {
  const std::string url = MakeQueue("orders");
  EXPECT_THAT(Create("orders", {{"VisibilityTimeout", "30"}}),
              IsOkAndHolds(Field(&CreateQueueResponse::queue_url, url)));
}

TEST_F(QueueLifecycleTest, CreateWithDifferentAttributeValueFailsWithQueueNameExists) {
  MakeQueue("orders", {{"DelaySeconds", "5"}});
  auto again = Create("orders", {{"DelaySeconds", "10"}});
  ASSERT_THAT(again, StatusIs(ErrorCode::kQueueNameExists,
                              "A queue already exists with the same name and a different value "
                              "for attribute DelaySeconds"));
  EXPECT_EQ(again.status().query_code(), "QueueAlreadyExists");
  EXPECT_EQ(again.status().http_status(), 400);
}

TEST_F(QueueLifecycleTest, CreateWithNonDefaultValueOnDefaultQueueFailsWithQueueNameExists) {
  MakeQueue("orders");
  EXPECT_THAT(Create("orders", {{"VisibilityTimeout", "60"}}),
              StatusIs(ErrorCode::kQueueNameExists,
                       "A queue already exists with the same name and a different value for "
                       "attribute VisibilityTimeout"));
}

TEST_F(QueueLifecycleTest, CreateComparesAgainstCurrentValuesAfterSetQueueAttributes) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
  ASSERT_THAT(
      sim_->SetQueueAttributes({.queue_url = url, .attributes = {{"VisibilityTimeout", "45"}}}),
      IsOk());
  EXPECT_THAT(Create("orders", {{"VisibilityTimeout", "45"}}),
              IsOkAndHolds(Field(&CreateQueueResponse::queue_url, url)));
}

TEST_F(QueueLifecycleTest, CreateWithOriginalValueAfterSetQueueAttributesFailsWithQueueNameExists) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
  ASSERT_THAT(
      sim_->SetQueueAttributes({.queue_url = url, .attributes = {{"VisibilityTimeout", "45"}}}),
      IsOk());
  EXPECT_THAT(Create("orders", {{"VisibilityTimeout", "60"}}),
              StatusIs(ErrorCode::kQueueNameExists,
                       "A queue already exists with the same name and a different value for "
                       "attribute VisibilityTimeout"));
}

TEST_F(QueueLifecycleTest, IdempotentCreateKeepsMessages) {
  const std::string url = MakeQueue("orders");
  Send(url, "kept");
  ASSERT_THAT(Create("orders"), IsOk());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "1");
}

// ---- GetQueueUrl ----------------------------------------------------------

TEST_F(QueueLifecycleTest, GetQueueUrlReturnsUrlOfExistingQueue) {
  const std::string url = MakeQueue("orders");
  EXPECT_THAT(sim_->GetQueueUrl({.queue_name = "orders"}),
              IsOkAndHolds(Field(&GetQueueUrlResponse::queue_url, url)));
}

TEST_F(QueueLifecycleTest, GetQueueUrlOfUnknownQueueIsQueueDoesNotExist) {
  MakeQueue("orders");
  auto got = sim_->GetQueueUrl({.queue_name = "Orders"});
  ASSERT_THAT(got, StatusIs(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."));
  EXPECT_EQ(got.status().query_code(), "AWS.SimpleQueueService.NonExistentQueue");
  EXPECT_EQ(got.status().http_status(), 400);
}

TEST_F(QueueLifecycleTest, GetQueueUrlWithOwnAccountIdReturnsUrl) {
  const std::string url = MakeQueue("orders");
  EXPECT_THAT(
      sim_->GetQueueUrl({.queue_name = "orders", .queue_owner_aws_account_id = "123456789012"}),
      IsOkAndHolds(Field(&GetQueueUrlResponse::queue_url, url)));
}

TEST_F(QueueLifecycleTest, GetQueueUrlWithOtherOwnerAccountIdIsQueueDoesNotExist) {
  MakeQueue("orders");
  auto got =
      sim_->GetQueueUrl({.queue_name = "orders", .queue_owner_aws_account_id = "210987654321"});
  ASSERT_THAT(got, StatusIs(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."));
  EXPECT_EQ(got.status().query_code(), "AWS.SimpleQueueService.NonExistentQueue");
}

TEST_F(QueueLifecycleTest, GetQueueUrlWithEmptyNameIsMissingParameter) {
  EXPECT_THAT(sim_->GetQueueUrl({.queue_name = ""}), StatusIs(ErrorCode::kMissingParameter));
}

// ---- QueueUrl parameter ---------------------------------------------------

TEST_F(QueueLifecycleTest, BareQueueNameIsAcceptedAsQueueUrl) {
  MakeQueue("orders");
  ASSERT_THAT(sim_->SendMessage({.queue_url = "orders", .message_body = "by name"}), IsOk());
  EXPECT_EQ(Attribute("orders", "ApproximateNumberOfMessages"), "1");
  EXPECT_EQ(Attribute(UrlOf("orders"), "ApproximateNumberOfMessages"), "1");
}

TEST_F(QueueLifecycleTest, UrlOfAnotherAccountIsQueueDoesNotExist) {
  MakeQueue("orders");
  EXPECT_THAT(sim_->GetQueueAttributes(
                  {.queue_url = "https://sqs.us-east-1.amazonaws.com/210987654321/orders",
                   .attribute_names = {"All"}}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

// ---- ListQueues -----------------------------------------------------------

TEST_F(QueueLifecycleTest, ListQueuesReturnsUrlsInNameOrder) {
  MakeQueue("charlie");
  MakeQueue("alpha");
  MakeQueue("bravo");
  EXPECT_THAT(AllQueueUrls(), ElementsAre(UrlOf("alpha"), UrlOf("bravo"), UrlOf("charlie")));
}

TEST_F(QueueLifecycleTest, ListQueuesWithoutQueuesReturnsNothing) {
  auto listed = sim_->ListQueues({});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, IsEmpty());
  EXPECT_FALSE(listed->next_token.has_value());
}

TEST_F(QueueLifecycleTest, ListQueuesFiltersByCaseSensitiveNamePrefix) {
  MakeQueue("orders-eu");
  MakeQueue("orders-us");
  MakeQueue("Orders-old");
  MakeQueue("payments");
  auto listed = sim_->ListQueues({.queue_name_prefix = "orders"});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, ElementsAre(UrlOf("orders-eu"), UrlOf("orders-us")));
}

TEST_F(QueueLifecycleTest, ListQueuesPrefixMatchingNothingReturnsNothing) {
  MakeQueue("orders");
  auto listed = sim_->ListQueues({.queue_name_prefix = "zzz"});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, IsEmpty());
}

TEST_F(QueueLifecycleTest, ListQueuesMaxResultsZeroIsInvalidParameterValue) {
  MakeQueue("orders");
  EXPECT_THAT(sim_->ListQueues({.max_results = 0}), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(QueueLifecycleTest, ListQueuesMaxResultsOverOneThousandIsInvalidParameterValue) {
  MakeQueue("orders");
  EXPECT_THAT(sim_->ListQueues({.max_results = 1001}), StatusIs(ErrorCode::kInvalidParameterValue));
}

TEST_F(QueueLifecycleTest, ListQueuesMaxResultsOneAndOneThousandAreAccepted) {
  MakeQueue("orders");
  EXPECT_THAT(sim_->ListQueues({.max_results = 1}), IsOk());
  EXPECT_THAT(sim_->ListQueues({.max_results = 1000}), IsOk());
}

TEST_F(QueueLifecycleTest, ListQueuesReturnsNoNextTokenWithoutMaxResults) {
  for (const char* name : {"a", "b", "c"}) MakeQueue(name);
  auto listed = sim_->ListQueues({});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, SizeIs(3));
  EXPECT_FALSE(listed->next_token.has_value());
}

TEST_F(QueueLifecycleTest, ListQueuesReturnsNextTokenOnlyWhenMoreRemain) {
  for (const char* name : {"a", "b", "c"}) MakeQueue(name);
  auto partial = sim_->ListQueues({.max_results = 2});
  ASSERT_THAT(partial, IsOk());
  EXPECT_THAT(partial->queue_urls, ElementsAre(UrlOf("a"), UrlOf("b")));
  EXPECT_TRUE(partial->next_token.has_value());

  auto exact = sim_->ListQueues({.max_results = 3});
  ASSERT_THAT(exact, IsOk());
  EXPECT_THAT(exact->queue_urls, SizeIs(3));
  EXPECT_FALSE(exact->next_token.has_value());
}

TEST_F(QueueLifecycleTest, ListQueuesPagesThroughAllQueues) {
  for (const char* name : {"e", "a", "d", "b", "c"}) MakeQueue(name);
  std::vector<std::string> seen;
  std::vector<size_t> page_sizes;
  std::optional<std::string> token;
  do {
    auto page = sim_->ListQueues({.next_token = token, .max_results = 2});
    ASSERT_THAT(page, IsOk());
    page_sizes.push_back(page->queue_urls.size());
    seen.insert(seen.end(), page->queue_urls.begin(), page->queue_urls.end());
    token = page->next_token;
  } while (token && page_sizes.size() < 10);
  EXPECT_THAT(page_sizes, ElementsAre(2, 2, 1));
  EXPECT_THAT(seen, ElementsAre(UrlOf("a"), UrlOf("b"), UrlOf("c"), UrlOf("d"), UrlOf("e")));
}

TEST_F(QueueLifecycleTest, ListQueuesPagesWithinNamePrefix) {
  for (const char* name : {"x-1", "x-2", "x-3", "y-1"}) MakeQueue(name);
  auto first = sim_->ListQueues({.queue_name_prefix = "x-", .max_results = 2});
  ASSERT_THAT(first, IsOk());
  ASSERT_TRUE(first->next_token.has_value());
  auto second = sim_->ListQueues(
      {.queue_name_prefix = "x-", .next_token = first->next_token, .max_results = 2});
  ASSERT_THAT(second, IsOk());
  EXPECT_THAT(second->queue_urls, ElementsAre(UrlOf("x-3")));
  EXPECT_FALSE(second->next_token.has_value());
}

TEST_F(QueueLifecycleTest, ListQueuesWithoutMaxResultsReturnsAtMostOneThousand) {
  for (int i = 0; i < 1001; ++i) {
    ASSERT_THAT(Create("q" + std::to_string(10000 + i)), IsOk());
  }
  auto listed = sim_->ListQueues({});
  ASSERT_THAT(listed, IsOk());
  EXPECT_THAT(listed->queue_urls, SizeIs(1000));
  EXPECT_FALSE(listed->next_token.has_value());
}

// ---- DeleteQueue ----------------------------------------------------------

TEST_F(QueueLifecycleTest, DeletedQueueNoLongerExists) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  EXPECT_THAT(sim_->GetQueueUrl({.queue_name = "orders"}), StatusIs(ErrorCode::kQueueDoesNotExist));
  EXPECT_THAT(sim_->SendMessage({.queue_url = url, .message_body = "x"}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
  EXPECT_THAT(AllQueueUrls(), IsEmpty());
}

TEST_F(QueueLifecycleTest, DeleteUnknownQueueIsQueueDoesNotExist) {
  EXPECT_THAT(sim_->DeleteQueue({.queue_url = UrlOf("nope")}),
              StatusIs(ErrorCode::kQueueDoesNotExist, "The specified queue does not exist."));
}

TEST_F(QueueLifecycleTest, DeleteQueueDiscardsItsMessages) {
  const std::string url = MakeQueue("orders");
  Send(url, "one");
  Send(url, "two");
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  sim_->RunFor(60s);
  MakeQueue("orders");
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "0");
  EXPECT_THAT(Receive(url), IsEmpty());
}

TEST_F(QueueLifecycleTest, RecreatingWithinSixtySecondsOfDeleteFailsWithQueueDeletedRecently) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  sim_->RunFor(59s);
  auto again = Create("orders");
  ASSERT_THAT(again, StatusIs(ErrorCode::kQueueDeletedRecently, kDeletedRecentlyMessage));
  EXPECT_EQ(again.status().query_code(), "AWS.SimpleQueueService.QueueDeletedRecently");
  EXPECT_EQ(again.status().http_status(), 400);
}

TEST_F(QueueLifecycleTest, RecreatingImmediatelyAfterDeleteFailsWithQueueDeletedRecently) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  EXPECT_THAT(Create("orders"), StatusIs(ErrorCode::kQueueDeletedRecently));
}

TEST_F(QueueLifecycleTest, RecreatingSixtySecondsAfterDeleteSucceeds) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  sim_->RunFor(60s);
  EXPECT_THAT(Create("orders"), IsOkAndHolds(Field(&CreateQueueResponse::queue_url, url)));
}

TEST_F(QueueLifecycleTest, DeleteBlocksOnlyTheDeletedName) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  EXPECT_THAT(Create("orders2"), IsOk());
}

TEST_F(QueueLifecycleTest, RecreatedQueueStartsWithDefaultAttributes) {
  const std::string url = MakeQueue("orders", {{"VisibilityTimeout", "60"}});
  ASSERT_THAT(sim_->DeleteQueue({.queue_url = url}), IsOk());
  sim_->RunFor(60s);
  MakeQueue("orders");
  EXPECT_EQ(Attribute(url, "VisibilityTimeout"), "30");
}

// ---- PurgeQueue -----------------------------------------------------------

TEST_F(QueueLifecycleTest, PurgeRemovesVisibleInFlightAndDelayedMessages) {
  const std::string url = MakeQueue("orders");
  FillWithVisibleInFlightAndDelayed(url);
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "0");
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessagesNotVisible"), "0");
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessagesDelayed"), "0");
}

TEST_F(QueueLifecycleTest, PurgedMessagesNeverComeBack) {
  const std::string url = MakeQueue("orders");
  FillWithVisibleInFlightAndDelayed(url);
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  sim_->RunFor(120s);  // past the delay and the visibility timeout
  EXPECT_THAT(Receive(url), IsEmpty());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "0");
}

TEST_F(QueueLifecycleTest, SecondPurgeWithinSixtySecondsFailsWithPurgeQueueInProgress) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  sim_->RunFor(59s);
  auto again = sim_->PurgeQueue({.queue_url = url});
  ASSERT_THAT(again,
              StatusIs(ErrorCode::kPurgeQueueInProgress,
                       "Only one PurgeQueue operation on orders is allowed every 60 seconds."));
  EXPECT_EQ(again.status().http_status(), 403);
  EXPECT_EQ(again.status().query_code(), "AWS.SimpleQueueService.PurgeQueueInProgress");
}

TEST_F(QueueLifecycleTest, RejectedSecondPurgeLeavesNewMessagesInPlace) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  Send(url, "after the purge");
  EXPECT_THAT(sim_->PurgeQueue({.queue_url = url}), StatusIs(ErrorCode::kPurgeQueueInProgress));
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "1");
}

TEST_F(QueueLifecycleTest, PurgeIsAllowedAgainSixtySecondsLater) {
  const std::string url = MakeQueue("orders");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  sim_->RunFor(60s);
  Send(url, "second batch");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  EXPECT_EQ(Attribute(url, "ApproximateNumberOfMessages"), "0");
}

TEST_F(QueueLifecycleTest, PurgeLimitIsPerQueue) {
  const std::string a = MakeQueue("a");
  const std::string b = MakeQueue("b");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = a}), IsOk());
  EXPECT_THAT(sim_->PurgeQueue({.queue_url = b}), IsOk());
}

// SQS may also delete messages sent while a purge runs (up to 60 s); the
// simulator purges at once, so later sends survive.
TEST_F(QueueLifecycleTest, MessagesSentAfterPurgeAreKept) {
  const std::string url = MakeQueue("orders");
  Send(url, "before");
  ASSERT_THAT(sim_->PurgeQueue({.queue_url = url}), IsOk());
  Send(url, "after");
  auto received = Receive(url);
  ASSERT_THAT(received, SizeIs(1));
  EXPECT_EQ(received[0].body, "after");
}

TEST_F(QueueLifecycleTest, PurgeUnknownQueueIsQueueDoesNotExist) {
  EXPECT_THAT(sim_->PurgeQueue({.queue_url = UrlOf("nope")}),
              StatusIs(ErrorCode::kQueueDoesNotExist));
}

}  // namespace
}  // namespace sqsim
