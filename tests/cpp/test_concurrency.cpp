// Concurrency and determinism of every pillar's main entry points (issue #9).
//
// For each entry point two properties are checked:
//  (a) determinism: the result is bit-identical for threads = 1, 2 and 8 and across two runs;
//  (b) thread safety: four std::threads calling it at once on the same shared const inputs
//      (each call itself multi-threaded where the function has a thread option) get exactly
//      what a lone call gets.
// "Exactly" means a byte-wise digest of every output field: integers and strings as they are,
// floating-point values by bit pattern (so a NaN must be the same NaN and -0.0 is not 0.0).
//
// Run under ThreadSanitizer (`cmake --preset tsan`, scripts/tsan) these tests drive every
// parallel code path with real threads: inputs are sized so that each parallel section really
// splits (discover and evaluate take >= 64k events per worker, the simulator 256 accounts per
// block, build_features 256 rows per chunk) while staying small enough for TSan's slowdown.
#include <gtest/gtest.h>
#include <unistd.h>
#include <zlib.h>

#include <bit>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <exception>
#include <filesystem>
#include <fstream>
#include <latch>
#include <random>
#include <string>
#include <thread>
#include <type_traits>
#include <vector>

#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/features.hpp"
#include "cxkit/churn/logistic.hpp"
#include "cxkit/core/calendar.hpp"
#include "cxkit/feedback/duplicates.hpp"
#include "cxkit/feedback/normalize.hpp"
#include "cxkit/feedback/text_index.hpp"
#include "cxkit/feedback/themes.hpp"
#include "cxkit/feedback/tokenize.hpp"
#include "cxkit/feedback/vectorize.hpp"
#include "cxkit/io/csv.hpp"
#include "cxkit/io/xes.hpp"
#include "cxkit/journey/conformance.hpp"
#include "cxkit/journey/design.hpp"
#include "cxkit/journey/discover.hpp"
#include "cxkit/journey/funnel.hpp"
#include "cxkit/journey/markov.hpp"
#include "cxkit/moments/compliance.hpp"
#include "cxkit/moments/evaluate.hpp"
#include "cxkit/simulate/company.hpp"

using namespace cxkit;
namespace fs = std::filesystem;

namespace {

// ---------------------------------------------------------------------------------------------
// A byte digest of a result: two results are identical iff their digests are equal.

class Digest {
 public:
  void raw(const void* p, std::size_t n) { bytes_.append(static_cast<const char*>(p), n); }
  template <class T>
    requires(std::is_arithmetic_v<T> || std::is_enum_v<T>)
  void num(T v) {
    raw(&v, sizeof v);  // a double's bytes are its bit pattern
  }
  void str(std::string_view s) {
    num<std::uint64_t>(s.size());
    raw(s.data(), s.size());
  }
  const std::string& bytes() const noexcept { return bytes_; }

