// sqsim-server's /_sqsim/ admin endpoints, manual time, fault plans and the
// queues config, over real loopback sockets.

#include <set>
#include <string>
#include <thread>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/queues_config.h"
#include "server/server_test_util.h"
#include "sqsim/metrics.h"
#include "sqsim/testing/matchers.h"

namespace sqsim::testing {
namespace {

using nlohmann::json;
using ::testing::HasSubstr;

class ServerAdminTest : public ::testing::Test {
 protected:
  void Start(http::ServerOptions options) {
    options.time_mode = http::TimeMode::kManual;
    options.realism = false;
    server_ = StartServer(std::move(options));
    ASSERT_NE(server_, nullptr);
    conn_ = std::make_unique<TestConnection>(server_->port());
  }
  void SetUp() override {
    Start({.queues_config = R"({"queues":[{"name":"jobs"}]})"});
    url_ = server_->endpoint_url() + "/000000000000/jobs";
  }

  // A control request as a program sends it (JSON, so state changes pass).
  HttpReply Admin(std::string_view method, std::string_view path, const std::string& body = "",
                  std::vector<std::pair<std::string, std::string>> headers = {
                      {"Content-Type", "application/json"}}) {
    std::optional<HttpReply> r = conn_->Request(method, path, body, headers);
    EXPECT_TRUE(r);
    return r.value_or(HttpReply{});
  }
  json Call(std::string_view action, const json& body) {
    std::optional<HttpReply> r = conn_->Json(action, body);
    EXPECT_TRUE(r);
    return r ? r->json() : json();
  }
  size_t Received(int wait_seconds = 0) {
    json r =
        Call("ReceiveMessage",
             {{"QueueUrl", url_}, {"MaxNumberOfMessages", 10}, {"WaitTimeSeconds", wait_seconds}});
    return r.contains("Messages") ? r["Messages"].size() : 0;
  }

  std::unique_ptr<http::Server> server_;
  std::unique_ptr<TestConnection> conn_;
  std::string url_;
};

TEST_F(ServerAdminTest, HealthReportsOk) {
  HttpReply r = Admin("GET", "/_sqsim/health");
  EXPECT_EQ(r.status, 200);
  EXPECT_EQ(r.json()["status"], "ok");
}

TEST_F(ServerAdminTest, ManualTimeStartsAtFixedInstant) {
  HttpReply r = Admin("GET", "/_sqsim/time");
  EXPECT_EQ(r.json()["now"], "2026-01-01T00:00:00.000Z");
  EXPECT_EQ(r.json()["mode"], "manual");
}

TEST_F(ServerAdminTest, DelayedMessageInvisibleUntilTimeAdvanced) {
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "later"}, {"DelaySeconds", 60}});
  EXPECT_EQ(Received(), 0u);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"seconds":59})").status, 200);
  EXPECT_EQ(Received(), 0u);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"ms":1000})").json()["now"],
            "2026-01-01T00:01:00.000Z");
  EXPECT_EQ(Received(), 1u);
}

TEST_F(ServerAdminTest, LongPollWakesWhenAdvanceEndsDelay) {
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "later"}, {"DelaySeconds", 10}});
  size_t got = 0;
  std::thread poller([&] {
    TestConnection c(server_->port());
    std::optional<HttpReply> r =
        c.Json("ReceiveMessage", {{"QueueUrl", url_}, {"WaitTimeSeconds", 20}});
    if (r && r->json().contains("Messages")) got = r->json()["Messages"].size();
  });
  // Advance only once the poll is parked, so the wake-up is what delivers
  // the message (in manual time nothing else ends the 20-second wait).
  ASSERT_TRUE(AwaitWaitingReceives(server_->port(), 1));
  Admin("POST", "/_sqsim/time/advance", R"({"seconds":10})");
  poller.join();
  EXPECT_EQ(got, 1u);
}

TEST_F(ServerAdminTest, HealthCountsWaitingLongPolls) {
  EXPECT_EQ(Admin("GET", "/_sqsim/health").json()["waiting_receives"], 0);
  std::thread poller([&] {
    TestConnection c(server_->port());
    c.Json("ReceiveMessage", {{"QueueUrl", url_}, {"WaitTimeSeconds", 5}});
  });
  ASSERT_TRUE(AwaitWaitingReceives(server_->port(), 1));
  Admin("POST", "/_sqsim/time/advance", R"({"seconds":5})");
  poller.join();
  EXPECT_EQ(Admin("GET", "/_sqsim/health").json()["waiting_receives"], 0);
}

