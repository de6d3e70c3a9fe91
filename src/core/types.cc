#include "sqsim/types.h"

#include <cstdio>
#include <ctime>

namespace sqsim {

std::string FormatTimestamp(Timestamp t) {
  const int64_t us = t.time_since_epoch().count();
  const int64_t floor_s = us >= 0 ? us / 1000000 : (us - 999999) / 1000000;
  const int64_t ms = (us - floor_s * 1000000) / 1000;
  std::time_t seconds = static_cast<std::time_t>(floor_s);
  std::tm tm{};
  gmtime_r(&seconds, &tm);
  char buffer[64];
  std::snprintf(buffer, sizeof buffer, "%04d-%02d-%02dT%02d:%02d:%02d.%03dZ", tm.tm_year + 1900,
                tm.tm_mon + 1, tm.tm_mday, tm.tm_hour, tm.tm_min, tm.tm_sec, static_cast<int>(ms));
  return buffer;
}

}  // namespace sqsim
