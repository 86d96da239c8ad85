// build_features(): one pass over each account's events before as_of.
//
// Rows are independent: each worker takes fixed chunks of rows from an atomic counter and
// writes only its own rows, so the matrix is the same for any thread count. The calling
// thread is one of the workers, so a progress callback runs between its chunks. Per-thread
// scratch (last use per feature / user, state per ticket) is sized once by the dictionaries
// and reset through touched lists, so the hot loop allocates nothing.
#include <algorithm>
#include <atomic>
#include <cmath>
#include <exception>
#include <limits>
#include <thread>

#include "cxkit/churn/features.hpp"
#include "cxkit/core/error.hpp"
#include "features_layout.hpp"

namespace cxkit::churn {

namespace {

using detail::Layout;
constexpr double kNaN = std::numeric_limits<double>::quiet_NaN();
constexpr double kDayUs = 86'400'000'000.0;
constexpr std::int64_t kNever = kMissingTime;

// Entries of a breach or score list grouped by row (stable: input order within a row).
struct ByRow {
  std::vector<std::uint64_t> offsets;
  std::vector<std::uint32_t> order;
};

ByRow group_by_row(std::span<const std::uint32_t> row, std::size_t n_rows, const char* what) {
  ByRow g;
  g.offsets.assign(n_rows + 1, 0);
  for (std::size_t i = 0; i < row.size(); ++i) {
    if (row[i] >= n_rows)
      throw InputError(std::string(what) + " row out of range",
                       {what, static_cast<std::int64_t>(i), "row", std::to_string(row[i])});
    ++g.offsets[row[i] + 1];
  }
  for (std::size_t r = 0; r < n_rows; ++r) g.offsets[r + 1] += g.offsets[r];
  g.order.resize(row.size());
  std::vector<std::uint64_t> next(g.offsets.begin(), g.offsets.end() - 1);
  for (std::size_t i = 0; i < row.size(); ++i) g.order[next[row[i]]++] = static_cast<std::uint32_t>(i);
  return g;
}

struct Scratch {
  std::vector<std::int64_t> feature_last;  // last use before as_of, kNever if unused
  std::vector<std::uint32_t> features_touched;
  std::vector<std::int64_t> user_last, user_before_cut;
  std::vector<std::uint32_t> users_touched;
  std::vector<std::uint8_t> ticket_state;  // 0 unseen, 1 open, 2 closed
  std::vector<std::int8_t> ticket_priority;
  std::vector<std::uint32_t> tickets_touched;
  std::vector<double> counts, counts2;  // [activity][window]: [t-w, t) and [t-2w, t)
  std::vector<double> events, tickets, tickets_by_priority, open_by_priority;
  std::vector<double> breaches_ever, breaches_recent;

  Scratch(const Layout& L, std::size_t n_windows, std::size_t n_priorities, std::size_t n_moments)
      : feature_last(L.n_feature_codes, kNever),
        user_last(L.n_user_codes, kNever),
        user_before_cut(L.n_user_codes, kNever),
        ticket_state(L.n_ticket_codes, 0),
        ticket_priority(L.n_ticket_codes, -1),
        counts(L.n_counts * n_windows),
        counts2(L.n_counts * n_windows),
        events(n_windows),
        tickets(n_windows),
        tickets_by_priority(n_priorities),
        open_by_priority(n_priorities),
        breaches_ever(n_moments),
        breaches_recent(n_moments) {}
};

class RowBuilder {
 public:
  RowBuilder(const EventLog& log, const Layout& L, const FeatureSpec& spec, std::span<const Timestamp> as_of,
             const Breaches* breaches, const ByRow* breach_rows, const ScoreList* nps, const ByRow* nps_rows,
             FeatureMatrix& out)
      : log_(log), L_(L), spec_(spec), as_of_(as_of), breaches_(breaches), breach_rows_(breach_rows), nps_(nps),
        nps_rows_(nps_rows), out_(out), n_rows_(out.rows()),
        n_moments_(breaches != nullptr ? breaches->moment_names.size() : 0) {}