TEST_F(ServerAdminTest, AdvanceRejectsNegativeOrMissingAmount) {
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"seconds":-1})").status, 400);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"minutes":1})").status, 400);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", "not json").status, 400);
}

// Ten advances of almost 1e12 s once wrapped the clock into the past
// (signed overflow), after which delayed messages stayed delayed forever.
// Now every step that would pass 9999-12-31T23:59:59Z is refused and leaves
// the clock alone, and time keeps working right up to the limit.
TEST_F(ServerAdminTest, AdvancingPastTheLatestTimeIsRefusedAndTimeStillWorks) {
  for (int i = 0; i < 10; ++i) {
    HttpReply refused = Admin("POST", "/_sqsim/time/advance", R"({"seconds":999999999999})");
    EXPECT_EQ(refused.status, 400);
    EXPECT_NE(refused.body.find("9999-12-31T23:59:59Z"), std::string::npos) << refused.body;
  }
  EXPECT_EQ(Admin("GET", "/_sqsim/time").json()["now"], "2026-01-01T00:00:00.000Z");
  // From 2026-01-01 to 100 s before the limit.
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"seconds":251635075099})").status, 200);
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "late"}, {"DelaySeconds", 60}});
  EXPECT_EQ(Received(), 0u);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"seconds":60})").json()["now"],
            "9999-12-31T23:59:19.000Z");
  EXPECT_EQ(Received(), 1u);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"seconds":41})").status, 400);
  EXPECT_EQ(Admin("POST", "/_sqsim/time/advance", R"({"seconds":40})").status, 200);
}

TEST_F(ServerAdminTest, PeekShowsStateWithoutChangingVisibility) {
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "a"}});
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "b"}, {"DelaySeconds", 5}});
  json first = Admin("GET", "/_sqsim/queues/jobs/messages").json()["messages"];
  ASSERT_EQ(first.size(), 2u);
  EXPECT_EQ(first[0]["state"], "visible");
  EXPECT_EQ(first[1]["state"], "delayed");
  EXPECT_EQ(first[1]["visible_at"], "2026-01-01T00:00:05.000Z");
  EXPECT_EQ(Received(), 1u);  // peeking twice did not hide anything
  json after = Admin("GET", "/_sqsim/queues/jobs/messages").json()["messages"];
  EXPECT_EQ(after[0]["state"], "in_flight");
  EXPECT_EQ(after[0]["receive_count"], 1);
}

// Peek is paged: a large queue comes back in bounded pages that chain by
// cursor and together show every message once.
TEST_F(ServerAdminTest, PeekPagesChainByCursorAndCoverEveryMessageOnce) {
  for (int batch = 0; batch < 25; ++batch) {
    json entries = json::array();
    for (int i = 0; i < 10; ++i) {
      const std::string n = std::to_string(batch * 10 + i);
      entries.push_back({{"Id", "e" + std::to_string(i)}, {"MessageBody", "m" + n}});
    }
    Call("SendMessageBatch", {{"QueueUrl", url_}, {"Entries", entries}});
  }
  json first = Admin("GET", "/_sqsim/queues/jobs/messages").json();
  EXPECT_EQ(first["messages"].size(), 100u);  // the default page
  std::set<std::string> bodies;
  std::string cursor;
  int pages = 0;
  do {
    json page = Admin("GET", "/_sqsim/queues/jobs/messages?limit=64" + cursor).json();
    ASSERT_LE(page["messages"].size(), 64u);
    for (const json& m : page["messages"]) EXPECT_TRUE(bodies.insert(m["body"]).second) << m;
    cursor = page.contains("next_cursor")
                 ? "&cursor=" + std::to_string(page["next_cursor"].get<uint32_t>())
                 : "";
    ++pages;
  } while (!cursor.empty() && pages < 10);
  EXPECT_EQ(pages, 4);
  EXPECT_EQ(bodies.size(), 250u);
}

