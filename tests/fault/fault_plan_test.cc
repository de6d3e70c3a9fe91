// FaultPlan (data, JSON) and FaultInjector (deterministic decisions).

#include "sqsim/fault.h"

#include <set>
#include <string_view>

#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "sqsim/testing/matchers.h"

namespace sqsim {
namespace {

using ::sqsim::testing::IsOk;
using ::sqsim::testing::StatusIs;
using ::testing::ElementsAre;
using ::testing::HasSubstr;
using namespace std::chrono_literals;

const Timestamp kStart = Timestamp(std::chrono::seconds(1767225600));

FaultPlan SamplePlan() {
  FaultPlan plan;
  plan.rules.push_back({.id = "throttle",
                        .effect = FaultEffect::kError,
                        .action = Action::kSendMessage,
                        .queue = "orders",
                        .probability = 0.25,
                        .after = 10s,
                        .before = 60s,
                        .max_fires = 3,
                        .error = ErrorCode::kRequestThrottled});
  plan.rules.push_back({.id = "lost-delete",
                        .effect = FaultEffect::kLoseResponse,
                        .action = Action::kDeleteMessage,
                        .on_calls = {2, 5}});
  plan.rules.push_back(
      {.id = "slow", .effect = FaultEffect::kLatency, .probability = 1, .latency = 1500ms});
  plan.rules.push_back({.id = "partial-delete",
                        .effect = FaultEffect::kFailEntries,
                        .action = Action::kDeleteMessageBatch,
                        .probability = 0.1,
                        .error = ErrorCode::kServiceUnavailable,
                        .entries = {1, 3},
                        .sender_fault = true});
  plan.rules.push_back({.id = "crash",
                        .effect = FaultEffect::kFaultPoint,
                        .point = "after-charge",
                        .probability = 0.5});
  plan.rules.push_back({.id = "gc",
                        .effect = FaultEffect::kPause,
                        .point = "call:DeleteMessage",
                        .actor = "consumer-2",
                        .on_calls = {1},
                        .pause = 45s});
  plan.rules.push_back(
      {.id = "deploy", .effect = FaultEffect::kStop, .after = 90s, .max_fires = 1});
  return plan;
}

TEST(FaultPlan, JsonRoundTripsEveryField) {
  const FaultPlan plan = SamplePlan();
  Result<FaultPlan> back = FaultPlan::FromJson(plan.ToJson());
  ASSERT_THAT(back, IsOk());
  EXPECT_EQ(*back, plan);
}

TEST(FaultPlan, JsonNamesEffectsActionsAndErrorsBySqsNames) {
  const std::string json = SamplePlan().ToJson();
  EXPECT_THAT(json, HasSubstr(R"("effect":"error","action":"SendMessage")"));
  EXPECT_THAT(json, HasSubstr(R"("error":"RequestThrottled")"));
  EXPECT_THAT(json, HasSubstr(R"("on_calls":[2,5])"));
  EXPECT_THAT(json, HasSubstr(R"("latency_ms":1500)"));
  EXPECT_THAT(json, HasSubstr(R"("effect":"fail-entries")"));
  EXPECT_THAT(json,
              HasSubstr(R"("error":"ServiceUnavailable","entries":[1,3],"sender_fault":true)"));
  EXPECT_THAT(json, HasSubstr(R"("effect":"pause","point":"call:DeleteMessage",)"
                              R"("actor":"consumer-2","on_calls":[1],"pause_ms":45000)"));
}

TEST(FaultPlan, FromJsonAcceptsQueryCodesForErrors) {
  Result<FaultPlan> plan = FaultPlan::FromJson(
      R"({"rules":[{"id":"a","effect":"error","error":"AWS.SimpleQueueService.NonExistentQueue"}]})");
  ASSERT_THAT(plan, IsOk());
  EXPECT_EQ(plan->rules[0].error, ErrorCode::kQueueDoesNotExist);
}

TEST(FaultPlan, FromJsonRejectsMalformedPlansNamingTheProblem) {
  EXPECT_THAT(FaultPlan::FromJson("not json"), StatusIs(ErrorCode::kInvalidParameterValue));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":{}})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("'rules' must be an array")));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":[{"id":"a","effect":"explode"}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("unknown effect 'explode'")));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":[{"id":"a","effect":"error","action":"Nope"}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("unknown action 'Nope'")));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":[{"id":"a","effect":"error","probability":2}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("probability")));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":[{"id":"a","effect":"error","probability":"x"}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("wrong type")));
  EXPECT_THAT(FaultPlan::FromJson(
                  R"({"rules":[{"id":"a","effect":"error"},{"id":"a","effect":"latency"}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("duplicate rule id 'a'")));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":[{"id":"p","effect":"fault-point"}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("needs a point")));
  EXPECT_THAT(FaultPlan::FromJson(R"({"rules":[{"id":"p","effect":"pause"}]})"),
              StatusIs(ErrorCode::kInvalidParameterValue, HasSubstr("positive pause_ms")));
}

TEST(FaultInjector, ScheduledRuleFiresOnExactlyTheNamedCalls) {
  FaultInjector injector(SamplePlan(), 1, kStart);
  std::vector<int> fired;
  for (int call = 1; call <= 6; ++call) {
    if (injector.Decide({FaultEffect::kLoseResponse}, Action::kDeleteMessage, "q", kStart)) {
      fired.push_back(call);
    }
  }
  EXPECT_THAT(fired, ElementsAre(2, 5));
  EXPECT_EQ(injector.fired().at("lost-delete"), 2);
}

TEST(FaultInjector, RuleMatchesOnlyItsActionQueueAndEffects) {
  FaultInjector injector(SamplePlan(), 1, kStart);
  const Timestamp in_window = kStart + 20s;
  for (int i = 0; i < 50; ++i) {
    EXPECT_EQ(injector.Decide({FaultEffect::kError}, Action::kReceiveMessage, "orders", in_window),
              nullptr);
    EXPECT_EQ(injector.Decide({FaultEffect::kError}, Action::kSendMessage, "other", in_window),
              nullptr);
    EXPECT_EQ(
        injector.Decide({FaultEffect::kLoseResponse}, Action::kSendMessage, "orders", in_window),
        nullptr);
  }
  EXPECT_EQ(injector.fired().at("throttle"), 0);
}

TEST(FaultInjector, WindowAndMaxFiresBoundARule) {
  FaultInjector injector(SamplePlan(), 1, kStart);
  int before_window = 0, in_window = 0, after_window = 0;
  for (int i = 0; i < 200; ++i) {
    before_window += injector.Decide({FaultEffect::kError}, Action::kSendMessage, "orders",
                                     kStart + 5s) != nullptr;
  }
  for (int i = 0; i < 200; ++i) {
    in_window += injector.Decide({FaultEffect::kError}, Action::kSendMessage, "orders",
                                 kStart + 30s) != nullptr;
  }
  for (int i = 0; i < 200; ++i) {
    after_window += injector.Decide({FaultEffect::kError}, Action::kSendMessage, "orders",
                                    kStart + 60s) != nullptr;
  }
  EXPECT_EQ(before_window, 0);
  EXPECT_EQ(in_window, 3);  // max_fires
  EXPECT_EQ(after_window, 0);
}

TEST(FaultInjector, ProbabilityDecisionsAreAFunctionOfTheSeed) {
  auto run = [](uint64_t seed) {
    FaultInjector injector(SamplePlan(), seed, kStart);
    std::string fired;
    for (int i = 0; i < 64; ++i) fired += injector.FaultPoint("after-charge", kStart) ? '1' : '0';
    return fired;
  };
  EXPECT_EQ(run(7), run(7));
  EXPECT_NE(run(7), run(8));
  const std::string bits = run(7);
  const auto ones = std::count(bits.begin(), bits.end(), '1');
  EXPECT_GT(ones, 16);
  EXPECT_LT(ones, 48);
}

TEST(FaultInjector, CoverageListsRulesThatNeverFired) {
  FaultInjector injector(SamplePlan(), 1, kStart);
  EXPECT_NE(injector.Decide({FaultEffect::kLatency}, Action::kListQueues, "", kStart), nullptr);
  EXPECT_THAT(injector.NeverFired(),
              ElementsAre("throttle", "lost-delete", "partial-delete", "crash", "gc", "deploy"));
}

TEST(FaultInjector, ObserverSeesEveryFiring) {
  FaultInjector injector(SamplePlan(), 1, kStart);
  std::vector<std::string> seen;
  injector.set_observer([&](const FaultRule& rule, Timestamp) { seen.push_back(rule.id); });
  (void)injector.Decide({FaultEffect::kLatency}, Action::kListQueues, "", kStart);
  (void)injector.Decide({FaultEffect::kLatency}, Action::kListQueues, "", kStart);
  EXPECT_THAT(seen, ElementsAre("slow", "slow"));
}

TEST(FaultInjector, HasTellsWhetherAnyRuleHasAnEffect) {
  FaultInjector injector(SamplePlan(), 1, kStart);
  EXPECT_TRUE(injector.Has(FaultEffect::kLatency));
  EXPECT_FALSE(injector.Has(FaultEffect::kDuplicateDelivery));
}

TEST(FaultInjector, DecidesBySiteAmongThatSitesEffectsOnly) {
  FaultPlan plan{
      .rules = {{.id = "dup", .effect = FaultEffect::kDuplicateDelivery, .probability = 1},
                {.id = "boom", .effect = FaultEffect::kError, .probability = 1}}};
  FaultInjector injector(plan, 1, kStart);
  const FaultRule* rule =
      injector.Decide(FaultSite::kClientBoundary, Action::kReceiveMessage, "q", kStart);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->id, "boom");
  EXPECT_EQ(injector.Decide(FaultSite::kEngine, Action::kReceiveMessage, "q", kStart)->id, "dup");
  EXPECT_EQ(injector.Decide(FaultSite::kUserCode, Action::kReceiveMessage, "q", kStart), nullptr);
}

