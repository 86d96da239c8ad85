// Assembling the output in account order: the accounts table, the event log (codes of the
// categorical attributes are catalogue indices), and the feedback table.
#include "assemble.hpp"

#include <algorithm>
#include <cstdio>

namespace cxkit::simulate::detail {

namespace {

bool carries_score(Activity a) { return a == Activity::nps_answered || a == Activity::csat_answered; }
bool carries_amount(Activity a) {
  return a == Activity::signed_contract || a == Activity::renewal || a == Activity::expansion ||
         a == Activity::downgrade || a == Activity::churned;
}

}  // namespace

std::string padded(char prefix, std::size_t number, int width) {
  char buf[32];
  const int n = std::snprintf(buf, sizeof buf, "%c%0*zu", prefix, width, number);
  return std::string(buf, static_cast<std::size_t>(n));
}

int digits(std::size_t n) {
  int d = 1;
  while (n >= 10) {
    n /= 10;
    ++d;
  }
  return d;
}

void collect(const Context& ctx, AccountSim& a, BlockOutput& out) {
  const std::int64_t cut = std::min(a.churn_time, ctx.end);
  AccountRow row;
  row.profile = a.profile;
  row.churn = a.churn_time;
  row.seats = a.seats_at(cut - 1);
  row.arr = a.arr_at(cut - 1);
  if (a.churn_time == kNever) {
    const int step = a.profile.monthly ? 1 : 12;
    for (int n = 1;; ++n) {
      row.renewal = add_months(a.profile.signup, n * step);
      if (row.renewal >= ctx.end) break;
    }
  }
  row.events = static_cast<std::uint32_t>(a.events.size());
  for (const Ticket& tk : a.tickets) row.tickets += tk.opened < cut ? 1u : 0u;
  out.exposure += static_cast<double>(cut - a.profile.signup) / static_cast<double>(kPeriod);

  const NpsTruth& m = ctx.truth.nps;
  for (const NpsAnswer& n : a.nps) {
    if (n.t >= cut) break;
    const double promoter = 1.0 - normal_cdf((8.5 - n.mu) / m.sigma);
    const double detractor = normal_cdf((6.5 - n.mu) / m.sigma);
    out.promoter += promoter;
    out.detractor += detractor;
    out.passive += 1.0 - promoter - detractor;
    ++out.answers;
  }
  // Moments: a clock counts once its outcome is known before the cut.
  const std::int64_t due = a.profile.signup + hours(ctx.options.welcome_target_hours);
  if (a.welcome < cut || due < cut) {
    ++out.moments[0][0];
    out.moments[0][1] += (a.welcome > due && due < cut) ? 1 : 0;
  }
  for (const Ticket& tk : a.tickets) {
    if (tk.opened >= cut) break;
    if (tk.first_reply < cut || tk.deadline < cut) {
      ++out.moments[1][0];
      out.moments[1][1] += (tk.late && tk.deadline < cut) ? 1 : 0;
    }
  }
  const Calendar& cal = ctx.calendars[a.profile.hub];
  for (const auto& [answer, contact] : a.follow_ups) {
    if (answer >= cut) break;
    const std::int64_t deadline =
        to_micros(cal.add_business_time(from_micros(answer), Duration{hours(kFollowUpTargetHours)}));
    if (contact < cut || deadline < cut) {
      ++out.moments[2][0];
      out.moments[2][1] += (contact > deadline && deadline < cut) ? 1 : 0;
    }
  }
  out.events.insert(out.events.end(), a.events.begin(), a.events.end());
  for (auto& v : a.verbatims) out.verbatims.push_back(std::move(v));
  out.rows.push_back(std::move(row));
}

Table build_accounts(const Context& ctx, const std::vector<BlockOutput>& blocks, int id_width) {
  TableBuilder b("account", "cxkit.simulate");
  const auto name = b.add_column("name", ColumnType::text);
  const auto tier = b.add_column("tier", ColumnType::categorical);
  const auto plan = b.add_column("plan", ColumnType::categorical);
  const auto arr = b.add_column("arr", ColumnType::numeric);
  const auto seats = b.add_column("seats", ColumnType::numeric);
  const auto signup = b.add_column("signup", ColumnType::timestamp);
  const auto contract = b.add_column("contract", ColumnType::categorical);
  const auto renewal = b.add_column("renewal_date", ColumnType::timestamp);
  const auto owner = b.add_column("owner", ColumnType::categorical);
  const auto region = b.add_column("region", ColumnType::categorical);
  const auto timezone = b.add_column("timezone", ColumnType::categorical);
  const auto hub = b.add_column("support_hub", ColumnType::categorical);
  const auto industry = b.add_column("industry", ColumnType::categorical);
  const auto language = b.add_column("language", ColumnType::categorical);
  const auto churned = b.add_column("churned", ColumnType::numeric);
  const auto churn_date = b.add_column("churn_date", ColumnType::timestamp);
  std::size_t k = 0;
  for (const auto& block : blocks)
    for (const AccountRow& r : block.rows) {
      const Profile& p = r.profile;
      b.add_row(padded('A', ++k, id_width));
      b.set_text(name, p.name);
      b.set_category(tier, kTierNames[static_cast<std::size_t>(p.tier)]);
      b.set_category(plan, kPlanNames[p.plan]);
      b.set_number(arr, r.arr);
      b.set_number(seats, static_cast<double>(r.seats));
      b.set_time(signup, from_micros(p.signup));
      b.set_category(contract, kContractNames[p.monthly ? 1 : 0]);
      if (r.renewal != kNever) b.set_time(renewal, from_micros(r.renewal));
      b.set_category(owner, ctx.truth.support_hubs[p.hub].csms[p.owner]);
      b.set_category(region, kRegionNames[p.region]);
      b.set_category(timezone, kZones[p.zone].name);
      b.set_category(hub, ctx.truth.support_hubs[p.hub].name);
      b.set_category(industry, kIndustryNames[p.industry]);
      b.set_category(language, kLanguageCodes[static_cast<std::size_t>(p.language)]);
      b.set_number(churned, r.churn != kNever ? 1.0 : 0.0);
      if (r.churn != kNever) b.set_time(churn_date, from_micros(r.churn));
    }
  return b.build();
}

EventLog build_events(std::vector<BlockOutput>& blocks, std::size_t n_accounts, int id_width) {
  std::size_t total = 0, tickets = 0;
  for (const auto& b : blocks) {
    total += b.events.size();
    for (const auto& r : b.rows) tickets += r.tickets;
  }
  EventLogBuilder builder("cxkit.simulate");
  builder.reserve(total);
  builder.case_dictionary().reserve(n_accounts);
  for (std::size_t k = 1; k <= n_accounts; ++k) builder.intern_case(padded('A', k, id_width));
  for (auto name : kActivityNames) builder.intern_activity(name);

  Column ticket(std::string(attribute::ticket), ColumnType::categorical);
  Column priority(std::string(attribute::priority), ColumnType::categorical);
  Column feature(std::string(attribute::feature), ColumnType::categorical);
  Column actor(std::string(attribute::actor), ColumnType::categorical);
  Column score(std::string(attribute::score), ColumnType::numeric);
  Column seats(std::string(attribute::seats), ColumnType::numeric);
  Column amount(std::string(attribute::amount), ColumnType::numeric);
  // Dictionaries hold the catalogues in order, so codes are catalogue indices; tickets are
  // numbered in account order, then by opening time.
  const int ticket_width = std::max(7, digits(tickets));
  ticket.mutable_categories().reserve(tickets);
  for (std::size_t i = 1; i <= tickets; ++i) ticket.mutable_categories().intern(padded('T', i, ticket_width));
  for (auto v : kPriorityNames) priority.mutable_categories().intern(v);
  for (auto v : kFeatureNames) feature.mutable_categories().intern(v);
  for (auto v : kActorNames) actor.mutable_categories().intern(v);
  for (Column* c : {&ticket, &priority, &feature, &actor, &score, &seats, &amount}) c->reserve(total);

  std::uint32_t account = 0, ticket_base = 0;
  for (auto& b : blocks) {
    std::size_t at = 0;
    for (const AccountRow& r : b.rows) {
      for (std::size_t i = at; i < at + r.events; ++i) {
        const RawEvent& e = b.events[i];
        builder.add_event_ids(account, static_cast<std::uint32_t>(e.activity), from_micros(e.t));
        if (e.ticket != 0) ticket.append_code(ticket_base + e.ticket - 1); else ticket.append_missing();
        if (e.priority != kNone) priority.append_code(e.priority); else priority.append_missing();
        if (e.feature != kNone) feature.append_code(e.feature); else feature.append_missing();
        actor.append_code(static_cast<std::uint32_t>(e.actor));
        if (carries_score(e.activity)) score.append_number(e.value); else score.append_missing();
        if (e.seats >= 0) seats.append_number(e.seats); else seats.append_missing();
        if (carries_amount(e.activity)) amount.append_number(e.value); else amount.append_missing();
      }
      at += r.events;
      ticket_base += r.tickets;
      ++account;
    }
    b.events = {};  // release as we go: peak memory stays near one copy of the log
  }
  for (Column* c : {&ticket, &priority, &feature, &actor, &score, &seats, &amount}) builder.add_column(std::move(*c));
  return builder.build();
}

Table build_feedback(const std::vector<RawFeedback>& items, int id_width) {
  TableBuilder b("feedback", "cxkit.simulate");
  const auto customer = b.add_column("customer", ColumnType::categorical);
  const auto time = b.add_column("time", ColumnType::timestamp);
  const auto channel = b.add_column("channel", ColumnType::categorical);
  const auto type = b.add_column("type", ColumnType::categorical);
  const auto language = b.add_column("language", ColumnType::categorical);
  const auto text = b.add_column("text", ColumnType::text);
  const auto theme = b.add_column("theme", ColumnType::categorical);
  const int width = std::max(7, digits(items.size()));
  std::size_t k = 0;
  for (const RawFeedback& f : items) {
    b.add_row(padded('F', ++k, width));
    b.set_category(customer, padded('A', f.account + 1, id_width));
    b.set_time(time, from_micros(f.t));
    b.set_category(channel, kChannelNames[static_cast<std::size_t>(f.channel)]);
    b.set_category(type, kFeedbackTypeNames[static_cast<std::size_t>(f.type)]);
    b.set_category(language, kLanguageCodes[static_cast<std::size_t>(f.language)]);
    b.set_text(text, f.text);
    if (f.theme >= 0) b.set_category(theme, kThemeKeys[static_cast<std::uint8_t>(f.theme)]);
  }
  return b.build();
}

}  // namespace cxkit::simulate::detail