 private:
  std::string bytes_;
};

// Every overload is declared before the templates that call them (they live in this namespace,
// not in the argument types' namespaces, so argument-dependent lookup would not find them).
void put(Digest& d, const std::string& s);
void put(Digest& d, Timestamp t);
void put(Digest& d, Duration t);
void put(Digest& d, const Dictionary& dict);
void put(Digest& d, const Column& c);
void put(Digest& d, const EventLog& log);
void put(Digest& d, const Table& t);
void put(Digest& d, const SkippedRow& r);
void put(Digest& d, const journey::DurationSummary& s);
void put(Digest& d, const journey::DurationStats& s);
void put(Digest& d, const journey::ActivityStats& a);
void put(Digest& d, const journey::Edge& e);
void put(Digest& d, const journey::Variant& v);
void put(Digest& d, const journey::JourneyMap& m);
void put(Digest& d, const journey::CustomerConformance& c);
void put(Digest& d, const journey::StageConformance& s);
void put(Digest& d, const journey::DeviationCount& c);
void put(Digest& d, const journey::UnexpectedCount& c);
void put(Digest& d, const journey::DeviationEffect& e);
void put(Digest& d, const journey::ConformanceResult& r);
void put(Digest& d, const journey::NextActivityCount& n);
void put(Digest& d, const journey::FunnelStep& s);
void put(Digest& d, const journey::FunnelGroup& g);
void put(Digest& d, const journey::FunnelCustomer& c);
void put(Digest& d, const journey::FunnelResult& r);
void put(Digest& d, const journey::MarkovChain& m);
void put(Digest& d, const moments::Occurrence& o);
void put(Digest& d, const moments::ComplianceRow& r);
void put(Digest& d, const churn::FeatureMatrix& m);
void put(Digest& d, const feedback::Theme& t);
void put(Digest& d, const feedback::ThemeResult& r);
void put(Digest& d, const feedback::DuplicateGroups& g);
void put(Digest& d, const feedback::TfidfResult& r);
void put(Digest& d, const feedback::SimilarHit& h);
void put(Digest& d, const simulate::Company& c);

template <class T>
  requires(std::is_arithmetic_v<T> || std::is_enum_v<T>)
void put(Digest& d, T v) {
  d.num(v);
}
template <class T>
void put(Digest& d, const std::optional<T>& v) {
  d.num<std::uint8_t>(v.has_value());
  if (v) put(d, *v);
}
template <class T>
void put(Digest& d, const std::vector<T>& v) {
  d.num<std::uint64_t>(v.size());
  for (const auto& x : v) put(d, x);
}
template <class Derived>
void put(Digest& d, const Eigen::DenseBase<Derived>& m) {
  d.num<std::int64_t>(m.rows());
  d.num<std::int64_t>(m.cols());
  for (Eigen::Index j = 0; j < m.cols(); ++j)
    for (Eigen::Index i = 0; i < m.rows(); ++i) d.num(static_cast<double>(m(i, j)));
}
template <class T>
std::string digest(const T& value) {
  Digest d;
  put(d, value);
  return d.bytes();
}

void put(Digest& d, const std::string& s) { d.str(s); }
void put(Digest& d, Timestamp t) { d.num(to_micros(t)); }
void put(Digest& d, Duration t) { d.num(t.count()); }
void put(Digest& d, const Dictionary& dict) {
  d.num<std::uint64_t>(dict.size());
  for (std::uint32_t i = 0; i < dict.size(); ++i) d.str(dict.name(i));
}
void put(Digest& d, const Column& c) {
  d.str(c.name());
  d.num(c.type());
  d.num<std::uint64_t>(c.size());
  for (std::size_t r = 0; r < c.size(); ++r) d.num<std::uint8_t>(c.is_missing(r));
  switch (c.type()) {
    case ColumnType::numeric:
      for (double x : c.numbers()) d.num(x);
      break;
    case ColumnType::categorical:
      for (auto x : c.codes()) d.num(x);
      put(d, c.categories());
      break;
    case ColumnType::timestamp:
      for (auto x : c.times()) d.num(x);
      break;
    case ColumnType::text:
      for (std::size_t r = 0; r < c.size(); ++r) d.str(c.text(r));
      break;
  }
}
template <class T>
void put_span(Digest& d, std::span<const T> s) {
  d.num<std::uint64_t>(s.size());
  d.raw(s.data(), s.size_bytes());
}
void put(Digest& d, const EventLog& log) {
  put_span(d, log.case_ids());
  put_span(d, log.timestamps());
  put_span(d, log.activity_ids());
  put_span(d, log.case_offsets());
  put(d, log.case_names());
  put(d, log.activity_names());
  put(d, log.attributes());
  put(d, log.skipped_rows());
}
void put(Digest& d, const Table& t) {
  d.str(t.key_name());
  put(d, t.keys());
  put(d, t.columns());
}
void put(Digest& d, const SkippedRow& r) {
  d.num(r.line);
  d.str(r.reason);
}
void put(Digest& d, const journey::DurationSummary& s) {
  for (double x : {s.sum, s.mean, s.median, s.min, s.max, s.stdev}) d.num(x);
  d.num(s.count);
  put(d, s.quantiles);
}
void put(Digest& d, const journey::DurationStats& s) {
  static const std::vector<double> probs = {0.0, 0.1, 0.25, 0.5, 0.75, 0.9, 0.99, 1.0};
  d.num(s.count());
  put(d, s.summarize(probs));
}
void put(Digest& d, const journey::ActivityStats& a) {
  d.str(a.name);
  for (auto x : {a.events, a.cases, a.starts, a.ends, a.rework_cases, a.self_loops}) d.num(x);
}
void put(Digest& d, const journey::Edge& e) {
  d.num(e.source);
  d.num(e.target);
  d.num(e.count);
  put(d, e.durations);
  put(d, e.summary);
}
void put(Digest& d, const journey::Variant& v) {
  put(d, v.activities);
  d.num(v.count);
  d.num(v.share);
  put(d, v.durations);
  put(d, v.summary);
}
void put(Digest& d, const journey::JourneyMap& m) {
  put(d, m.quantile_probs());
  d.num(m.n_cases());
  d.num(m.n_events());
  d.num(m.rework_cases());
  put(d, m.activities());
  put(d, m.edges());
  put(d, m.variants());
}
void put(Digest& d, const journey::CustomerConformance& c) {
  d.str(c.customer);
  d.num(c.entered);
  d.num(c.fitness);
  d.num(c.observed_stages);
  d.num(c.unexpected_events);
  put(d, c.skipped);
  put(d, c.out_of_order);
  put(d, c.over_target);
  put(d, c.unexpected);
  d.num(c.current_stage);
  put(d, c.entered_current);
  put(d, c.time_in_current);
  d.num(c.overdue);
  d.num(c.first_deviation);
  d.str(c.first_deviation_name);
  d.num(c.first_deviation_from);
  put(d, c.first_deviation_at);
}
void put(Digest& d, const journey::StageConformance& s) {
  d.str(s.stage);
  for (auto x : {s.reached, s.skipped, s.bypassed, s.not_reached, s.out_of_order, s.current, s.overdue, s.over_target})
    d.num(x);
  put(d, s.stay);
  put(d, s.stay_summary);
}
void put(Digest& d, const journey::DeviationCount& c) {
  d.num(c.kind);
  d.str(c.name);
  d.str(c.from_stage);
  d.num(c.customers);
}
void put(Digest& d, const journey::UnexpectedCount& c) {
  d.str(c.activity);
  d.num(c.customers);
  d.num(c.events);
}
void put(Digest& d, const journey::DeviationEffect& e) {
  d.num(e.kind);
  d.str(e.name);
  for (auto x : {e.n_with, e.positive_with, e.n_without, e.positive_without}) d.num(x);
  for (double x : {e.rate_with, e.rate_without, e.difference}) d.num(x);
}
void put(Digest& d, const journey::ConformanceResult& r) {
  put(d, r.stage_names);
  put(d, r.reference);
  put(d, r.customers);
  const auto& s = r.summary;
  for (auto x : {s.n_customers, s.n_entered, s.n_conforming, s.n_overdue, s.n_with_outcome, s.n_positive}) d.num(x);
  d.num(s.fitness_sum);
  d.num(s.mean_fitness);
  put(d, s.stages);
  put(d, s.first_deviations);
  put(d, s.unexpected);
  put(d, s.outcome_effects);
  put(d, s.quantiles);
}
void put(Digest& d, const journey::NextActivityCount& n) {
  d.str(n.activity);
  d.num(n.customers);
}
void put(Digest& d, const journey::FunnelStep& s) {
  d.str(s.activity);
  d.num(s.customers);
  d.num(s.dropped);
  d.num(s.conversion_from_previous);
  d.num(s.conversion_from_first);
  put(d, s.time_from_entry);
  put(d, s.time_from_previous);
  put(d, s.from_entry);
  put(d, s.from_previous);
  put(d, s.next_after_drop);
}
void put(Digest& d, const journey::FunnelGroup& g) {
  d.str(g.segment);
  d.num(g.n_customers);
  put(d, g.steps);
}
void put(Digest& d, const journey::FunnelCustomer& c) {
  d.str(c.customer);
  d.str(c.segment);
  d.num(c.steps_reached);
  put(d, c.reached_at);
}
void put(Digest& d, const journey::FunnelResult& r) {
  put(d, r.overall);
  put(d, r.segments);
  put(d, r.customers);
}
void put(Digest& d, const journey::MarkovChain& m) {
  put(d, m.states());
  d.num<std::uint64_t>(m.n_transient());
  d.num(m.n_cases());
  put(d, m.transition_counts());
  put(d, m.transition_matrix());
  put(d, m.fundamental_matrix());
  put(d, m.absorption_probabilities());
  put(d, m.expected_steps());
  put(d, m.step_time());
  put(d, m.holding_time());
  put(d, m.expected_time());
  put(d, m.start_distribution());
}
void put(Digest& d, const moments::Occurrence& o) {
  d.num(o.case_id);
  d.num(o.moment);
  d.str(o.key);
  put(d, o.started);
  put(d, o.stopped);
  put(d, o.elapsed);
  put(d, o.target);
  put(d, o.deadline);
  d.num(o.status);
  put(d, o.remaining);
}
void put(Digest& d, const moments::ComplianceRow& r) {
  d.num(r.moment);
  d.str(r.group);
  d.num(r.period);
  for (auto x : {r.count, r.met, r.breached, r.pending, r.overdue, r.cancelled}) d.num(x);
  d.num(r.met_rate);
  put(d, r.median_elapsed);
  put(d, r.p90_elapsed);
}
void put(Digest& d, const churn::FeatureMatrix& m) {
  put(d, m.names);
  put(d, m.keys);
  put(d, m.status);
  put(d, m.values);
}
void put(Digest& d, const feedback::Theme& t) {
  d.num(t.id);
  d.str(t.label);
  put(d, t.terms);
  put(d, t.term_scores);
  d.num<std::uint64_t>(t.items);
  d.num<std::uint64_t>(t.representative);
  d.num(t.cohesion);
  d.num(t.language);
}
void put(Digest& d, const feedback::ThemeResult& r) {
  put(d, r.assignment);
  put(d, r.similarity);
  put(d, r.languages);
  put(d, r.themes);
  d.num<std::uint64_t>(r.rounds);
  d.num<std::uint64_t>(r.vocabulary);
}
void put(Digest& d, const feedback::DuplicateGroups& g) {
  put(d, g.group);
  d.num<std::uint64_t>(g.groups.size());
  for (const auto& members : g.groups) {
    d.num<std::uint64_t>(members.size());
    for (auto i : members) d.num<std::uint64_t>(i);
  }
  d.num<std::uint64_t>(g.candidate_pairs);
  d.num<std::uint64_t>(g.verified_pairs);
}
void put(Digest& d, const feedback::TfidfResult& r) {
  put(d, r.terms);
  put(d, r.idf);
  d.num<std::int64_t>(r.rows.rows());
  d.num<std::int64_t>(r.rows.cols());
  for (int k = 0; k < r.rows.outerSize(); ++k)
    for (feedback::SparseMatrix::InnerIterator it(r.rows, k); it; ++it) {
      d.num(static_cast<std::int32_t>(it.col()));
      d.num(it.value());
    }
}
void put(Digest& d, const feedback::SimilarHit& h) {
  d.num<std::uint64_t>(h.index);
  d.num(h.score);
}
void put(Digest& d, const simulate::Company& c) {
  put(d, c.accounts);
  put(d, c.events);
  put(d, c.feedback);
  d.str(c.truth.to_json());
}

// Reports where two digests first differ (printing megabytes of bytes helps nobody).
void expect_same(const std::string& got, const std::string& want, const std::string& what) {
  if (got == want) return;
  std::size_t i = 0;
  while (i < got.size() && i < want.size() && got[i] == want[i]) ++i;
  ADD_FAILURE() << what << ": results differ (digest sizes " << got.size() << " and " << want.size()
                << ", first difference at byte " << i << ")";
}

// (a) The same bits for 1, 2 and 8 threads and across runs. `run(threads)` returns a digest.
template <class F>
void expect_deterministic(const std::string& what, F&& run) {
  const std::string one = run(1u);
  ASSERT_GT(one.size(), 64u) << what << ": the result is suspiciously empty";
  expect_same(run(1u), one, what + ", second run with 1 thread");
  expect_same(run(2u), one, what + ", 2 threads");
  expect_same(run(8u), one, what + ", 8 threads");
}

// (b) Four threads calling `call()` at once on shared inputs get what a lone call gets.
template <class F>
void expect_thread_safe(const std::string& what, F&& call) {
  const std::string lone = call();
  ASSERT_GT(lone.size(), 64u) << what << ": the result is suspiciously empty";
  constexpr int kCallers = 4;
  std::vector<std::string> got(kCallers);
  std::vector<std::exception_ptr> errors(kCallers);
  std::latch start(kCallers);  // all callers enter the function together
  std::vector<std::thread> callers;
  for (int i = 0; i < kCallers; ++i)
    callers.emplace_back([&, i] {
      start.arrive_and_wait();
      try {
        got[i] = call();
      } catch (...) {
        errors[i] = std::current_exception();
      }
    });
  for (auto& t : callers) t.join();
  for (int i = 0; i < kCallers; ++i) {
    if (errors[i]) {
      try {
        std::rethrow_exception(errors[i]);
      } catch (const std::exception& e) {
        ADD_FAILURE() << what << ": caller " << i << " threw " << e.what();
      }
      continue;
    }
    expect_same(got[i], lone, what + ", concurrent caller " + std::to_string(i));
  }
}

// ---------------------------------------------------------------------------------------------
// Shared, immutable inputs.

simulate::CompanyOptions company_options(unsigned threads) {
  // 600 accounts = 3 simulator blocks of 256, so 2 and 8 threads really split the work.
  simulate::CompanyOptions o;
  o.n_accounts = 600;
  o.months = 12;
  o.seed = 5;
  o.feedback_rate = 3.0;  // about a thousand feedback texts
  o.threads = threads;
  return o;
}

const simulate::Company& company() {
  static const simulate::Company c = simulate::company(company_options(2));
  return c;
}

// The company's events copied until there are >= 8 x 65,536 events, so discover() and
// evaluate() (which give each worker at least 64k events) run 8 workers at threads = 8.
const EventLog& big_log() {
  static const EventLog log = [] {
    const EventLog& src = company().events;
    const std::size_t copies = (std::size_t{8} * 65536) / src.size() + 1;
    EventLogBuilder b("big");
    std::vector<std::size_t> attr;
    for (const auto& c : src.attributes()) attr.push_back(b.add_attribute(c.name(), c.type()));
    b.reserve(src.size() * copies);
    for (std::size_t k = 0; k < copies; ++k) {
      const std::string suffix = "#" + std::to_string(k);
      for (std::size_t c = 0; c < src.n_cases(); ++c) {
        const std::string name = std::string(src.case_names().name(static_cast<std::uint32_t>(c))) + suffix;
        for (std::size_t e = src.case_begin(c); e < src.case_end(c); ++e) {
          b.add_event(name, src.activity_names().name(src.activity_ids()[e]), src.timestamp(e));
          for (std::size_t a = 0; a < attr.size(); ++a) {
            const Column& col = src.attributes()[a];
            if (col.is_missing(e)) continue;
            switch (col.type()) {
              case ColumnType::numeric: b.set_number(attr[a], col.numbers()[e]); break;
              case ColumnType::categorical: b.set_category(attr[a], col.categories().name(col.codes()[e])); break;
              case ColumnType::text: b.set_text(attr[a], col.text(e)); break;
              case ColumnType::timestamp: b.set_time(attr[a], from_micros(col.times()[e])); break;
            }
          }
        }
      }
    }
    return b.build();
  }();
  return log;
}

// `n` feedback texts: the company's own, then pairs of them joined (distinct, still multilingual
// and on topic), so that text pipelines get several chunks of work per thread.
std::vector<std::string> feedback_texts(std::size_t n) {
  const Column& text = company().feedback.column("text");
  std::vector<std::string> own;
  for (std::size_t r = 0; r < text.size(); ++r)
    if (!text.is_missing(r)) own.emplace_back(text.text(r));
  std::vector<std::string> out(own.begin(), own.begin() + static_cast<std::ptrdiff_t>(std::min(n, own.size())));
  for (std::size_t k = 0; out.size() < n; ++k) out.push_back(own[k % own.size()] + " " + own[(k * 7 + 3) % own.size()]);
  return out;
}

std::vector<moments::Moment> company_moments() {
  return {moments::Moment::from_json_text(R"({"name": "first reply", "trigger": "ticket opened",
          "fulfil": "first reply", "key": "ticket", "within": "4h",
          "targets": {"by": "priority", "values": {"P0": "1h", "P1": "2h"}},
          "calendar": {"timezone": "Europe/Berlin",
                       "week": [[["09:00","17:00"]], [["09:00","17:00"]], [["09:00","17:00"]],
                                [["09:00","17:00"]], [["09:00","17:00"]], [], []]},
          "pause_on": ["pending"], "resume_on": ["agent update"]})"),
          moments::Moment::from_json_text(R"({"name": "resolution", "trigger": "ticket opened",
          "fulfil": "resolved", "cancel_on": "closed", "key": "ticket", "within": "24h"})"),
          moments::Moment::from_json_text(R"({"name": "welcome", "trigger": "signed",
          "fulfil": "welcome sent", "within": "24h"})")};
}