  void build(std::size_t r, Scratch& s) const {
    const std::int64_t t = to_micros(as_of_.size() == 1 ? as_of_[0] : as_of_[r]);
    if (t == kMissingTime) {  // no as_of for this row: nothing is known
      for (std::size_t c = 0; c < out_.cols(); ++c) out_.values[c * n_rows_ + r] = kNaN;
      out_.status[r] = AccountStatus::not_yet;
      return;
    }
    const std::size_t nw = L_.windows.size(), np = spec_.priorities.size();
    std::fill(s.counts.begin(), s.counts.end(), 0.0);
    std::fill(s.counts2.begin(), s.counts2.end(), 0.0);
    std::fill(s.events.begin(), s.events.end(), 0.0);
    std::fill(s.tickets.begin(), s.tickets.end(), 0.0);
    std::fill(s.tickets_by_priority.begin(), s.tickets_by_priority.end(), 0.0);
    std::fill(s.open_by_priority.begin(), s.open_by_priority.end(), 0.0);

    std::int64_t first_event = kNever, last_event = kNever, last_use = kNever;
    double snapshot = kNaN, snapshot_before = kNaN, licensed = kNaN, arr = kNaN;
    double nps_last = kNaN, nps_count = 0;
    std::int64_t nps_time = kNever;
    bool churned = false;
    const std::int64_t cut = t - L_.longest;  // start of the longest window

    const std::uint32_t c = L_.row_case[r];
    if (c != kNoId) {
      const auto times = log_.timestamps();
      const auto acts = log_.activity_ids();
      const std::size_t b = log_.case_begin(c), e_all = log_.case_end(c);
      if (b < e_all) first_event = times[b];
      // Events before as_of are a prefix of the case: binary search for its end.
      const std::size_t e = static_cast<std::size_t>(
          std::lower_bound(times.begin() + static_cast<std::ptrdiff_t>(b), times.begin() + static_cast<std::ptrdiff_t>(e_all), t) -
          times.begin());
      for (std::size_t i = b; i < e; ++i) {
        const std::int64_t ti = times[i];
        const std::int64_t age = t - ti;  // > 0
        const std::uint32_t a = acts[i];
        last_event = ti;
        for (std::size_t w = 0; w < nw; ++w) s.events[w] += age <= L_.windows[w];
        if (const std::int32_t k = L_.count_index[a]; k != detail::kNone) {
          double* c1 = &s.counts[static_cast<std::size_t>(k) * nw];
          double* c2 = &s.counts2[static_cast<std::size_t>(k) * nw];
          for (std::size_t w = 0; w < nw; ++w) {
            c1[w] += age <= L_.windows[w];
            c2[w] += age <= 2 * L_.windows[w];
          }
        }
        const std::uint16_t role = L_.roles[a];
        if (role == 0) continue;
        if (role & detail::kUsage) {
          last_use = ti;
          if (L_.user_code != nullptr) {
            const std::uint32_t u = L_.user_code[i];
            if (u != kNoId) {
              if (s.user_last[u] == kNever && s.user_before_cut[u] == kNever) s.users_touched.push_back(u);
              s.user_last[u] = ti;
              if (ti < cut) s.user_before_cut[u] = ti;
            }
          }
        }
        if ((role & detail::kFeature) && L_.feature_code != nullptr) {
          const std::uint32_t f = L_.feature_code[i];
          if (f != kNoId) {
            if (s.feature_last[f] == kNever) s.features_touched.push_back(f);
            s.feature_last[f] = ti;
          }
        }
        if ((role & detail::kSeatSnapshot) && L_.snapshot_value != nullptr && !std::isnan(L_.snapshot_value[i])) {
          snapshot = L_.snapshot_value[i];
          if (ti < cut) snapshot_before = snapshot;
        }
        if ((role & detail::kLicence) && L_.licence_value != nullptr && !std::isnan(L_.licence_value[i]))
          licensed = L_.licence_value[i];
        if (L_.amount != nullptr && !std::isnan(L_.amount[i])) {
          if (role & detail::kArrSet) arr = L_.amount[i];
          else if (role & detail::kArrDelta) arr += L_.amount[i];
        }
        if ((role & (detail::kTicketOpen | detail::kTicketClose | detail::kTicketReopen)) && L_.ticket_code != nullptr) {
          const std::uint32_t tk = L_.ticket_code[i];
          if (tk != kNoId) {
            if (s.ticket_state[tk] == 0) s.tickets_touched.push_back(tk);
            std::int8_t p = -1;
            if (L_.priority_code != nullptr && L_.priority_code[i] != kNoId) p = L_.priority_index[L_.priority_code[i]];
            if (p >= 0) s.ticket_priority[tk] = p;
            if (role & detail::kTicketOpen) {
              s.ticket_state[tk] = 1;
              for (std::size_t w = 0; w < nw; ++w) s.tickets[w] += age <= L_.windows[w];
              if (p >= 0 && ti >= cut) s.tickets_by_priority[static_cast<std::size_t>(p)] += 1;
            } else if (role & detail::kTicketReopen) {
              s.ticket_state[tk] = 1;
            } else {
              s.ticket_state[tk] = 2;
            }
          }
        }
        if ((role & detail::kNps) && nps_ == nullptr && L_.score != nullptr && !std::isnan(L_.score[i])) {
          nps_last = L_.score[i];
          nps_time = ti;
          nps_count += 1;
        }
        if (role & detail::kChurn) churned = true;
      }
    }

    // ---- external NPS answers ----
    if (nps_ != nullptr) {
      for (std::uint64_t k = nps_rows_->offsets[r]; k < nps_rows_->offsets[r + 1]; ++k) {
        const std::uint32_t j = nps_rows_->order[k];
        const double v = nps_->score[j];
        if (nps_->time[j] >= t || std::isnan(v)) continue;
        nps_count += 1;
        if (nps_->time[j] >= nps_time) {  // the latest; equal times: the later row
          nps_time = nps_->time[j];
          nps_last = v;
        }
      }
    }

    // ---- write the row ----
    const auto put = [&](std::size_t col, double v) { out_.values[col * n_rows_ + r] = v; };
    for (std::size_t k = 0; k < L_.n_counts; ++k)
      for (std::size_t w = 0; w < nw; ++w) {
        const double now = s.counts[k * nw + w], before = s.counts2[k * nw + w] - now;
        put(L_.col_count + k * nw + w, now);
        put(L_.col_trend + k * nw + w, std::log((1.0 + now) / (1.0 + before)));
      }
    for (std::size_t w = 0; w < nw; ++w) put(L_.col_events + w, s.events[w]);

    // Signup: the table's, else the first event.
    std::int64_t signup = kNever;
    if (L_.signup != nullptr && L_.signup[r] != kMissingTime) signup = L_.signup[r];
    else signup = first_event;
    const double tenure = signup == kNever ? kNaN : static_cast<double>(t - signup) / kDayUs;
    put(L_.col_recency, last_use != kNever ? static_cast<double>(t - last_use) / kDayUs : tenure);
    put(L_.col_recency + 1, last_event != kNever ? static_cast<double>(t - last_event) / kDayUs : tenure);

    // Features: distinct values by their last use; reset the scratch as we go.
    std::size_t adopted = 0, premium = 0;
    for (std::size_t w = 0; w < nw; ++w) put(L_.col_features + w, 0.0);
    for (const std::uint32_t f : s.features_touched) {
      const std::int64_t last = s.feature_last[f];
      ++adopted;
      for (std::size_t w = 0; w < nw; ++w)
        if (t - last <= L_.windows[w]) out_.values[(L_.col_features + w) * n_rows_ + r] += 1.0;
      if (last >= cut && L_.premium_by_code[f]) ++premium;
      s.feature_last[f] = kNever;
    }
    s.features_touched.clear();
    put(L_.col_features + nw, static_cast<double>(adopted));
    put(L_.col_features + nw + 1, static_cast<double>(premium));

    // Seats: distinct users when a user attribute is set, else the last snapshot.
    double active = snapshot, change = kNaN;
    if (L_.user_code != nullptr) {
      double now = 0, before = 0;
      for (const std::uint32_t u : s.users_touched) {
        now += s.user_last[u] != kNever && t - s.user_last[u] <= L_.active_window;
        before += s.user_before_cut[u] != kNever && cut - s.user_before_cut[u] <= L_.active_window;
        s.user_last[u] = kNever;
        s.user_before_cut[u] = kNever;
      }
      s.users_touched.clear();
      active = now;
      change = now - before;
    } else if (!std::isnan(snapshot)) {
      change = snapshot - (std::isnan(snapshot_before) ? 0.0 : snapshot_before);
    }
    if (std::isnan(licensed) && L_.licensed_fallback != nullptr) licensed = L_.licensed_fallback[r];
    if (std::isnan(arr) && L_.arr_fallback != nullptr) arr = L_.arr_fallback[r];
    put(L_.col_seats, active);
    put(L_.col_seats + 1, change);
    put(L_.col_seats + 2, licensed);
    put(L_.col_seats + 3, licensed > 0 ? active / licensed : kNaN);
    put(L_.col_seats + 4, arr);

    // Tickets.
    double open = 0, urgent = 0;
    for (const std::uint32_t tk : s.tickets_touched) {
      if (s.ticket_state[tk] == 1) {
        open += 1;
        const std::int8_t p = s.ticket_priority[tk];
        if (p >= 0) {
          s.open_by_priority[static_cast<std::size_t>(p)] += 1;
          urgent += L_.urgent_priority[static_cast<std::size_t>(p)];
        }
      }
      s.ticket_state[tk] = 0;
      s.ticket_priority[tk] = -1;
    }
    s.tickets_touched.clear();
    std::size_t col = L_.col_tickets;
    for (std::size_t w = 0; w < nw; ++w) put(col++, s.tickets[w]);
    for (std::size_t p = 0; p < np; ++p) put(col++, s.tickets_by_priority[p]);
    put(col++, open);
    for (std::size_t p = 0; p < np; ++p) put(col++, s.open_by_priority[p]);
    put(col++, urgent);

    // Breaches known at as_of: the deadline passed before it.
    if (n_moments_ > 0) {
      std::fill(s.breaches_ever.begin(), s.breaches_ever.end(), 0.0);
      std::fill(s.breaches_recent.begin(), s.breaches_recent.end(), 0.0);
      double total = 0;
      for (std::uint64_t k = breach_rows_->offsets[r]; k < breach_rows_->offsets[r + 1]; ++k) {
        const std::uint32_t j = breach_rows_->order[k];
        if (breaches_->deadline[j] >= t || breaches_->started[j] >= t) continue;
        const std::uint32_t m = breaches_->moment[j];
        s.breaches_ever[m] += 1;
        if (breaches_->started[j] >= cut) {
          s.breaches_recent[m] += 1;
          total += 1;
        }
      }
      for (std::size_t m = 0; m < n_moments_; ++m) {
        put(L_.col_breaches + 2 * m, s.breaches_ever[m]);
        put(L_.col_breaches + 2 * m + 1, s.breaches_recent[m]);
      }
      put(L_.col_breaches + 2 * n_moments_, total);
    }

    // NPS.
    const bool answered = nps_time != kNever;
    put(L_.col_nps, answered ? nps_last : kNaN);
    put(L_.col_nps + 1, answered && nps_last <= 6 ? 1.0 : 0.0);
    put(L_.col_nps + 2, answered && nps_last >= 9 ? 1.0 : 0.0);
    put(L_.col_nps + 3, nps_count);
    put(L_.col_nps + 4, answered ? static_cast<double>(t - nps_time) / kDayUs : kNaN);

    // Tenure and renewal.
    put(L_.col_tenure, tenure);
    double to_renewal = kNaN;
    if (signup != kNever) {
      int term = spec_.default_term_months;
      if (L_.contract_code != nullptr && L_.contract_code[r] != kNoId) term = L_.term_by_contract_code[L_.contract_code[r]];
      const auto next = next_renewal(from_micros(signup), term, from_micros(t));
      to_renewal = static_cast<double>(to_micros(next) - t) / kDayUs;
    }
    put(L_.col_tenure + 1, to_renewal);

    // Account attributes.
    for (std::size_t k = 0; k < L_.numeric.size(); ++k) put(L_.col_numeric + k, L_.numeric[k][r]);
    for (const auto& oh : L_.one_hot) {
      for (const std::int32_t cc : oh.column_by_code)
        if (cc != detail::kNone) put(static_cast<std::size_t>(cc), 0.0);
      const std::uint32_t code = oh.codes[r];
      if (code != kNoId && oh.column_by_code[code] != detail::kNone) put(static_cast<std::size_t>(oh.column_by_code[code]), 1.0);
    }

    // Status.
    AccountStatus st = AccountStatus::active;
    if (signup == kNever || signup >= t) st = AccountStatus::not_yet;
    else if (churned || (L_.churn_date != nullptr && L_.churn_date[r] != kMissingTime && L_.churn_date[r] < t))
      st = AccountStatus::churned;
    out_.status[r] = st;
  }

