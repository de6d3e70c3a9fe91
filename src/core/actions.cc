#include "sqsim/actions.h"

#include <array>

namespace sqsim {
namespace {

constexpr std::array<std::string_view, kActionCount> kActionNames = {
#define SQSIM_ACTION_NAME(Name) #Name,
    SQSIM_FOR_EACH_ACTION(SQSIM_ACTION_NAME)
#undef SQSIM_ACTION_NAME
};

}  // namespace

std::string_view ActionName(Action action) { return kActionNames[static_cast<size_t>(action)]; }

std::optional<Action> ActionFromName(std::string_view name) {
  for (size_t i = 0; i < kActionNames.size(); ++i) {
    if (kActionNames[i] == name) return static_cast<Action>(i);
  }
  return std::nullopt;
}

}  // namespace sqsim