Timestamp at(const char* iso) {
  Timestamp t;
  if (!parse_iso8601(iso, t)) throw std::runtime_error(std::string("bad test timestamp ") + iso);
  return t;
}

// A unique scratch directory per test (tests may run in parallel under ctest).
fs::path scratch_dir(const std::string& name) {
  const fs::path dir = fs::temp_directory_path() / ("cxkit_concurrency_" + name + "_" + std::to_string(::getpid()));
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// Survival-style data with ties (integer durations) for Cox and a binary label for logistic.
struct ModelData {
  churn::Matrix X;
  churn::Vector durations, events, y;
};

const ModelData& model_data() {
  static const ModelData data = [] {
    constexpr int n = 600, p = 4;
    ModelData m{churn::Matrix(n, p), churn::Vector(n), churn::Vector(n), churn::Vector(n)};
    std::mt19937_64 rng(17);
    const auto uniform = [&] { return static_cast<double>(rng() >> 11) * 0x1.0p-53; };
    for (int i = 0; i < n; ++i) {
      double eta = 0;
      for (int j = 0; j < p; ++j) {
        m.X(i, j) = uniform() * 2 - 1 + (j == 3 ? static_cast<double>(i % 3) : 0.0);
        eta += (0.8 - 0.4 * j) * m.X(i, j);
      }
      m.durations(i) = std::ceil(-std::log(1 - uniform()) * 20 * std::exp(-eta));  // ties
      m.events(i) = uniform() < 0.75 ? 1.0 : 0.0;
      m.y(i) = uniform() < 1 / (1 + std::exp(-eta)) ? 1.0 : 0.0;
    }
    return m;
  }();
  return data;
}

}  // namespace