TEST(FaultEffects, EveryEffectHasANameAndASite) {
  EXPECT_EQ(FaultEffectSite(FaultEffect::kLoseResponse), FaultSite::kClientBoundary);
  EXPECT_EQ(FaultEffectSite(FaultEffect::kReorder), FaultSite::kEngine);
  EXPECT_EQ(FaultEffectSite(FaultEffect::kFaultPoint), FaultSite::kUserCode);
  std::set<std::string_view> names;
#define SQSIM_EXPECT_NAMED(Name, json, where)             \
  EXPECT_EQ(FaultEffectName(FaultEffect::k##Name), json); \
  names.insert(FaultEffectName(FaultEffect::k##Name));
  SQSIM_FOR_EACH_FAULT_EFFECT(SQSIM_EXPECT_NAMED)
#undef SQSIM_EXPECT_NAMED
  EXPECT_EQ(FaultEffectSite(FaultEffect::kPause), FaultSite::kActor);
  EXPECT_EQ(FaultEffectSite(FaultEffect::kKmsThrottle), FaultSite::kEngine);
  EXPECT_EQ(FaultEffectSite(FaultEffect::kSnsDeliveryFailure), FaultSite::kEngine);
  EXPECT_EQ(names.size(), 16u);  // distinct: JSON reads effects back by name
}

TEST(FaultInjector, ActorRulesMatchByPointAndActorAndCountEveryMatch) {
  FaultPlan plan{.rules = {{.id = "crash-2",
                            .effect = FaultEffect::kCrash,
                            .point = "call:DeleteMessage",
                            .actor = "consumer-2",
                            .on_calls = {2}},
                           {.id = "late-stop",
                            .effect = FaultEffect::kStop,
                            .probability = 1,
                            .after = 60s,
                            .max_fires = 1},
                           {.id = "point", .effect = FaultEffect::kFaultPoint, .point = "sleep"}}};
  FaultInjector injector(plan, 1, kStart);
  // consumer-1 never matches crash-2; consumer-2's second delete fires it.
  EXPECT_EQ(injector.DecideAtActorPoint("call:DeleteMessage", "consumer-1", kStart), nullptr);
  EXPECT_EQ(injector.DecideAtActorPoint("call:DeleteMessage", "consumer-2", kStart), nullptr);
  const FaultRule* rule = injector.DecideAtActorPoint("call:DeleteMessage", "consumer-2", kStart);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->id, "crash-2");
  // No point: any point of any actor, once its window opens.
  EXPECT_EQ(injector.DecideAtActorPoint("sleep", "producer-1", kStart + 59s), nullptr);
  rule = injector.DecideAtActorPoint("sleep", "producer-1", kStart + 60s);
  ASSERT_NE(rule, nullptr);
  EXPECT_EQ(rule->id, "late-stop");
  EXPECT_EQ(injector.DecideAtActorPoint("sleep", "producer-1", kStart + 61s), nullptr);
  EXPECT_EQ(injector.fired().at("point"), 0);  // fault-point rules are not actor rules
}

}  // namespace
}  // namespace sqsim