TEST_F(ServerAdminTest, MetricsGiveOneMinuteDatapointsInVirtualTime) {
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "one"}});
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "two"}});
  // The minute has not ended: no datapoint yet.
  json metrics = Admin("GET", "/_sqsim/queues/jobs/metrics?metric=NumberOfMessagesSent").json();
  ASSERT_EQ(metrics["metrics"].size(), 1u);
  EXPECT_TRUE(metrics["metrics"][0]["Datapoints"].empty());
  Admin("POST", "/_sqsim/time/advance", R"({"seconds":60})");
  metrics = Admin("GET", "/_sqsim/queues/jobs/metrics?metric=NumberOfMessagesSent").json();
  const json& sent = metrics["metrics"][0];
  EXPECT_EQ(sent["Label"], "NumberOfMessagesSent");
  EXPECT_EQ(sent["Unit"], "Count");
  ASSERT_EQ(sent["Datapoints"].size(), 1u);
  EXPECT_EQ(sent["Datapoints"][0]["Sum"], 2);
  EXPECT_EQ(sent["Datapoints"][0]["SampleCount"], 1);
  EXPECT_EQ(sent["Datapoints"][0]["Timestamp"], "2026-01-01T00:00:00.000Z");
  // Every metric at once.
  metrics = Admin("GET", "/_sqsim/queues/jobs/metrics").json();
  EXPECT_EQ(metrics["metrics"].size(), static_cast<size_t>(kQueueMetricCount));
  EXPECT_EQ(metrics["period"], 60);
}

TEST_F(ServerAdminTest, AllMetricsCoverEveryQueueIncludingDeletedOnes) {
  const std::string gone =
      Call("CreateQueue", {{"QueueName", "gone"}})["QueueUrl"].get<std::string>();
  Call("SendMessage", {{"QueueUrl", gone}, {"MessageBody", "x"}});
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "one"}});
  Admin("POST", "/_sqsim/time/advance", R"({"seconds":60})");
  Call("DeleteQueue", {{"QueueUrl", gone}});
  json all = Admin("GET", "/_sqsim/metrics?metric=NumberOfMessagesSent&period=300").json();
  EXPECT_EQ(all["period"], 300);
  ASSERT_EQ(all["queues"].size(), 2u);
  EXPECT_EQ(all["queues"][0]["queue"], "gone");  // by name
  EXPECT_EQ(all["queues"][1]["queue"], "jobs");
  for (const json& queue : all["queues"]) {
    ASSERT_EQ(queue["metrics"].size(), 1u);
    EXPECT_EQ(queue["metrics"][0]["Datapoints"][0]["Sum"], 1) << queue["queue"];
  }
  EXPECT_EQ(Admin("GET", "/_sqsim/metrics?metric=Bogus").status, 400);
}

TEST_F(ServerAdminTest, MetricsRefuseAnUnknownQueueMetricOrPeriod) {
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/none/metrics").status, 404);
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/jobs/metrics?metric=Bogus").status, 400);
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/jobs/metrics?period=90").status, 400);
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/jobs/metrics?period=x").status, 400);
}

TEST_F(ServerAdminTest, PeekRejectsABadLimitOrCursor) {
  for (const std::string query : {"limit=0", "limit=1001", "limit=x", "cursor=-1", "cursor=1e3"}) {
    EXPECT_EQ(Admin("GET", "/_sqsim/queues/jobs/messages?" + query).status, 400) << query;
  }
}

// Past the first message a page holds at most 1 MiB of bodies, so a few
// large messages never make one huge reply.
TEST_F(ServerAdminTest, PeekPageStopsAtAMegabyteOfBodies) {
  const std::string body(400 * 1024, 'x');
  for (int i = 0; i < 5; ++i) Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", body}});
  json page = Admin("GET", "/_sqsim/queues/jobs/messages?limit=1000").json();
  EXPECT_EQ(page["messages"].size(), 2u);  // a third would pass 1 MiB
  EXPECT_TRUE(page.contains("next_cursor"));
}

TEST_F(ServerAdminTest, PeekUnknownQueueIs404) {
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/nope/messages").status, 404);
}