// ---------------------------------------------------------------------------------------------
// Simulator

TEST(Concurrency, SimulatorIsDeterministicForAnyThreadCount) {
  const std::string reference = digest(company());  // made with 2 threads
  expect_same(digest(simulate::company(company_options(1))), reference, "company, 1 thread");
  expect_same(digest(simulate::company(company_options(8))), reference, "company, 8 threads");
}

TEST(Concurrency, SimulatorFromSeveralThreads) {
  // With a progress callback too: workers add to its counter while only the caller reports.
  expect_thread_safe("company", [] {
    auto o = company_options(2);
    std::uint64_t calls = 0;
    o.progress.callback = [&calls](std::uint64_t, std::uint64_t) { return ++calls > 0; };
    auto c = simulate::company(o);
    c.options.progress = {};
    return digest(c);
  });
}

// ---------------------------------------------------------------------------------------------
// Ingestion

TEST(Concurrency, ReadCsvFromSeveralThreads) {
  const fs::path dir = scratch_dir("csv");
  simulate::save(company(), dir.string());
  io::CsvOptions o;
  o.case_column = "case";
  o.activity_column = "activity";
  o.timestamp_column = "timestamp";
  const std::string path = (dir / "events.csv").string();
  const std::string first = digest(io::read_csv(path, o));
  expect_same(digest(io::read_csv(path, o)), first, "read_csv, second run");
  // The file holds what the simulator built (same columns, values and order).
  EXPECT_EQ(io::read_csv(path, o).size(), company().events.size());
  expect_thread_safe("read_csv", [&] { return digest(io::read_csv(path, o)); });
  fs::remove_all(dir);
}

