#include "http/request_id.hpp"

#include <chrono>
#include <cstdint>
#include <functional>
#include <random>
#include <thread>

namespace ordergate::http {
namespace {

std::uint64_t seed() {
  std::random_device device;
  const std::uint64_t random = (std::uint64_t{device()} << 32) ^ device();
  const auto clock =
      static_cast<std::uint64_t>(std::chrono::steady_clock::now().time_since_epoch().count());
  return random ^ clock ^ std::hash<std::thread::id>{}(std::this_thread::get_id());
}

// splitmix64: a full-period sequence, so ids of one thread never repeat.
std::uint64_t next_id() {
  thread_local std::uint64_t state = seed();
  std::uint64_t z = (state += 0x9e3779b97f4a7c15ULL);
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ULL;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebULL;
  return z ^ (z >> 31);
}

}  // namespace

std::string generate_request_id() {
  static constexpr char digits[] = "0123456789abcdef";
  std::uint64_t value = next_id();
  std::string id(16, '0');
  for (auto it = id.rbegin(); it != id.rend(); ++it) {
    *it = digits[value & 0xf];
    value >>= 4;
  }
  return id;
}

bool acceptable_request_id(std::string_view id) noexcept {
  if (id.empty() || id.size() > 128) return false;
  for (const char c : id) {
    if (c <= ' ' || c > '~' || c == '"' || c == '\\') return false;
  }
  return true;
}

}  // namespace ordergate::http
