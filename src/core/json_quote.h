// JsonQuote: a JSON string literal as Jackson (the JSON library of the AWS
// services' Java side) writes it: quotes, backslashes and control characters
// escaped (\b \f \n \r \t, the others as \u00XX with upper-case hex), every
// other byte (UTF-8 included) as it is. SNS envelopes and Lambda events are
// byte-compared against AWS's, so they share this one spelling.

#ifndef SQSIM_CORE_JSON_QUOTE_H_
#define SQSIM_CORE_JSON_QUOTE_H_

#include <string>
#include <string_view>

namespace sqsim::internal {

std::string JsonQuote(std::string_view text);

}  // namespace sqsim::internal

#endif  // SQSIM_CORE_JSON_QUOTE_H_
