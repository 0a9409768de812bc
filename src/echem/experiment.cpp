// Parser of PyBaMM-style experiment sentences (see experiment.hpp).
//
// Hand-written scanners, each one pass over the text (no std::regex: its backtracking recursed
// once per character and overflowed the stack on long experiments). The repeat "(...) x N" is
// bounded: an experiment expands to at most kMaxSteps steps, checked before the steps are copied.
#include "cathodelab/echem/experiment.hpp"

#include "cathodelab/core/error.hpp"
#include "cathodelab/core/memory.hpp"
#include "cathodelab/core/suggest.hpp"
#include "cathodelab/core/units.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <cctype>
#include <charconv>
#include <system_error>

namespace cathodelab::echem {
namespace {

// Steps one experiment may expand to (a million 1C cycles is far beyond any cell's life).
constexpr std::size_t kMaxSteps = 1'000'000;
// Longest text quoted in full in an error message.
constexpr std::size_t kShownLength = 120;

std::string shown(std::string_view text) {
  return text.size() <= kShownLength ? std::string(text)
                                     : std::string(text.substr(0, kShownLength)) + "...";
}

bool is_space(char c) {
  return std::isspace(static_cast<unsigned char>(c)) != 0;
}
bool is_digit(char c) {
  return c >= '0' && c <= '9';
}
bool is_letter(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
bool is_word(char c) {
  return is_letter(c) || is_digit(c) || c == '_';
}

std::string lower(std::string_view s) {
  std::string out(s);
  std::transform(out.begin(), out.end(), out.begin(),
                 [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
  return out;
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return s;
}

class SentenceParser {
 public:
  explicit SentenceParser(std::string_view sentence)
      : text_(trim(sentence)), lowered_(lower(text_)) {}

  Step parse() {
    step_.text = std::string(text_);
    const std::size_t verb_end = std::min(lowered_.find(' '), lowered_.size());
    const std::string verb = lowered_.substr(0, verb_end);
    static const std::vector<std::string> verbs{"discharge", "charge", "rest", "hold", "sweep"};
    if (std::find(verbs.begin(), verbs.end(), verb) == verbs.end()) {
      const std::vector<std::string> shown{"Discharge", "Charge", "Rest", "Hold", "Sweep"};
      fail(0, fmt::format("unknown instruction '{}'", text_.substr(0, verb_end)),
           core::suggestion_text(text_.substr(0, verb_end), shown));
    }
    // Split the rest into clauses that start with a keyword.
    split_clauses(verb_end);
    if (verb == "rest") {
      step_.mode = StepMode::rest;
      require_no("at");
    } else if (verb == "discharge" || verb == "charge") {
      step_.direction = verb == "discharge" ? 1.0 : -1.0;
      const auto& at = require("at", "a current, e.g. \"Discharge at 1C until 3.0 V\"");
      parse_drive(at);
    } else if (verb == "hold") {
      const auto& at = require("at", "a voltage, e.g. \"Hold at 4.3 V until C/20\"");
      step_.mode = StepMode::voltage;
      step_.value = quantity(at, core::dim::voltage, "4.3 V");
    } else {  // sweep
      const auto& from = require("from", "\"Sweep from 3.0 V to 4.3 V at 0.1 mV/s\"");
      const auto& to = require("to", "\"Sweep from 3.0 V to 4.3 V at 0.1 mV/s\"");
      const auto& at = require("at", "a sweep rate, e.g. \"at 0.1 mV/s\"");
      step_.mode = StepMode::sweep;
      step_.sweep_start = quantity(from, core::dim::voltage, "3.0 V");
      step_.value = quantity(to, core::dim::voltage, "4.3 V");
      const core::Dimension rate_dim{{2, 1, -4, -1, 0, 0, 0}};  // V/s
      const double rate = quantity(at, rate_dim, "0.1 mV/s");
      if (!(rate > 0.0)) fail(at.column, "sweep rate must be positive", "e.g. \"at 0.1 mV/s\"");
      if (step_.value == step_.sweep_start)
        fail(to.column, "sweep start and end are equal", "give two different voltages");
      step_.sweep_rate = step_.value > step_.sweep_start ? rate : -rate;
      step_.duration = std::abs(step_.value - step_.sweep_start) / rate;
    }
    for (const auto& c : clauses_) {
      if (c.keyword == "for") {
        const double d = quantity(c, core::dim::time, "10 minutes");
        if (!(d > 0.0)) fail(c.column, "duration must be positive", "e.g. \"for 1 hour\"");
        step_.duration = d;
      } else if (c.keyword == "until") {
        parse_limit(c);
      }
    }
    if (step_.mode == StepMode::rest && !step_.duration) {
      fail(text_.size(), "a rest needs a duration", "e.g. \"Rest for 1 hour\"");
    }
    if (!step_.duration && !step_.voltage_limit && !step_.current_limit) {
      fail(text_.size(), "the step has no end",
           "add \"until <voltage>\" (or \"until <current>\" for a hold) or \"for <duration>\"");
    }
    return step_;
  }

 private:
  struct Clause {
    std::string keyword;
    std::string value;
    std::size_t column = 0;  // 0-based start of the value
  };
  std::string_view text_;
  std::string lowered_;
  std::vector<Clause> clauses_;
  Step step_;

  [[noreturn]] void fail(std::size_t column, const std::string& problem,
                         const std::string& fix) const {
    throw core::InputError(
        fmt::format("in step \"{}\" at column {}: {}", shown(text_), column + 1, problem),
        "experiment", fix);
  }

  void split_clauses(std::size_t from) {
    static const std::vector<std::string> keywords{"at", "until", "for", "or", "from", "to"};
    std::size_t pos = from;
    Clause* current = nullptr;
    std::size_t value_start = from;
    auto close = [&](std::size_t end) {
      if (current != nullptr)
        current->value = std::string(trim(text_.substr(value_start, end - value_start)));
    };
    while (pos < lowered_.size()) {
      while (pos < lowered_.size() && lowered_[pos] == ' ') ++pos;
      const std::size_t word_end = std::min(lowered_.find(' ', pos), lowered_.size());
      const std::string word = lowered_.substr(pos, word_end - pos);
      if (std::find(keywords.begin(), keywords.end(), word) != keywords.end()) {
        close(pos);
        if (word != "or") {
          clauses_.push_back({word, {}, word_end + 1});
          current = &clauses_.back();
          value_start = std::min(word_end, lowered_.size());
        } else {
          current = nullptr;
        }
      } else if (current == nullptr) {
        fail(pos, fmt::format("unexpected '{}'", text_.substr(pos, word_end - pos)),
             "write e.g. \"Discharge at 1C until 3.0 V\" or \"Rest for 1 hour\"");
      }
      pos = word_end;
    }
    close(lowered_.size());
    for (const auto& c : clauses_) {
      if (trim(c.value).empty())
        fail(c.column, fmt::format("'{}' needs a value", c.keyword), "e.g. \"for 1 hour\"");
    }
  }
  const Clause& require(const std::string& keyword, const std::string& fix) {
    for (const auto& c : clauses_) {
      if (c.keyword == keyword) return c;
    }
    fail(text_.size(), fmt::format("missing '{}'", keyword), fix);
  }
  void require_no(const std::string& keyword) {
    for (const auto& c : clauses_) {
      if (c.keyword == keyword)
        fail(c.column, fmt::format("a rest takes no '{}'", keyword), "write \"Rest for 1 hour\"");
    }
  }

  static std::string normalize_units(std::string_view value) {
    // "mA/cm2" -> "mA/cm^2"; PyBaMM writes areas without the caret. A '2' counts when it follows
    // a letter and ends a word.
    std::string out;
    out.reserve(value.size() + 2);
    for (std::size_t i = 0; i < value.size(); ++i) {
      out.push_back(value[i]);
      const bool squared = is_letter(value[i]) && i + 1 < value.size() && value[i + 1] == '2' &&
                           (i + 2 == value.size() || !is_word(value[i + 2]));
      if (squared) {
        out += "^2";
        ++i;
      }
    }
    return out;
  }
  [[nodiscard]] double quantity(const Clause& c, core::Dimension expected,
                                std::string_view example) const {
    try {
      return core::parse_quantity_as(normalize_units(c.value), expected, "experiment", example);
    } catch (const core::InputError& e) {
      fail(c.column, e.problem(), e.fix());
    }
  }
  // Whether `v` has the shape of a C-rate: [number] C [/ divisor], with spaces anywhere between.
  static bool looks_like_c_rate(std::string_view v) {
    std::size_t p = 0;
    const auto skip = [&](auto&& belongs) {
      while (p < v.size() && belongs(v[p])) ++p;
    };
    const auto number_char = [](char c) {
      return is_digit(c) || c == '.' || c == 'e' || c == 'E' || c == '+' || c == '-';
    };
    skip(is_space);
    skip(number_char);
    skip(is_space);
    if (p >= v.size() || v[p] != 'C') return false;
    ++p;
    const std::size_t after_c = p;
    skip(is_space);
    if (p < v.size() && v[p] == '/') {
      ++p;
      skip(is_space);
      const std::size_t divisor = p;
      skip([](char c) { return is_digit(c) || c == '.'; });
      if (p == divisor) p = after_c;  // no divisor: the '/' is left over and refuses the match
    } else {
      p = after_c;
    }
    skip(is_space);
    return p == v.size();
  }

  void parse_drive(const Clause& at) {
    if (looks_like_c_rate(at.value)) {
      step_.mode = StepMode::c_rate;
      try {
        step_.value = core::parse_c_rate(at.value, "experiment");
      } catch (const core::InputError& e) {
        fail(at.column, e.problem(), e.fix());
      }
      return;
    }
    core::Quantity q;
    try {
      q = core::parse_quantity(normalize_units(at.value));
    } catch (const core::InputError& e) {
      fail(at.column, e.problem(), e.fix());
    }
    if (q.dimension == core::dim::current) {
      step_.mode = StepMode::current;
    } else if (q.dimension == core::dim::current_density) {
      step_.mode = StepMode::current_density;
    } else if (q.dimension == core::dim::power) {
      step_.mode = StepMode::power;
    } else {
      fail(at.column,
           fmt::format("'{}' is not a current, C-rate, current density or power", at.value),
           "write e.g. \"1C\", \"C/10\", \"2 A\", \"0.5 mA/cm2\" or \"1 W\"");
    }
    if (!(q.value > 0.0))
      fail(at.column, "the rate must be positive (use Charge or Discharge for the sign)",
           "e.g. \"Charge at 1C\"");
    step_.value = q.value;
  }

  void parse_limit(const Clause& c) {
    if (looks_like_c_rate(c.value)) {
      double v = 0.0;
      try {
        v = core::parse_c_rate(c.value, "experiment");
      } catch (const core::InputError& e) {
        fail(c.column, e.problem(), e.fix());
      }
      step_.current_limit = CurrentLimit{v, StepMode::c_rate};
      return;
    }
    core::Quantity q;
    try {
      q = core::parse_quantity(normalize_units(c.value));
    } catch (const core::InputError& e) {
      fail(c.column, e.problem(), e.fix());
    }
    if (q.dimension == core::dim::voltage) {
      step_.voltage_limit = q.value;
    } else if (q.dimension == core::dim::current) {
      step_.current_limit = CurrentLimit{std::abs(q.value), StepMode::current};
    } else if (q.dimension == core::dim::current_density) {
      step_.current_limit = CurrentLimit{std::abs(q.value), StepMode::current_density};
    } else {
      fail(c.column, fmt::format("'{}' is neither a voltage nor a current", c.value),
           "write e.g. \"until 3.0 V\" or \"until C/20\" or \"until 10 mA\"");
    }
  }
};

std::vector<std::string> split_sentences(std::string_view group) {
  std::vector<std::string> out;
  std::string current;
  for (char c : group) {
    if (c == ';' || c == '\n' || c == ',') {
      if (!trim(current).empty()) out.emplace_back(trim(current));
      current.clear();
    } else {
      current.push_back(c);
    }
  }
  if (!trim(current).empty()) out.emplace_back(trim(current));
  return out;
}

// One experiment string: the sentences and how often they repeat.
struct Group {
  std::string_view body;
  std::size_t repeats = 1;
};

// Recognises "(...) x N" and "... x N cycles" (also 'X' or '*', "cycle", parentheses optional):
// scanned from the end, the tail is [')'] spaces [xX*] spaces digits spaces ["cycle"["s"]] spaces,
// and the body is everything between an optional leading '(' and that tail. Without such a tail
// the whole text is one unrepeated group.
Group split_repeat(std::string_view text) {
  const auto ends_with = [&](std::size_t end, std::string_view word) {
    return end >= word.size() && text.substr(end - word.size(), word.size()) == word;
  };
  const auto skip_spaces_back = [&](std::size_t end) {
    while (end > 0 && is_space(text[end - 1])) --end;
    return end;
  };
  std::size_t end = skip_spaces_back(text.size());
  if (ends_with(end, "cycles")) {
    end -= 6;
  } else if (ends_with(end, "cycle")) {
    end -= 5;
  }
  end = skip_spaces_back(end);
  const std::size_t digits_end = end;
  while (end > 0 && is_digit(text[end - 1])) --end;
  const std::string_view digits = text.substr(end, digits_end - end);
  end = skip_spaces_back(end);
  if (digits.empty() || end == 0 ||
      (text[end - 1] != 'x' && text[end - 1] != 'X' && text[end - 1] != '*')) {
    return {text, 1};
  }
  std::size_t body_end = skip_spaces_back(end - 1);
  if (body_end > 0 && text[body_end - 1] == ')') --body_end;
  std::size_t body_start = 0;
  while (body_start < text.size() && is_space(text[body_start])) ++body_start;
  if (body_start < text.size() && text[body_start] == '(') ++body_start;
  body_end = std::max(body_end, body_start);

  std::size_t repeats = 0;
  const auto [last, error] = std::from_chars(digits.data(), digits.data() + digits.size(), repeats);
  if (error != std::errc{} || repeats > kMaxSteps) {
    throw core::InputError(
        fmt::format("in \"{}\": the repeat count {} is larger than the limit of {} steps",
                    shown(text), shown(digits), kMaxSteps),
        "experiment", "repeat fewer cycles, or split the experiment into separate runs");
  }
  if (repeats < 1) {
    throw core::InputError(fmt::format("in \"{}\": a group must repeat at least once", shown(text)),
                           "experiment", "write e.g. \"(...) x 10\"");
  }
  return {text.substr(body_start, body_end - body_start), repeats};
}

// Refuses an expansion beyond kMaxSteps steps or the available memory, before copying a step.
void reserve_expansion(Experiment& experiment, const std::vector<Step>& group, std::size_t repeats,
                       std::string_view text) {
  const auto added = core::checked_product({group.size(), repeats});
  const std::size_t total = experiment.steps.size() + added.value_or(kMaxSteps + 1);
  if (!added || total > kMaxSteps) {
    throw core::InputError(
        fmt::format("in \"{}\": {} steps repeated {} times make the experiment longer than the "
                    "limit of {} steps",
                    shown(text), group.size(), repeats, kMaxSteps),
        "experiment", "repeat fewer cycles, or split the experiment into separate runs");
  }
  std::size_t group_bytes = 0;
  for (const Step& step : group) group_bytes += sizeof(Step) + step.text.size();
  const auto bytes = core::checked_product({group_bytes, repeats});
  core::require_memory(bytes.value_or(SIZE_MAX), "expanding the experiment");
  if (total > experiment.steps.capacity()) {
    experiment.steps.reserve(std::min(std::max(total, 2 * experiment.steps.capacity()), kMaxSteps));
  }
}

}  // namespace

Step parse_step(std::string_view sentence) {
  return SentenceParser(sentence).parse();
}

Experiment parse_experiment(std::span<const std::string> texts) {
  Experiment experiment;
  int cycle = 0;
  for (const auto& text : texts) {
    const Group group = split_repeat(text);
    const auto sentences = split_sentences(group.body);
    if (sentences.empty()) {
      throw core::InputError("empty experiment", "experiment",
                             "write e.g. \"Discharge at 1C until 3.0 V\"");
    }
    std::vector<Step> steps;
    for (const auto& s : sentences) steps.push_back(parse_step(s));
    reserve_expansion(experiment, steps, group.repeats, text);
    for (std::size_t r = 0; r < group.repeats; ++r, ++cycle) {
      for (Step step : steps) {
        step.cycle = cycle;
        experiment.steps.push_back(std::move(step));
      }
    }
  }
  return experiment;
}

Experiment parse_experiment(std::string_view text) {
  const std::string one(text);
  return parse_experiment(std::span<const std::string>(&one, 1));
}

}  // namespace cathodelab::echem
