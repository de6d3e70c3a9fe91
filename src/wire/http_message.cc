#include "wire/http_message.h"

#include <algorithm>

namespace sqsim::internal {

bool EqualsIgnoreCase(std::string_view a, std::string_view b) {
  auto lower = [](char c) { return (c >= 'A' && c <= 'Z') ? static_cast<char>(c - 'A' + 'a') : c; };
  return a.size() == b.size() && std::equal(a.begin(), a.end(), b.begin(),
                                            [&](char x, char y) { return lower(x) == lower(y); });
}

const std::string* HttpHeaders::Find(std::string_view name) const {
  for (const HttpHeader& header : headers_) {
    if (EqualsIgnoreCase(header.name, name)) return &header.value;
  }
  return nullptr;
}

void HttpHeaders::Set(std::string_view name, std::string_view value) {
  Remove(name);
  Add(name, value);
}

void HttpHeaders::Add(std::string_view name, std::string_view value) {
  headers_.push_back(HttpHeader{std::string(name), std::string(value)});
}

void HttpHeaders::Remove(std::string_view name) {
  std::erase_if(headers_,
                [&](const HttpHeader& header) { return EqualsIgnoreCase(header.name, name); });
}

}  // namespace sqsim::internal