namespace {

// An XES document of the company's first cases with string, int, float and date attributes.
std::string company_xes(std::size_t max_cases) {
  const EventLog& log = company().events;
  const Column& priority = log.attribute("priority");
  const Column& score = log.attribute("score");
  std::string x =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<log xes.version=\"1849-2016\" "
      "xmlns=\"http://www.xes-standard.org/\">\n";
  for (std::size_t c = 0; c < std::min(max_cases, log.n_cases()); ++c) {
    x += "<trace><string key=\"concept:name\" value=\"";
    x += log.case_names().name(static_cast<std::uint32_t>(c));
    x += "\"/>\n";
    for (std::size_t e = log.case_begin(c); e < log.case_end(c); ++e) {
      x += "<event><string key=\"concept:name\" value=\"";
      x += log.activity_names().name(log.activity_ids()[e]);
      x += "\"/><date key=\"time:timestamp\" value=\"" + format_iso8601(log.timestamp(e)) + "\"/>";
      if (!priority.is_missing(e))
        x += "<string key=\"priority\" value=\"" + priority.value_string(e) + "\"/>";
      if (!score.is_missing(e)) x += "<float key=\"score\" value=\"" + score.value_string(e) + "\"/>";
      x += "<int key=\"n\" value=\"" + std::to_string(e) + "\"/></event>\n";
    }
    x += "</trace>\n";
  }
  return x + "</log>\n";
}

std::string gzip(const std::string& text) {
  z_stream zs{};
  if (deflateInit2(&zs, 6, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) throw std::runtime_error("zlib");
  std::string out(deflateBound(&zs, text.size()) + 32, '\0');
  zs.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(text.data()));
  zs.avail_in = static_cast<uInt>(text.size());
  zs.next_out = reinterpret_cast<Bytef*>(out.data());
  zs.avail_out = static_cast<uInt>(out.size());
  const int rc = deflate(&zs, Z_FINISH);
  deflateEnd(&zs);
  if (rc != Z_STREAM_END) throw std::runtime_error("zlib");
  out.resize(zs.total_out);
  return out;
}

io::XesOptions xes_options(unsigned threads) {
  io::XesOptions o;
  o.threads = threads;
  o.chunk_bytes = 16 * 1024;  // many chunks, so every worker parses several
  return o;
}

}  // namespace

