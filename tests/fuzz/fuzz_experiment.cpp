// libFuzzer target: echem::parse_experiment on arbitrary text. A NUL byte splits the input into
// several experiment strings (consecutive cycles), so both entry points are exercised.
// InputError is the expected answer to bad text; anything else is a finding.
#include "cathodelab/core/error.hpp"
#include "cathodelab/echem/experiment.hpp"

#include <cstddef>
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>
#include <vector>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
  namespace core = cathodelab::core;
  namespace echem = cathodelab::echem;
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  std::vector<std::string> texts;
  std::size_t start = 0;
  for (std::size_t end = text.find('\0'); end != std::string_view::npos;
       end = text.find('\0', start)) {
    texts.emplace_back(text.substr(start, end - start));
    start = end + 1;
  }
  texts.emplace_back(text.substr(start));
  try {
    const echem::Experiment e = echem::parse_experiment(texts);
    // Every parsed step must end somehow and carry its cycle in order.
    int cycle = 0;
    for (const echem::Step& step : e.steps) {
      if (!step.duration && !step.voltage_limit && !step.current_limit) std::abort();
      if (step.cycle < cycle) std::abort();
      cycle = step.cycle;
    }
  } catch (const core::InputError&) {
  }
  return 0;
}