TEST_F(ServerAdminTest, UnknownAdminPathIs404) {
  EXPECT_EQ(Admin("GET", "/_sqsim/frobnicate").status, 404);
}

TEST_F(ServerAdminTest, ResetDropsMessagesAndRecreatesConfiguredQueues) {
  Call("CreateQueue", {{"QueueName", "temp"}});
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}});
  Admin("POST", "/_sqsim/time/advance", R"({"seconds":5})");
  EXPECT_EQ(Admin("POST", "/_sqsim/reset").status, 200);
  json queues = Call("ListQueues", json::object())["QueueUrls"];
  EXPECT_EQ(queues, json::array({url_}));
  EXPECT_EQ(Received(), 0u);
  EXPECT_EQ(Admin("GET", "/_sqsim/time").json()["now"], "2026-01-01T00:00:00.000Z");
}

TEST_F(ServerAdminTest, SameSeedGivesSameMessageIds) {
  Admin("POST", "/_sqsim/seed", R"({"seed":7})");
  const json first = Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}})["MessageId"];
  Admin("POST", "/_sqsim/seed", R"({"seed":7})");
  const json again = Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}})["MessageId"];
  Admin("POST", "/_sqsim/seed", R"({"seed":8})");
  const json other = Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}})["MessageId"];
  EXPECT_EQ(first, again);
  EXPECT_NE(first, other);
}

TEST_F(ServerAdminTest, InjectedErrorFaultFailsNthCall) {
  ASSERT_EQ(Admin("PUT", "/_sqsim/faults",
                  R"({"rules":[{"id":"boom","effect":"error","action":"SendMessage",)"
                  R"("on_calls":[1],"error":"ServiceUnavailable"}]})")
                .status,
            200);
  std::optional<HttpReply> failed =
      conn_->Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}});
  ASSERT_TRUE(failed);
  EXPECT_EQ(failed->status, 503);
  EXPECT_EQ(Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}}).count("MessageId"), 1u);
  EXPECT_EQ(Admin("GET", "/_sqsim/faults").json()["fired"]["boom"], 1);
}