TEST(Concurrency, ReadXesIsDeterministicForAnyThreadCount) {
  const std::string text = company_xes(200);
  ASSERT_GT(text.size(), 8 * xes_options(1).chunk_bytes);
  expect_deterministic("read_xes_buffer", [&](unsigned t) { return digest(io::read_xes_buffer(text, xes_options(t))); });
  // From a gzip file: the prefetching reader thread feeds the chunker.
  const fs::path dir = scratch_dir("xes");
  const std::string path = (dir / "log.xes.gz").string();
  std::ofstream(path, std::ios::binary) << gzip(text);
  const std::string whole = digest(io::read_xes_buffer(text, xes_options(1)));
  expect_deterministic("read_xes(.xes.gz)", [&](unsigned t) { return digest(io::read_xes(path, xes_options(t))); });
  expect_same(digest(io::read_xes(path, xes_options(1))), whole, "read_xes(.xes.gz) vs the buffer");
  fs::remove_all(dir);
}

TEST(Concurrency, ReadXesFromSeveralThreads) {
  const std::string text = company_xes(200);
  expect_thread_safe("read_xes_buffer", [&] { return digest(io::read_xes_buffer(text, xes_options(2))); });
}

// ---------------------------------------------------------------------------------------------
// Journeys

namespace {

journey::DiscoverOptions discover_options(unsigned threads, journey::DurationMode mode) {
  journey::DiscoverOptions o;
  o.threads = threads;
  o.durations = mode;
  return o;
}

}  // namespace

TEST(Concurrency, DiscoverIsDeterministicForAnyThreadCount) {
  const EventLog& log = big_log();
  ASSERT_GE(log.size(), std::size_t{8} * 65536);
  for (auto mode : {journey::DurationMode::exact, journey::DurationMode::sketch}) {
    expect_deterministic(std::string("discover ") + journey::to_string(mode), [&](unsigned t) {
      return digest(journey::discover(log, discover_options(t, mode)));
    });
  }
  // Business-time durations (the calendar is shared by all workers).
  auto o = discover_options(1, journey::DurationMode::exact);
  o.calendar = Calendar::business_hours("America/Sao_Paulo");
  expect_deterministic("discover on a calendar", [&](unsigned t) {
    o.threads = t;
    return digest(journey::discover(company().events, o));
  });
}

TEST(Concurrency, DiscoverFromSeveralThreads) {
  expect_thread_safe("discover", [] {
    return digest(journey::discover(big_log(), discover_options(2, journey::DurationMode::exact)));
  });
}

TEST(Concurrency, MarkovIsDeterministicAndThreadSafe) {
  const std::vector<std::string> absorbing = {"churned"};
  expect_deterministic("markov", [&](unsigned t) {
    journey::MarkovOptions o;
    o.threads = t;
    return digest(journey::markov(big_log(), absorbing, o));
  });
  expect_thread_safe("markov", [&] {
    journey::MarkovOptions o;
    o.threads = 2;
    return digest(journey::markov(big_log(), absorbing, o));
  });
}