 private:
  const EventLog& log_;
  const Layout& L_;
  const FeatureSpec& spec_;
  std::span<const Timestamp> as_of_;
  const Breaches* breaches_;
  const ByRow* breach_rows_;
  const ScoreList* nps_;
  const ByRow* nps_rows_;
  FeatureMatrix& out_;
  std::size_t n_rows_;
  std::size_t n_moments_;
};

}  // namespace

FeatureMatrix build_features(const EventLog& log, const Table* accounts, Timestamp as_of, const FeatureSpec& spec,
                             const Breaches* breaches, const ScoreList* nps, const Progress& progress) {
  return build_features(log, accounts, std::span<const Timestamp>(&as_of, 1), spec, breaches, nps, progress);
}

FeatureMatrix build_features(const EventLog& log, const Table* accounts, std::span<const Timestamp> as_of,
                             const FeatureSpec& spec, const Breaches* breaches, const ScoreList* nps,
                             const Progress& progress) {
  const Layout L = detail::make_layout(log, accounts, spec, breaches);
  FeatureMatrix out;
  out.names = L.names;
  const std::size_t n = L.row_case.size();
  if (as_of.size() != 1 && as_of.size() != n)
    throw InputError("as_of has " + std::to_string(as_of.size()) + " instants for " + std::to_string(n) + " rows",
                     {"build_features", -1, "as_of", ""});
  out.keys.reserve(n);
  for (std::uint32_t r = 0; r < n; ++r)
    out.keys.emplace_back(accounts != nullptr ? accounts->keys().name(r) : log.case_names().name(r));
  out.status.assign(n, AccountStatus::active);
  out.values.assign(out.names.size() * n, 0.0);

  ByRow breach_rows, nps_rows;
  if (breaches != nullptr) {
    const std::size_t m = breaches->row.size();
    if (breaches->moment.size() != m || breaches->started.size() != m || breaches->deadline.size() != m)
      throw InputError("breach arrays differ in length", {"breaches", -1, "", ""});
    for (std::size_t i = 0; i < m; ++i)
      if (breaches->moment[i] >= breaches->moment_names.size())
        throw InputError("breach moment out of range",
                         {"breaches", static_cast<std::int64_t>(i), "moment", std::to_string(breaches->moment[i])});
    breach_rows = group_by_row(breaches->row, n, "breaches");
  }
  if (nps != nullptr) {
    if (nps->time.size() != nps->row.size() || nps->score.size() != nps->row.size())
      throw InputError("NPS arrays differ in length", {"nps", -1, "", ""});
    nps_rows = group_by_row(nps->row, n, "nps");
  }

  const RowBuilder builder(log, L, spec, as_of, breaches, &breach_rows, nps, &nps_rows, out);
  const std::size_t n_moments = breaches != nullptr ? breaches->moment_names.size() : 0;
  constexpr std::size_t kChunk = 256;
  const std::size_t chunks = (n + kChunk - 1) / kChunk;
  unsigned threads = spec.threads != 0 ? spec.threads : std::max(1u, std::thread::hardware_concurrency());
  // Starting a thread costs more than a small log's whole pass (~100k events per thread pays).
  if (spec.threads == 0) threads = static_cast<unsigned>(std::min<std::size_t>(threads, 1 + log.size() / 100'000));
  threads = static_cast<unsigned>(std::max<std::size_t>(1, std::min<std::size_t>(threads, chunks)));
  ProgressReporter reporter(progress, n);
  std::atomic<std::size_t> next{0};
  // Every thread, the calling one included, takes chunks; only the calling thread's
  // advance() runs the callback. A failure there (Cancelled) or anywhere else empties the
  // counter so the other threads stop at their next chunk.
  const auto work = [&] {
    Scratch s(L, L.windows.size(), spec.priorities.size(), n_moments);
    for (std::size_t k; (k = next.fetch_add(1)) < chunks;) {
      const std::size_t e = std::min(n, (k + 1) * kChunk);
      for (std::size_t r = k * kChunk; r < e; ++r) builder.build(r, s);
      reporter.advance(e - k * kChunk);
    }
  };
  if (threads <= 1) {
    work();
  } else {
    std::vector<std::thread> pool;
    std::vector<std::exception_ptr> failures(threads);
    const auto guarded = [&](unsigned i) {
      try {
        work();
      } catch (...) {
        next.store(chunks);
        failures[i] = std::current_exception();
      }
    };
    pool.reserve(threads - 1);
    for (unsigned i = 1; i < threads; ++i) pool.emplace_back(guarded, i);
    guarded(0);
    for (auto& th : pool) th.join();
    for (const auto& f : failures)
      if (f) std::rethrow_exception(f);
  }
  reporter.finish();
  return out;
}

}  // namespace cxkit::churn