TEST_F(ServerAdminTest, LostResponseFaultClosesConnectionAfterSending) {
  Admin(
      "PUT", "/_sqsim/faults",
      R"({"rules":[{"id":"lost","effect":"lose-response","action":"SendMessage","probability":1}]})");
  TestConnection c(server_->port());
  EXPECT_FALSE(c.Json("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}}).has_value());
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/jobs/messages").json()["messages"].size(), 1u);
}

TEST_F(ServerAdminTest, FailEntriesFaultFailsTheChosenEntriesOfABatch) {
  Admin("PUT", "/_sqsim/faults",
        R"({"rules":[{"id":"partial","effect":"fail-entries","action":"SendMessageBatch",)"
        R"("probability":1,"error":"ServiceUnavailable","entries":[2]}]})");
  json sent = Call(
      "SendMessageBatch",
      {{"QueueUrl", url_},
       {"Entries", {{{"Id", "a"}, {"MessageBody", "1"}}, {{"Id", "b"}, {"MessageBody", "2"}}}}});
  ASSERT_EQ(sent["Successful"].size(), 1u) << sent.dump();
  EXPECT_EQ(sent["Successful"][0]["Id"], "a");
  ASSERT_EQ(sent["Failed"].size(), 1u) << sent.dump();
  EXPECT_EQ(sent["Failed"][0]["Id"], "b");
  EXPECT_EQ(sent["Failed"][0]["Code"], "ServiceUnavailable");
  EXPECT_EQ(sent["Failed"][0]["SenderFault"], false);
  EXPECT_EQ(Admin("GET", "/_sqsim/queues/jobs/messages").json()["messages"].size(), 1u);
}

TEST_F(ServerAdminTest, MalformedFaultPlanIs400) {
  EXPECT_EQ(Admin("PUT", "/_sqsim/faults", R"({"rules":[{"effect":"nope"}]})").status, 400);
}

TEST_F(ServerAdminTest, TraceListsCallsWithHash) {
  Call("SendMessage", {{"QueueUrl", url_}, {"MessageBody", "x"}});
  json trace = Admin("GET", "/_sqsim/trace").json();
  EXPECT_FALSE(trace["hash"].get<std::string>().empty());
  EXPECT_NE(trace["events"].dump().find("SendMessage"), std::string::npos) << trace.dump();
  HttpReply text = Admin("GET", "/_sqsim/trace?format=text");
  EXPECT_NE(text.body.find("SendMessage"), std::string::npos);
}

TEST_F(ServerAdminTest, ConfigDeadLetterQueueReceivesPoisonMessage) {
  Start({.queues_config = R"({"queues":[
      {"name":"orders","dead_letter_queue":"orders-dlq","max_receive_count":1,
       "attributes":{"VisibilityTimeout":"30"}},
      {"name":"orders-dlq"}]})"});
  const std::string orders = server_->endpoint_url() + "/000000000000/orders";
  json attrs = Call("GetQueueAttributes", {{"QueueUrl", orders}, {"AttributeNames", {"All"}}});
  EXPECT_NE(attrs["Attributes"]["RedrivePolicy"].get<std::string>().find(
                "arn:aws:sqs:us-east-1:000000000000:orders-dlq"),
            std::string::npos);
  Call("SendMessage", {{"QueueUrl", orders}, {"MessageBody", "poison"}});
  Call("ReceiveMessage", {{"QueueUrl", orders}});
  Admin("POST", "/_sqsim/time/advance", R"({"seconds":31})");
  EXPECT_FALSE(Call("ReceiveMessage", {{"QueueUrl", orders}}).contains("Messages"));
  json dlq = Admin("GET", "/_sqsim/queues/orders-dlq/messages").json()["messages"];
  ASSERT_EQ(dlq.size(), 1u);
  EXPECT_EQ(dlq[0]["body"], "poison");
}

TEST(ServerCreateTest, InvalidConfigAttributeFailsWithQueueName) {
  Result<std::unique_ptr<http::Server>> server = http::Server::Create(
      {.port = 0,
       .queues_config = R"({"queues":[{"name":"q","attributes":{"VisibilityTimeout":"-4"}}]})",
       .log_level = http::LogLevel::kQuiet});
  EXPECT_THAT(server, StatusIs(ErrorCode::kInvalidAttributeValue, HasSubstr("'q'")));
}

TEST(ServerCreateTest, InvalidAccountIdFails) {
  EXPECT_THAT(http::Server::Create({.port = 0, .account_id = "12"}),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("12 digits")));
}

TEST(QueuesConfigTest, DeadLetterQueuesComeFirst) {
  Result<std::vector<CreateQueueRequest>> q = ::sqsim::internal::ParseQueuesConfig(
      R"({"queues":[{"name":"a","dead_letter_queue":"b"},{"name":"b","dead_letter_queue":"c"},
                    {"name":"c"}]})",
      "us-east-1", "000000000000");
  ASSERT_TRUE(q.ok()) << q.status();
  ASSERT_EQ(q->size(), 3u);
  EXPECT_EQ((*q)[0].queue_name, "c");
  EXPECT_EQ((*q)[1].queue_name, "b");
  EXPECT_EQ((*q)[2].queue_name, "a");
  EXPECT_EQ(
      (*q)[2].attributes.at("RedrivePolicy"),
      R"({"deadLetterTargetArn":"arn:aws:sqs:us-east-1:000000000000:b","maxReceiveCount":10})");
}

TEST(QueuesConfigTest, RejectsCycleUnknownMemberAndMissingTarget) {
  const std::pair<const char*, const char*> cases[] = {
      {R"({"queues":[{"name":"a","dead_letter_queue":"b"},{"name":"b","dead_letter_queue":"a"}]})",
       "form a cycle"},
      {R"({"queues":[{"name":"a","colour":"red"}]})", "unknown member 'colour'"},
      {R"({"queues":[{"name":"a","dead_letter_queue":"zz"}]})", "'zz' is not in the config"},
      {R"({"queues":[{"name":"a"},)", "not valid JSON"},
      {R"({"queues":[{"name":"a"},{"name":"a"}]})", "appears twice"},
  };
  for (const auto& [bad, why] : cases) {
    EXPECT_THAT(::sqsim::internal::ParseQueuesConfig(bad, "us-east-1", "000000000000"),
                StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr(why)))
        << bad;
  }
}

}  // namespace
}  // namespace sqsim::testing