TEST(Concurrency, ConformanceAndFunnelFromSeveralThreads) {
  // No thread option: the guarantee is that concurrent calls on one design and log agree.
  const auto design = journey::JourneyDesign::from_json_text(R"({"name": "onboarding", "stages": [
      {"name": "signed", "target": "2D", "next": ["welcome sent"]},
      {"name": "welcome sent", "next": ["kickoff call"]},
      {"name": "kickoff call", "next": ["workspace set up", "training completed"]},
      {"name": "workspace set up", "mandatory": false, "next": ["training completed"]},
      {"name": "training completed", "target": "10D", "next": ["go-live"]},
      {"name": "go-live"}]})");
  journey::CheckOptions co;
  co.calendar = Calendar::business_hours("Europe/Moscow");
  co.as_of = at("2024-10-01T00:00:00Z");
  const EventLog& log = company().events;
  expect_thread_safe("check", [&] { return digest(journey::check(design, log, co)); });

  journey::FunnelOptions fo;
  fo.steps = {"signed", "kickoff call", "training completed", "go-live", "renewal"};
  fo.within = std::chrono::days{120};
  fo.customers = true;
  expect_thread_safe("funnel", [&] { return digest(journey::funnel(log, fo, company().accounts, "tier")); });
}

// ---------------------------------------------------------------------------------------------
// Moments of truth

TEST(Concurrency, EvaluateIsDeterministicForAnyThreadCount) {
  const auto ms = company_moments();
  moments::EvaluateOptions o;
  o.as_of = at("2024-12-31T00:00:00Z");
  expect_deterministic("evaluate", [&](unsigned t) {
    o.threads = t;
    return digest(moments::evaluate(big_log(), ms, o));
  });
}

TEST(Concurrency, EvaluateAndComplianceFromSeveralThreads) {
  const auto ms = company_moments();
  moments::EvaluateOptions o;
  o.threads = 2;
  const auto occurrences = moments::evaluate(big_log(), ms, o);
  std::vector<std::string> groups;  // per case: the copy suffix ("#0", "#1", ...) of big_log()
  for (std::uint32_t c = 0; c < big_log().n_cases(); ++c) {
    const std::string_view name = big_log().case_names().name(c);
    groups.emplace_back(name.substr(name.find('#')));
  }
  expect_thread_safe("evaluate", [&] { return digest(moments::evaluate(big_log(), ms, o)); });
  expect_thread_safe("compliance", [&] { return digest(moments::compliance(occurrences, groups)); });
}

// ---------------------------------------------------------------------------------------------
// Churn

namespace {

churn::FeatureSpec feature_spec(unsigned threads) {
  churn::FeatureSpec spec;
  spec.categorical_columns = {{"tier", {"SMB", "Mid-market", "Enterprise"}}, {"contract", {"annual", "monthly"}}};
  spec.threads = threads;
  return spec;
}

}  // namespace

TEST(Concurrency, BuildFeaturesIsDeterministicForAnyThreadCount) {
  const auto& c = company();
  ASSERT_GT(c.accounts.size(), 2u * 256);  // more than two chunks of rows
  for (const char* when : {"2024-04-01T00:00:00Z", "2024-09-15T12:00:00Z"}) {
    const Timestamp as_of = at(when);
    expect_deterministic(std::string("build_features as of ") + when, [&](unsigned t) {
      return digest(churn::build_features(c.events, &c.accounts, as_of, feature_spec(t)));
    });
  }
  // One as_of per account (backtests): the span overload.
  std::vector<Timestamp> per_row(c.accounts.size());
  for (std::size_t r = 0; r < per_row.size(); ++r) per_row[r] = at("2024-03-01T00:00:00Z") + std::chrono::hours{7 * r};
  expect_deterministic("build_features, as_of per row", [&](unsigned t) {
    return digest(churn::build_features(c.events, &c.accounts, per_row, feature_spec(t)));
  });
  expect_thread_safe("build_features", [&] {
    return digest(churn::build_features(c.events, &c.accounts, per_row, feature_spec(2)));
  });
}

TEST(Concurrency, CoxFitAndScoreFromSeveralThreads) {
  const auto& m = model_data();
  const churn::Vector times = (churn::Vector(3) << 5.0, 20.0, 60.0).finished();
  const auto run = [&](double penalizer) {
    churn::CoxPH cox({.penalizer = penalizer});
    cox.fit(m.X, m.durations, m.events);
    Digest d;
    put(d, cox.params());
    put(d, cox.standard_errors());
    put(d, cox.variance_matrix());
    d.num(cox.log_likelihood());
    d.num(cox.log_likelihood_null());
    d.num(cox.concordance_index());
    d.num(cox.n_iter());
    put(d, cox.baseline_times());
    put(d, cox.baseline_cumulative_hazard());
    put(d, cox.predict_partial_hazard(m.X));
    put(d, cox.predict_survival_function(m.X, times));
    return d.bytes();
  };
  expect_thread_safe("CoxPH fit + predict", [&] { return run(0.0); });
  expect_thread_safe("CoxPH fit + predict (penalised)", [&] { return run(0.1); });
  // A fitted model is immutable: four threads scoring one shared model agree.
  churn::CoxPH shared;
  shared.fit(m.X, m.durations, m.events);
  expect_thread_safe("CoxPH shared predict", [&] {
    Digest d;
    put(d, shared.predict_survival_function(m.X, times));
    put(d, shared.predict_log_partial_hazard(m.X));
    d.num(shared.concordance_index());
    return d.bytes();
  });
}

