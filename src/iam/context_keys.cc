#include "iam/context_keys.h"

#include <chrono>
#include <cstdio>
#include <optional>

#include "iam/wildcard.h"

namespace sqsim::iam::internal {

namespace {

std::vector<std::string> Optional(const std::optional<std::string>& value) {
  if (!value) return {};
  return {*value};
}

}  // namespace

std::string FormatRfc3339Micros(Timestamp t) {
  using std::chrono::floor;
  auto day = floor<std::chrono::days>(t);
  std::chrono::year_month_day ymd{day};
  std::chrono::hh_mm_ss<std::chrono::microseconds> time{t - day};
  char text[40];
  std::snprintf(text, sizeof text, "%04d-%02u-%02uT%02d:%02d:%02d.%06lldZ",
                static_cast<int>(ymd.year()), static_cast<unsigned>(ymd.month()),
                static_cast<unsigned>(ymd.day()), static_cast<int>(time.hours().count()),
                static_cast<int>(time.minutes().count()), static_cast<int>(time.seconds().count()),
                static_cast<long long>(time.subseconds().count()));
  return text;
}

std::vector<std::string> ContextValues(std::string_view key, const Request& request) {
  const std::string name = AsciiLower(key);
  const RequestContext& context = request.context;
  // Global condition keys:
  // https://docs.aws.amazon.com/IAM/latest/UserGuide/reference_policies_condition-keys.html
  if (name == "aws:sourcearn") return Optional(context.source_arn);
  if (name == "aws:sourceaccount") return Optional(context.source_account);
  if (name == "aws:sourceip") return Optional(context.source_ip);
  if (name == "aws:sourcevpce") return Optional(context.source_vpce);
  if (name == "aws:securetransport") return {context.secure_transport ? "true" : "false"};
  if (name == "aws:currenttime") return {FormatRfc3339Micros(context.current_time)};
  if (name == "aws:requestedregion") return {context.region};
  if (name == "aws:principalarn") {
    if (request.principal.is_service() || request.principal.arn.empty()) return {};
    return {request.principal.arn};
  }
  if (name == "aws:principalaccount") {
    std::string account = request.principal.account();
    if (request.principal.is_service() || account.empty()) return {};
    return {account};
  }
  // std::map iteration is ordered, so the first case-insensitive match is the
  // same on every run.
  for (const auto& [other, values] : context.other_keys) {
    if (AsciiLower(other) == name) return values;
  }
  return {};
}

}  // namespace sqsim::iam::internal
