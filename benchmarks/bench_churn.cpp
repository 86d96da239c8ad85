// Churn models: Cox fit on 100k and 1M rows x 10 covariates (integer days, so heavy ties),
// logistic fit on 1M x 50 (Newton and L-BFGS), scoring throughput (accounts/s) and Harrell's C
// on 1M rows. Each fit runs once per repetition; report medians:
//
//   build/<dir>/benchmarks/bench_churn --benchmark_repetitions=5 --benchmark_report_aggregates_only=true
//
// The synthetic data is generated from mt19937_64's raw output only (its sequence is fixed by
// the standard; std::normal_distribution is not), so every platform fits the same numbers.
#include <benchmark/benchmark.h>

#include <cmath>
#include <cstdint>
#include <map>
#include <memory>
#include <numbers>
#include <random>
#include <utility>

#include "cxkit/churn/cox.hpp"
#include "cxkit/churn/logistic.hpp"
#include "cxkit/churn/metrics.hpp"

namespace {

using cxkit::churn::Matrix;
using cxkit::churn::Vector;

class Rng {
 public:
  explicit Rng(std::uint64_t seed) : gen_(seed) {}
  /// Uniform in (0, 1) from the top 53 bits.
  double uniform() { return (static_cast<double>(gen_() >> 11) + 0.5) * 0x1.0p-53; }
  /// Standard normal by Box-Muller.
  double normal() {
    return std::sqrt(-2 * std::log(uniform())) * std::cos(2 * std::numbers::pi * uniform());
  }

 private:
  std::mt19937_64 gen_;
};

struct SurvivalData {
  Matrix X;
  Vector time, event;
};

/// n accounts x 10 covariates ~ N(0, 1); hazard exp(x . beta) with beta = (0.5, -0.4, 0.3,
/// -0.2, 0.1, 0, 0.05, -0.05, 0.25, -0.3); event time exponential with mean 200 days at x = 0,
/// censored at a uniform time in [30, 730] days; both rounded up to whole days.
const SurvivalData& survival_data(Eigen::Index n) {
  static std::map<Eigen::Index, std::unique_ptr<SurvivalData>> cache;
  auto& slot = cache[n];
  if (slot) return *slot;
  slot = std::make_unique<SurvivalData>();
  const double beta[10] = {0.5, -0.4, 0.3, -0.2, 0.1, 0.0, 0.05, -0.05, 0.25, -0.3};
  Rng rng(20240601);
  slot->X.resize(n, 10);
  slot->time.resize(n);
  slot->event.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double eta = 0;
    for (int j = 0; j < 10; ++j) {
      slot->X(i, j) = rng.normal();
      eta += beta[j] * slot->X(i, j);
    }
    const double t = std::ceil(-std::log(rng.uniform()) * 200.0 / std::exp(eta));
    const double c = std::ceil(30 + 700 * rng.uniform());
    slot->time[i] = std::min(t, c);
    slot->event[i] = t <= c ? 1.0 : 0.0;
  }
  return *slot;
}

struct ClassData {
  Matrix X;
  Vector y;
};

/// n x p features ~ N(0, 1), true coefficients alternating +-0.8 / (j + 1), intercept -1.
const ClassData& class_data(Eigen::Index n, Eigen::Index p) {
  static std::map<std::pair<Eigen::Index, Eigen::Index>, std::unique_ptr<ClassData>> cache;
  auto& slot = cache[{n, p}];
  if (slot) return *slot;
  slot = std::make_unique<ClassData>();
  Rng rng(7);
  slot->X.resize(n, p);
  slot->y.resize(n);
  for (Eigen::Index i = 0; i < n; ++i) {
    double z = -1.0;
    for (Eigen::Index j = 0; j < p; ++j) {
      slot->X(i, j) = rng.normal();
      z += (j % 2 ? -0.8 : 0.8) / static_cast<double>(j + 1) * slot->X(i, j);
    }
    slot->y[i] = rng.uniform() < 1 / (1 + std::exp(-z)) ? 1.0 : 0.0;
  }
  return *slot;
}

void BM_CoxFit(benchmark::State& state) {
  const auto& d = survival_data(state.range(0));
  for (auto _ : state) {
    cxkit::churn::CoxPH cox;
    cox.fit(d.X, d.time, d.event);
    benchmark::DoNotOptimize(cox.params().data());
    state.counters["iterations"] = cox.n_iter();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CoxFit)->Arg(100'000)->Arg(1'000'000)->Unit(benchmark::kMillisecond)->Iterations(1);

void BM_LogisticFit(benchmark::State& state) {
  const auto& d = class_data(state.range(0), state.range(1));
  const auto solver = state.range(2) == 0 ? cxkit::churn::LogisticSolver::newton : cxkit::churn::LogisticSolver::lbfgs;
  for (auto _ : state) {
    cxkit::churn::LogisticRegression m({.C = 1.0, .tol = 1e-4, .max_iter = 1000, .solver = solver});
    m.fit(d.X, d.y);
    benchmark::DoNotOptimize(m.coef().data());
    state.counters["iterations"] = m.n_iter();
    state.counters["objective"] = m.objective();
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
// Args: rows, features, solver (0 newton, 1 lbfgs).
BENCHMARK(BM_LogisticFit)
    ->Args({1'000'000, 50, 0})
    ->Args({1'000'000, 50, 1})
    ->Unit(benchmark::kMillisecond)
    ->Iterations(1);

void BM_LogisticScore(benchmark::State& state) {
  const auto& d = class_data(state.range(0), state.range(1));
  cxkit::churn::LogisticRegression m({.max_iter = 5});
  m.fit(d.X.topRows(10'000), d.y.head(10'000));
  for (auto _ : state) {
    const Vector p = m.predict_proba(d.X);
    benchmark::DoNotOptimize(p.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_LogisticScore)->Args({1'000'000, 10})->Args({1'000'000, 50})->Unit(benchmark::kMillisecond);

void BM_CoxScore(benchmark::State& state) {
  const auto& d = survival_data(state.range(0));
  cxkit::churn::CoxPH cox;
  cox.fit(d.X.topRows(10'000), d.time.head(10'000), d.event.head(10'000));
  const Vector horizon = Vector::Constant(d.X.rows(), 90.0);
  for (auto _ : state) {
    const Vector p = cox.predict_event_probability(d.X, horizon);
    benchmark::DoNotOptimize(p.data());
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_CoxScore)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_Concordance(benchmark::State& state) {
  const auto& d = survival_data(state.range(0));
  // Score = minus the true linear predictor: a realistic, tie-free ranking.
  const Vector beta = (Vector(10) << 0.5, -0.4, 0.3, -0.2, 0.1, 0.0, 0.05, -0.05, 0.25, -0.3).finished();
  const Vector score = -(d.X * beta);
  for (auto _ : state) {
    const double c = cxkit::churn::metrics::concordance_index(d.time, score, d.event);
    benchmark::DoNotOptimize(c);
  }
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_Concordance)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

void BM_RocAuc(benchmark::State& state) {
  const auto& d = class_data(state.range(0), 10);
  const Vector score = d.X.col(0) - d.X.col(1);
  for (auto _ : state) benchmark::DoNotOptimize(cxkit::churn::metrics::roc_auc_score(d.y, score));
  state.SetItemsProcessed(state.iterations() * state.range(0));
}
BENCHMARK(BM_RocAuc)->Arg(1'000'000)->Unit(benchmark::kMillisecond);

}  // namespace