TEST(Concurrency, LogisticFitAndScoreFromSeveralThreads) {
  const auto& m = model_data();
  for (auto solver : {churn::LogisticSolver::newton, churn::LogisticSolver::lbfgs}) {
    const auto run = [&] {
      churn::LogisticRegression lr({.C = 0.5, .class_weight = churn::ClassWeight::balanced(), .solver = solver});
      lr.fit(m.X, m.y);
      Digest d;
      put(d, lr.coef());
      d.num(lr.intercept());
      d.num(lr.objective());
      d.num(lr.n_iter());
      put(d, lr.predict_proba(m.X));
      return d.bytes();
    };
    expect_thread_safe(solver == churn::LogisticSolver::newton ? "logistic newton" : "logistic lbfgs", run);
  }
}

// ---------------------------------------------------------------------------------------------
// Feedback

TEST(Concurrency, DetectThemesIsDeterministicForAnyThreadCount) {
  const auto texts = feedback_texts(5000);  // 3 chunks of 2048 texts
  feedback::ThemeOptions o;
  o.sample_size = 500;  // more than one sample -> cluster -> assign round
  o.neighbours = 50;
  expect_deterministic("detect_themes", [&](unsigned t) {
    o.threads = t;
    return digest(feedback::detect_themes(texts, o));
  });
  auto o2 = o;
  o2.threads = 2;
  expect_thread_safe("detect_themes", [&] { return digest(feedback::detect_themes(texts, o2)); });
}

TEST(Concurrency, NearDuplicatesAndVectorizeAreDeterministic) {
  auto texts = feedback_texts(9000);  // 3 chunks of 4096 texts
  // Plant exact and near duplicates so that verification has pairs to check.
  for (std::size_t i = 0; i < 300; ++i) texts.push_back(std::string(texts[i * 3]) + (i % 2 == 0 ? "" : " !"));
  expect_deterministic("find_duplicates", [&](unsigned t) {
    feedback::DuplicateOptions o;
    o.threads = t;
    return digest(feedback::find_duplicates(texts, 0.7, o));
  });
  expect_thread_safe("find_duplicates", [&] {
    feedback::DuplicateOptions o;
    o.threads = 2;
    return digest(feedback::find_duplicates(texts, 0.7, o));
  });
  expect_deterministic("vectorize", [&](unsigned t) {
    return digest(feedback::vectorize(texts, {}, feedback::Language::unknown, {}, t));
  });
  expect_thread_safe("vectorize", [&] { return digest(feedback::vectorize(texts, {}, feedback::Language::unknown, {}, 2)); });
}

TEST(Concurrency, TextIndexQueriesFromSeveralThreads) {
  const auto texts = feedback_texts(800);
  const feedback::TextIndex index(texts);  // shared, const
  expect_thread_safe("TextIndex::similar", [&] {
    Digest d;
    for (std::size_t q = 0; q < 40; ++q) put(d, index.similar(texts[q * 7], 5));
    return d.bytes();
  });
}

TEST(Concurrency, NormalizeAndTokenizeFromSeveralThreads) {
  // Tokenizers keep one Snowball stemmer per thread and language; stop lists and Unicode tables
  // are shared read-only.
  const auto texts = feedback_texts(400);
  expect_thread_safe("normalize + tokenize", [&] {
    Digest d;
    for (const auto& t : texts) {
      d.str(feedback::normalize(t));
      put(d, feedback::tokenize(t));
      for (auto lang : {feedback::Language::en, feedback::Language::ru, feedback::Language::pt, feedback::Language::fa}) put(d, feedback::tokenize(t, lang));
    }
    return d.bytes();
  });
}

// ---------------------------------------------------------------------------------------------
// Calendars: one Calendar object shared by threads (zone rules, holidays, business time).

TEST(Concurrency, CalendarFromSeveralThreads) {
  const Calendar cal = Calendar::business_hours("America/New_York");
  const EventLog& log = company().events;
  expect_thread_safe("Calendar", [&] {
    Digest d;
    for (std::size_t e = 1; e < log.size(); e += 97) {
      const Timestamp a = log.timestamp(e - 1), b = log.timestamp(e);
      put(d, cal.business_duration(std::min(a, b), std::max(a, b)));
      put(d, cal.add_business_time(a, std::chrono::hours{9}));
      d.num(cal.is_working_time(b));
      put(d, cal.next_working_time(b));
    }
    return d.bytes();
  });
}
