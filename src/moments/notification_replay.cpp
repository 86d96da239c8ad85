// The notification replay: items from occurrences, routing, Alertmanager-style grouping and
// inhibition, digests at local times, PagerDuty-style escalation; a discrete-event simulation.
#include "cxkit/moments/notification_replay.hpp"

#include <algorithm>
#include <charconv>
#include <limits>
#include <queue>
#include <unordered_map>

#include "cxkit/core/error.hpp"
#include "notification_clock.hpp"

namespace cxkit::moments {

const char* to_string(NotificationKind k) noexcept {
  switch (k) {
    case NotificationKind::immediate: return "immediate";
    case NotificationKind::digest: return "digest";
    case NotificationKind::escalation: return "escalation";
  }
  return "?";
}

const char* to_string(ItemFate f) noexcept {
  switch (f) {
    case ItemFate::notified: return "notified";
    case ItemFate::inhibited: return "inhibited";
    case ItemFate::resolved: return "resolved";
    case ItemFate::dropped: return "dropped";
    case ItemFate::unrouted: return "unrouted";
    case ItemFate::pending: return "pending";
  }
  return "?";
}

namespace {

constexpr std::int64_t kNever = std::numeric_limits<std::int64_t>::max();

// ---- labels ---------------------------------------------------------------------------------

enum class LabelKind : std::uint8_t { moment, urgency, kind, case_, key, stage, moment_owner, event, account };

struct LabelSlot {
  std::string name;
  LabelKind kind = LabelKind::moment;
  const Column* column = nullptr;
  std::vector<std::uint32_t> cache;  // account labels: value id per case (kNoId - 1 = not yet computed)
};

constexpr std::uint32_t kUncached = kNoId - 1;

std::string number_text(double v) {
  char buf[32];
  const auto r = std::to_chars(buf, buf + sizeof buf, v);
  return std::string(buf, r.ptr);
}

std::string column_text(const Column& c, std::size_t row) {
  return c.type() == ColumnType::numeric ? number_text(c.numbers()[row]) : c.value_string(row);
}

class Labels {
 public:
  Labels(const ReplayInput& in) : in_(in) {}

  /// The slot of label `name`, adding it; `field` names the policy field using it.
  std::uint32_t slot(const std::string& name, const std::string& field) {
    for (std::uint32_t i = 0; i < slots_.size(); ++i)
      if (slots_[i].name == name) return i;
    LabelSlot s;
    s.name = name;
    static const std::pair<const char*, LabelKind> builtin[] = {
        {"moment", LabelKind::moment}, {"urgency", LabelKind::urgency}, {"kind", LabelKind::kind},
        {"case", LabelKind::case_},    {"key", LabelKind::key},         {"stage", LabelKind::stage},
        {"moment_owner", LabelKind::moment_owner}};
    bool found = false;
    for (const auto& [n, k] : builtin)
      if (name == n) {
        s.kind = k;
        found = true;
      }
    const auto try_event = [&](std::string_view attr) {
      if (in_.log)
        if (const Column* c = in_.log->find_attribute(attr)) {
          s.kind = LabelKind::event;
          s.column = c;
          return true;
        }
      return false;
    };
    const auto try_account = [&](std::string_view col) {
      if (in_.accounts) {
        if (const Column* c = in_.accounts->find_column(col)) {
          s.kind = LabelKind::account;
          s.column = c;
          return true;
        }
        if (col == in_.accounts->key_name()) {  // the key column names the case
          s.kind = LabelKind::case_;
          return true;
        }
      }
      return false;
    };
    if (!found) {
      if (name.rfind("event.", 0) == 0) found = try_event(std::string_view(name).substr(6));
      else if (name.rfind("account.", 0) == 0) found = try_account(std::string_view(name).substr(8));
      else found = try_event(name) || try_account(name);
    }
    if (!found)
      throw NotFoundError("NotificationPolicy, field '" + field + "': label '" + name +
                          "' is neither built in (moment, urgency, kind, case, key, stage, moment_owner), nor an "
                          "attribute of the event log, nor a column of the accounts table");
    if (s.kind == LabelKind::account) s.cache.assign(in_.cases->size(), kUncached);
    slots_.push_back(std::move(s));
    return static_cast<std::uint32_t>(slots_.size() - 1);
  }

  std::size_t size() const noexcept { return slots_.size(); }
  std::uint32_t intern(std::string_view v) { return values_.intern(v); }
  std::optional<std::uint32_t> find(std::string_view v) const { return values_.find(v); }
  const std::vector<LabelSlot>& slots() const noexcept { return slots_; }

  /// Value id of slot `s` for an item, kNoId when missing.
  std::uint32_t value(std::uint32_t s, const Occurrence& o, ItemKind kind, std::size_t trigger_event,
                      const std::vector<std::uint32_t>& account_rows) {
    LabelSlot& slot = slots_[s];
    const Moment& m = in_.moments[o.moment];
    switch (slot.kind) {
      case LabelKind::moment: return values_.intern(m.name);
      case LabelKind::urgency: return values_.intern(to_string(m.urgency));
      case LabelKind::kind: return values_.intern(to_string(kind));
      case LabelKind::case_: return values_.intern(in_.cases->name(o.case_id));
      case LabelKind::key: return m.key ? values_.intern(o.key) : kNoId;
      case LabelKind::stage: return m.stage ? values_.intern(*m.stage) : kNoId;
      case LabelKind::moment_owner: return m.owner ? values_.intern(*m.owner) : kNoId;
      case LabelKind::event:
        if (trigger_event == SIZE_MAX || slot.column->is_missing(trigger_event)) return kNoId;
        return values_.intern(column_text(*slot.column, trigger_event));
      case LabelKind::account: {
        std::uint32_t& c = slot.cache[o.case_id];
        if (c == kUncached) {
          const std::uint32_t row = account_rows[o.case_id];
          c = (row == kNoId || slot.column->is_missing(row)) ? kNoId
                                                              : values_.intern(column_text(*slot.column, row));
        }
        return c;
      }
    }
    return kNoId;
  }

 private:
  const ReplayInput& in_;
  std::vector<LabelSlot> slots_;
  Dictionary values_;
};

/// A matcher on resolved ids: slot and accepted value ids.
struct IdMatcher {
  std::uint32_t slot = 0;
  std::vector<std::uint32_t> values;
};

std::vector<IdMatcher> resolve(const std::vector<LabelMatcher>& ms, const std::string& field, Labels& labels) {
  std::vector<IdMatcher> out;
  for (const auto& m : ms) {
    IdMatcher im{labels.slot(m.label, field + "." + m.label), {}};
    for (const auto& v : m.values) im.values.push_back(labels.intern(v));
    out.push_back(std::move(im));
  }
  return out;
}

bool matches(const std::vector<IdMatcher>& ms, const std::uint32_t* item_labels) {
  for (const auto& m : ms) {
    const std::uint32_t v = item_labels[m.slot];
    if (v == kNoId || std::find(m.values.begin(), m.values.end(), v) == m.values.end()) return false;
  }
  return true;
}

// ---- the log: trigger events and acknowledgements -------------------------------------------

/// Index of the event that started `o` (same time, trigger activity, key), SIZE_MAX if none.
std::size_t find_trigger(const EventLog& log, const Occurrence& o, const Moment& m, std::uint32_t activity,
                         const Column* key_col) {
  if (activity == kNoId) return SIZE_MAX;
  const auto times = log.timestamps();
  const auto acts = log.activity_ids();
  const std::int64_t t = to_micros(o.started);
  const auto first = times.begin() + static_cast<std::ptrdiff_t>(log.case_begin(o.case_id));
  const auto last = times.begin() + static_cast<std::ptrdiff_t>(log.case_end(o.case_id));
  for (auto it = std::lower_bound(first, last, t); it != last && *it == t; ++it) {
    const auto e = static_cast<std::size_t>(it - times.begin());
    if (acts[e] != activity) continue;
    if (m.key && (!key_col || key_col->value_string(e) != o.key)) continue;
    return e;
  }
  return SIZE_MAX;
}

// ---- the simulation -------------------------------------------------------------------------

enum Phase : std::uint8_t { kFire = 0, kResolve = 1, kFlush = 2, kDigest = 3, kEscalate = 4 };

struct Event {
  std::int64_t time;
  std::uint8_t phase;
  std::uint64_t seq;
  std::uint32_t target;      // group, recipient or escalation index
  std::uint32_t generation;  // flushes: stale when the group was rescheduled since
  bool operator>(const Event& o) const {
    if (time != o.time) return time > o.time;
    if (phase != o.phase) return phase > o.phase;
    return seq > o.seq;
  }
};

struct Delivery {  // one item to one recipient through one route
  std::uint32_t item;
  std::uint32_t recipient;
  std::int32_t route;
  bool sent = false;
};

struct Group {
  std::uint32_t recipient = 0;
  std::int32_t route = -1;
  std::vector<std::uint32_t> members;  // deliveries
  bool alive = false;
  bool flushed = false;
  std::int64_t origin = 0;        // time of the last flush: ticks are origin + k * group_interval
  std::int64_t scheduled = kNever;
  std::uint32_t generation = 0;
  std::int64_t last_sent = 0;
};

struct Escalation {
  std::uint32_t item;
  std::uint32_t level;
  std::vector<std::uint32_t> previous;  // recipients notified at the previous level
};

struct ItemState {
  bool active = false;
  bool saw_inhibit = false;
  bool resolved_unsent = false;
};

class Simulation {
 public:
  Simulation(const NotificationPolicy& p, const ReplayInput& in, ReplayResult& out, std::int64_t until,
             std::vector<std::uint32_t> labels, std::size_t n_slots, std::vector<std::vector<IdMatcher>> inhibit_source,
             std::vector<std::vector<IdMatcher>> inhibit_target, std::vector<std::vector<std::uint32_t>> inhibit_equal,
             std::vector<std::uint32_t> group_by)
      : p_(p), in_(in), out_(out), until_(until), labels_(std::move(labels)), n_slots_(n_slots),
        state_(out.items.size()) {
    for (const auto& r : p.recipients) clocks_.emplace_back(r);
    digest_buffer_.resize(p.recipients.size());
    digest_scheduled_.assign(p.recipients.size(), false);
    setup_inhibition(inhibit_source, inhibit_target, inhibit_equal);
    group_by_ = std::move(group_by);
  }

  void run() {
    const auto& items = out_.items;
    std::vector<std::uint32_t> resolves;
    for (std::uint32_t i = 0; i < items.size(); ++i)
      if (items[i].resolved && to_micros(*items[i].resolved) <= until_) resolves.push_back(i);
    std::stable_sort(resolves.begin(), resolves.end(), [&](std::uint32_t a, std::uint32_t b) {
      return *items[a].resolved < *items[b].resolved;
    });
    std::size_t next_fire = 0, next_resolve = 0;
    for (;;) {
      Event best{kNever, 255, 0, 0, 0};
      int source = -1;
      if (next_fire < items.size()) {
        best = {to_micros(items[next_fire].at), kFire, 0, 0, 0};
        source = 0;
      }
      if (next_resolve < resolves.size()) {
        const Event e{to_micros(*items[resolves[next_resolve]].resolved), kResolve, 0, 0, 0};
        if (source < 0 || best > e) {
          best = e;
          source = 1;
        }
      }
      if (!heap_.empty() && (source < 0 || best > heap_.top())) source = 2;
      if (source < 0) break;
      if (source == 0) {
        fire(static_cast<std::uint32_t>(next_fire++));
      } else if (source == 1) {
        resolve(resolves[next_resolve++]);
      } else {
        const Event e = heap_.top();
        heap_.pop();
        if (e.phase == kFlush) flush(e.target, e.time, e.generation);
        else if (e.phase == kDigest) deliver_digest(e.target, e.time);
        else escalate(e.target, e.time);
      }
    }
    finish();
  }

 private:
  const std::uint32_t* labels_of(std::uint32_t item) const { return labels_.data() + std::size_t{item} * n_slots_; }

  void push(std::int64_t time, Phase phase, std::uint32_t target, std::uint32_t generation = 0) {
    heap_.push(Event{time, phase, seq_++, target, generation});
  }

  // ---- inhibition ----
  void setup_inhibition(const std::vector<std::vector<IdMatcher>>& src, const std::vector<std::vector<IdMatcher>>& tgt,
                        const std::vector<std::vector<std::uint32_t>>& equal) {
    const std::size_t n = out_.items.size(), r = src.size();
    n_rules_ = r;
    inhibit_key_.assign(n * r, kNoId);
    inhibit_role_.assign(n * r, 0);
    std::unordered_map<std::string, std::uint32_t> keys;
    std::string k;
    for (std::uint32_t i = 0; i < n; ++i)
      for (std::size_t rule = 0; rule < r; ++rule) {
        const bool s = matches(src[rule], labels_of(i)), t = matches(tgt[rule], labels_of(i));
        if (!s && !t) continue;
        k.assign(reinterpret_cast<const char*>(&rule), sizeof rule);
        for (std::uint32_t slot : equal[rule]) {
          const std::uint32_t v = labels_of(i)[slot];
          k.append(reinterpret_cast<const char*>(&v), sizeof v);
        }
        const auto [it, added] = keys.try_emplace(k, static_cast<std::uint32_t>(keys.size()));
        (void)added;
        inhibit_key_[i * r + rule] = it->second;
        inhibit_role_[i * r + rule] = static_cast<std::uint8_t>((s ? 1 : 0) | (t ? 2 : 0));
      }
    active_sources_.assign(keys.size(), 0);
  }

  void count_source(std::uint32_t item, int delta) {
    for (std::size_t rule = 0; rule < n_rules_; ++rule)
      if (inhibit_role_[item * n_rules_ + rule] & 1) active_sources_[inhibit_key_[item * n_rules_ + rule]] += delta;
  }

  bool inhibited(std::uint32_t item) {
    for (std::size_t rule = 0; rule < n_rules_; ++rule) {
      const std::uint8_t role = inhibit_role_[item * n_rules_ + rule];
      if (!(role & 2)) continue;
      const std::int64_t others =
          active_sources_[inhibit_key_[item * n_rules_ + rule]] - (((role & 1) && state_[item].active) ? 1 : 0);
      if (others > 0) {
        state_[item].saw_inhibit = true;
        return true;
      }
    }
    return false;
  }

  // ---- notifications ----
  void emit(std::int64_t t, std::uint32_t recipient, NotificationKind kind, std::uint32_t level, bool repeat,
            std::int32_t route, std::vector<std::uint32_t>& items) {
    std::sort(items.begin(), items.end());
    Notification n;
    n.at = from_micros(t);
    n.recipient = recipient;
    n.kind = kind;
    n.level = level;
    n.repeat = repeat;
    n.route = route;
    n.first = static_cast<std::uint32_t>(out_.notification_items.size());
    n.count = static_cast<std::uint32_t>(items.size());
    for (std::uint32_t i : items) {
      out_.notification_items.push_back(i);
      auto& it = out_.items[i];
      if (!it.first_notified) it.first_notified = n.at;
      ++it.notifications;
    }
    out_.notifications.push_back(n);
  }

  // ---- items ----
  void fire(std::uint32_t i) {
    auto& item = out_.items[i];
    const std::int64_t t = to_micros(item.at);
    state_[i].active = true;
    count_source(i, +1);
    if (item.fate == ItemFate::dropped || item.fate == ItemFate::unrouted) return;
    if (item.escalated) {
      start_escalation(i, t);
      return;
    }
    for (std::size_t d = 0; d < item.recipients.size(); ++d) {
      const auto rec = item.recipients[d];
      const auto route = item_routes_[i][d];
      deliveries_.push_back(Delivery{i, rec, route});
      const auto di = static_cast<std::uint32_t>(deliveries_.size() - 1);
      if (item.immediate) add_to_group(di, t);
      else add_to_digest(di, t);
    }
  }

  void resolve(std::uint32_t i) {
    state_[i].active = false;
    count_source(i, -1);
    // Groups holding it tick at the next grid instant to drop it (Alertmanager removes
    // resolved alerts at the next flush).
    const std::int64_t t = to_micros(*out_.items[i].resolved);
    for (std::uint32_t g : item_groups_[i]) wake(g, t);
  }

  // ---- grouping (Alertmanager) ----
  std::uint32_t group_of(std::uint32_t di) {
    const Delivery& d = deliveries_[di];
    std::string& k = key_scratch_;
    k.assign(reinterpret_cast<const char*>(&d.recipient), sizeof d.recipient);
    k.append(reinterpret_cast<const char*>(&d.route), sizeof d.route);
    for (std::uint32_t slot : group_by_) {
      const std::uint32_t v = labels_of(d.item)[slot];
      k.append(reinterpret_cast<const char*>(&v), sizeof v);
    }
    const auto [it, added] = group_index_.try_emplace(k, static_cast<std::uint32_t>(groups_.size()));
    if (added) {
      groups_.emplace_back();
      groups_.back().recipient = d.recipient;
      groups_.back().route = d.route;
    }
    return it->second;
  }

  void schedule_flush(std::uint32_t g, std::int64_t t) {
    Group& G = groups_[g];
    G.scheduled = t;
    ++G.generation;
    push(t, kFlush, g, G.generation);
  }

  /// Pull the group's next tick to the first grid instant >= t.
  void wake(std::uint32_t g, std::int64_t t) {
    Group& G = groups_[g];
    if (!G.alive || !G.flushed) return;  // before the first flush group_wait is running
    const std::int64_t gi = p_.grouping.group_interval.count();
    const std::int64_t k = t <= G.origin ? 0 : (t - G.origin + gi - 1) / gi;
    const std::int64_t tick = G.origin + std::max<std::int64_t>(k, 1) * gi;
    if (tick < G.scheduled) schedule_flush(g, tick);
  }

  void add_to_group(std::uint32_t di, std::int64_t t) {
    const std::uint32_t g = group_of(di);
    Group& G = groups_[g];
    item_groups_[deliveries_[di].item].push_back(g);
    if (!G.alive) {  // a new group: wait group_wait before its first notification
      G.alive = true;
      G.flushed = false;
      G.members.clear();
      G.members.push_back(di);
      schedule_flush(g, t + p_.grouping.group_wait.count());
      return;
    }
    G.members.push_back(di);
    wake(g, t);
  }

  void flush(std::uint32_t g, std::int64_t t, std::uint32_t generation) {
    Group& G = groups_[g];
    if (generation != G.generation || !G.alive) return;  // superseded by a reschedule
    G.scheduled = kNever;
    const bool after_until = t > until_;
    std::vector<std::uint32_t> firing, keep;
    bool has_new = false, critical = false;
    for (std::uint32_t di : G.members) {
      Delivery& d = deliveries_[di];
      if (!state_[d.item].active) {
        if (!d.sent) {
          // A breach must reach someone: one resolved before its page goes to the digest.
          if (out_.items[d.item].kind == ItemKind::breached) add_to_digest(di, t);
          else state_[d.item].resolved_unsent = true;
        }
        continue;
      }
      keep.push_back(di);
      if (inhibited(d.item)) continue;
      firing.push_back(di);
      has_new |= !d.sent;
      critical |= out_.items[d.item].urgency == Urgency::critical;
    }
    G.members = std::move(keep);
    const bool repeat_due = G.flushed && !firing.empty() && !after_until &&
                            t - G.last_sent >= p_.grouping.repeat_interval.count();
    if (has_new || repeat_due) {
      const detail::RecipientClock& clock = clocks_[G.recipient];
      if (!critical && clock.in_quiet_hours(from_micros(t))) {
        schedule_flush(g, to_micros(clock.quiet_end(from_micros(t))));
        return;
      }
      std::vector<std::uint32_t> items;
      for (std::uint32_t di : firing) {
        deliveries_[di].sent = true;
        items.push_back(deliveries_[di].item);
      }
      emit(t, G.recipient, NotificationKind::immediate, 0, !has_new, G.route, items);
      G.last_sent = t;
    }
    G.flushed = true;
    G.origin = t;
    if (G.members.empty()) {
      G.alive = false;  // Alertmanager deletes a group once all its alerts resolved
      return;
    }
    if (after_until) return;
    // Nothing changes before the next repeat unless an item joins, resolves or an inhibition
    // lifts: jump to the grid tick of the repeat; wake() pulls it earlier. Inhibited members
    // can be released by any source resolving, so such groups tick every interval.
    const std::int64_t gi = p_.grouping.group_interval.count();
    const bool any_inhibited = firing.size() != G.members.size();
    std::int64_t next = t + gi;
    if (!any_inhibited) {  // every member firing was sent (now or before): last_sent is set
      const std::int64_t due = G.last_sent + p_.grouping.repeat_interval.count();
      if (due > next) next = t + ((due - t + gi - 1) / gi) * gi;
    }
    if (next > until_ && !any_inhibited) {
      // Beyond the observed history nothing can join or resolve; stop ticking.
      G.scheduled = kNever;
      return;
    }
    schedule_flush(g, next);
  }

  // ---- digests ----
  void add_to_digest(std::uint32_t di, std::int64_t t) {
    const std::uint32_t r = deliveries_[di].recipient;
    digest_buffer_[r].push_back(di);
    if (!digest_scheduled_[r]) {
      digest_scheduled_[r] = true;
      push(to_micros(clocks_[r].next_digest(from_micros(t))), kDigest, r);
    }
  }

  void deliver_digest(std::uint32_t r, std::int64_t t) {
    digest_scheduled_[r] = false;
    std::vector<std::uint32_t> items;
    for (std::uint32_t di : digest_buffer_[r]) {
      const std::uint32_t i = deliveries_[di].item;
      // Breaches are always reported; other items only while their clock still runs.
      if (!state_[i].active && out_.items[i].kind != ItemKind::breached) {
        state_[i].resolved_unsent = true;
        continue;
      }
      if (inhibited(i)) continue;
      deliveries_[di].sent = true;
      items.push_back(i);
    }
    digest_buffer_[r].clear();
    std::sort(items.begin(), items.end());
    items.erase(std::unique(items.begin(), items.end()), items.end());
    if (!items.empty()) emit(t, r, NotificationKind::digest, 0, false, -1, items);
  }

  // ---- escalation (PagerDuty) ----
  std::vector<std::uint32_t> level_targets(const EscalationLevel& l, std::uint32_t item,
                                           const std::vector<std::uint32_t>& previous) const {
    std::vector<std::uint32_t> out;
    switch (l.target) {
      case EscalationLevel::Target::owner: out = out_.items[item].recipients; break;
      case EscalationLevel::Target::manager:
        for (std::uint32_t r : previous)
          if (!p_.recipients[r].manager.empty())
            out.push_back(static_cast<std::uint32_t>(p_.find_recipient(p_.recipients[r].manager)));
        break;
      case EscalationLevel::Target::recipient:
        out.push_back(static_cast<std::uint32_t>(p_.find_recipient(l.recipient)));
        break;
    }
    std::sort(out.begin(), out.end());
    out.erase(std::unique(out.begin(), out.end()), out.end());
    return out;
  }

  void start_escalation(std::uint32_t i, std::int64_t t) {
    escalations_.push_back(Escalation{i, 0, out_.items[i].recipients});
    escalate(static_cast<std::uint32_t>(escalations_.size() - 1), t);
  }

  void escalate(std::uint32_t e, std::int64_t t) {
    const std::uint32_t i = escalations_[e].item;
    const std::uint32_t level = escalations_[e].level;
    const auto& item = out_.items[i];
    if (level > 0) {
      if (t > until_) return;                                              // beyond the history
      if (item.acknowledged && to_micros(*item.acknowledged) <= t) return;  // acknowledged in time
    }
    if (inhibited(i)) return;
    const auto& l = p_.escalation->levels[level];
    std::vector<std::uint32_t> targets = level_targets(l, i, escalations_[e].previous);
    if (targets.empty()) targets = escalations_[e].previous;  // nobody above: stay with the last level
    for (std::uint32_t r : targets) {
      std::vector<std::uint32_t> items{i};
      emit(t, r, NotificationKind::escalation, level, false, item.route, items);
    }
    if (level + 1 < p_.escalation->levels.size()) {
      escalations_[e].level = level + 1;
      escalations_[e].previous = std::move(targets);
      push(t + l.timeout.count(), kEscalate, e);
    }
  }

  void finish() {
    auto& s = out_.summary;
    for (std::uint32_t i = 0; i < out_.items.size(); ++i) {
      auto& item = out_.items[i];
      if (item.fate != ItemFate::dropped && item.fate != ItemFate::unrouted) {
        if (item.notifications > 0) item.fate = ItemFate::notified;
        else if (state_[i].saw_inhibit) item.fate = ItemFate::inhibited;
        else if (state_[i].resolved_unsent) item.fate = ItemFate::resolved;
        else item.fate = ItemFate::pending;
      }
      s.naive_notifications += std::max<std::size_t>(1, item.recipients.size());
      switch (item.fate) {
        case ItemFate::notified: ++s.notified; break;
        case ItemFate::inhibited: ++s.inhibited; break;
        case ItemFate::resolved: ++s.resolved; break;
        case ItemFate::dropped: ++s.dropped; break;
        case ItemFate::unrouted: ++s.unrouted; break;
        case ItemFate::pending: ++s.pending; break;
      }
    }
    s.items = out_.items.size();
    s.notifications = out_.notifications.size();
    for (const auto& n : out_.notifications) {
      if (n.kind == NotificationKind::immediate) ++s.immediate;
      else if (n.kind == NotificationKind::digest) ++s.digest;
      else ++s.escalation;
    }
    s.ratio = s.naive_notifications ? double(s.notifications) / double(s.naive_notifications) : 0.0;
  }

  const NotificationPolicy& p_;
  const ReplayInput& in_;
  ReplayResult& out_;
  std::int64_t until_;
  std::vector<std::uint32_t> labels_;
  std::size_t n_slots_;
  std::vector<ItemState> state_;
  std::vector<detail::RecipientClock> clocks_;
  std::priority_queue<Event, std::vector<Event>, std::greater<Event>> heap_;
  std::uint64_t seq_ = 0;
  std::vector<Delivery> deliveries_;
  std::vector<Group> groups_;
  std::unordered_map<std::string, std::uint32_t> group_index_;
  std::string key_scratch_;
  std::vector<std::uint32_t> group_by_;
  std::vector<std::vector<std::uint32_t>> digest_buffer_;
  std::vector<bool> digest_scheduled_;
  std::vector<Escalation> escalations_;
  std::size_t n_rules_ = 0;
  std::vector<std::uint32_t> inhibit_key_;
  std::vector<std::uint8_t> inhibit_role_;
  std::vector<std::int64_t> active_sources_;

 public:
  std::vector<std::vector<std::int32_t>> item_routes_;      // per item, the route of each recipient
  std::vector<std::vector<std::uint32_t>> item_groups_;     // per item, the groups holding it
};

}  // namespace

ReplayResult replay(const NotificationPolicy& policy, const ReplayInput& in, const ReplayOptions& options) {
  if (!in.cases) throw InputError("replay needs the case names", {"replay", -1, "cases", ""});
  if (in.log && &in.log->case_names() != in.cases)
    throw InputError("cases must be the log's case names when a log is given", {"replay", -1, "cases", ""});
  const auto& occ = in.occurrences;
  for (std::size_t i = 0; i < occ.size(); ++i) {
    if (occ[i].case_id >= in.cases->size())
      throw InputError("case id out of range", {"occurrences", static_cast<std::int64_t>(i), "case_id",
                                                std::to_string(occ[i].case_id), "row"});
    if (occ[i].moment >= in.moments.size())
      throw InputError("moment index out of range", {"occurrences", static_cast<std::int64_t>(i), "moment",
                                                     std::to_string(occ[i].moment), "row"});
  }

  // The end of the observed history.
  std::int64_t until = std::numeric_limits<std::int64_t>::min();
  if (options.until) {
    until = to_micros(*options.until);
  } else {
    for (const auto& o : occ) {
      until = std::max(until, to_micros(o.started));
      if (o.stopped) until = std::max(until, to_micros(*o.stopped));
      if (o.status == Status::breached || o.status == Status::overdue) until = std::max(until, to_micros(o.deadline));
    }
  }

  // ---- items ----
  ReplayResult out;
  bool want[3] = {false, false, false};
  for (auto k : policy.notify_on) want[static_cast<int>(k)] = true;
  for (std::uint32_t i = 0; i < occ.size(); ++i) {
    const auto& o = occ[i];
    const Urgency u = in.moments[o.moment].urgency;
    const auto add = [&](ItemKind k, Timestamp at) {
      NotificationItem it;
      it.occurrence = i;
      it.kind = k;
      it.urgency = u;
      it.at = at;
      it.resolved = o.stopped;
      out.items.push_back(std::move(it));
    };
    if (want[0] && to_micros(o.started) <= until) add(ItemKind::triggered, o.started);
    if (want[1]) {
      const Timestamp w = o.deadline - policy.warn_before;
      if (w > o.started && to_micros(w) <= until && (!o.stopped || *o.stopped > w)) add(ItemKind::about_to_breach, w);
    }
    if (want[2] && (o.status == Status::breached || o.status == Status::overdue) && to_micros(o.deadline) <= until)
      add(ItemKind::breached, o.deadline);
  }
  std::stable_sort(out.items.begin(), out.items.end(), [](const NotificationItem& a, const NotificationItem& b) {
    if (a.at != b.at) return a.at < b.at;
    if (a.occurrence != b.occurrence) return a.occurrence < b.occurrence;
    return a.kind < b.kind;
  });
  const std::size_t n = out.items.size();

  // ---- labels the policy uses ----
  Labels labels(in);
  std::vector<std::vector<IdMatcher>> route_match;
  std::vector<std::uint32_t> route_from(policy.routes.size(), kNoId);
  for (std::size_t r = 0; r < policy.routes.size(); ++r) {
    const std::string f = "routes[" + std::to_string(r) + "]";
    route_match.push_back(resolve(policy.routes[r].match, f + ".match", labels));
    if (policy.routes[r].target == Route::Target::recipient_from)
      route_from[r] = labels.slot(policy.routes[r].value, f + ".recipient_from");
  }
  std::vector<std::uint32_t> group_by;
  for (std::size_t g = 0; g < policy.grouping.group_by.size(); ++g)
    group_by.push_back(labels.slot(policy.grouping.group_by[g], "grouping.group_by[" + std::to_string(g) + "]"));
  std::vector<std::vector<IdMatcher>> inh_src, inh_tgt;
  std::vector<std::vector<std::uint32_t>> inh_eq;
  for (std::size_t r = 0; r < policy.inhibit.size(); ++r) {
    const std::string f = "inhibit[" + std::to_string(r) + "]";
    inh_src.push_back(resolve(policy.inhibit[r].source, f + ".source", labels));
    inh_tgt.push_back(resolve(policy.inhibit[r].target, f + ".target", labels));
    std::vector<std::uint32_t> eq;
    for (std::size_t k = 0; k < policy.inhibit[r].equal.size(); ++k)
      eq.push_back(labels.slot(policy.inhibit[r].equal[k], f + ".equal[" + std::to_string(k) + "]"));
    inh_eq.push_back(std::move(eq));
  }
  std::vector<IdMatcher> esc_match;
  if (policy.escalation) esc_match = resolve(policy.escalation->match, "escalation.match", labels);

  // Trigger events (for event labels) and account rows, once per occurrence / case.
  bool need_event = false;
  for (const auto& s : labels.slots()) need_event |= s.kind == LabelKind::event;
  std::vector<std::size_t> trigger(occ.size(), SIZE_MAX);
  std::vector<std::uint32_t> trigger_activity(in.moments.size(), kNoId);
  std::vector<const Column*> key_column(in.moments.size(), nullptr);
  if (in.log) {
    for (std::size_t m = 0; m < in.moments.size(); ++m) {
      if (auto a = in.log->activity_names().find(in.moments[m].trigger.activity)) trigger_activity[m] = *a;
      if (in.moments[m].key) key_column[m] = in.log->find_attribute(*in.moments[m].key);
    }
    if (need_event)
      for (std::size_t i = 0; i < occ.size(); ++i)
        trigger[i] = find_trigger(*in.log, occ[i], in.moments[occ[i].moment], trigger_activity[occ[i].moment],
                                  key_column[occ[i].moment]);
  }
  std::vector<std::uint32_t> account_rows(in.cases->size(), kNoId);
  if (in.accounts)
    for (std::uint32_t c = 0; c < account_rows.size(); ++c)
      if (auto r = in.accounts->row_of(in.cases->name(c))) account_rows[c] = static_cast<std::uint32_t>(*r);

  const std::size_t n_slots = labels.size();
  std::vector<std::uint32_t> item_labels(n * n_slots, kNoId);
  for (std::size_t i = 0; i < n; ++i) {
    const auto& it = out.items[i];
    for (std::uint32_t s = 0; s < n_slots; ++s)
      item_labels[i * n_slots + s] = labels.value(s, occ[it.occurrence], it.kind, trigger[it.occurrence], account_rows);
  }

  // ---- routing ----
  std::vector<std::int64_t> recipient_of_value;  // label value id -> recipient index
  {
    std::vector<std::pair<std::uint32_t, std::uint32_t>> known;
    for (std::uint32_t r = 0; r < policy.recipients.size(); ++r)
      if (auto v = labels.find(policy.recipients[r].id)) known.emplace_back(*v, r);
    std::uint32_t max_id = 0;
    for (const auto& [v, r] : known) max_id = std::max(max_id, v + 1);
    recipient_of_value.assign(max_id, -1);
    for (const auto& [v, r] : known) recipient_of_value[v] = r;
  }
  std::vector<std::vector<std::uint32_t>> role_members(policy.routes.size());
  for (std::size_t r = 0; r < policy.routes.size(); ++r)
    if (policy.routes[r].target == Route::Target::role)
      for (std::uint32_t k = 0; k < policy.recipients.size(); ++k)
        if (policy.recipients[k].role == policy.routes[r].value) role_members[r].push_back(k);
  const std::int64_t default_recipient =
      policy.default_recipient.empty() ? -1 : policy.find_recipient(policy.default_recipient);

  std::vector<std::vector<std::int32_t>> item_routes(n);
  for (std::size_t i = 0; i < n; ++i) {
    auto& it = out.items[i];
    const std::uint32_t* lab = item_labels.data() + i * n_slots;
    std::optional<bool> immediate;
    bool dropped = false;
    for (std::size_t r = 0; r < policy.routes.size(); ++r) {
      const Route& route = policy.routes[r];
      if (!matches(route_match[r], lab)) continue;
      if (route.target == Route::Target::drop) {  // ends matching; drops only an item nobody got yet
        if (it.recipients.empty()) {
          dropped = true;
          it.route = static_cast<std::int32_t>(r);
        }
        break;
      }
      std::vector<std::uint32_t> to;
      if (route.target == Route::Target::recipient) {
        to.push_back(static_cast<std::uint32_t>(policy.find_recipient(route.value)));
      } else if (route.target == Route::Target::role) {
        to = role_members[r];
      } else {
        const std::uint32_t v = lab[route_from[r]];
        if (v != kNoId && v < recipient_of_value.size() && recipient_of_value[v] >= 0)
          to.push_back(static_cast<std::uint32_t>(recipient_of_value[v]));
      }
      if (to.empty()) continue;  // a recipient_from naming nobody does not match
      if (it.route < 0) {
        it.route = static_cast<std::int32_t>(r);
        immediate = route.immediate;
      }
      for (std::uint32_t k : to)
        if (std::find(it.recipients.begin(), it.recipients.end(), k) == it.recipients.end()) {
          it.recipients.push_back(k);
          item_routes[i].push_back(static_cast<std::int32_t>(r));
        }
      if (policy.routing == NotificationPolicy::Routing::first_match && !route.continue_matching) break;
    }
    if (dropped) {
      it.fate = ItemFate::dropped;
      it.recipients.clear();
      item_routes[i].clear();
      continue;
    }
    if (it.recipients.empty()) {
      if (default_recipient < 0) {
        it.fate = ItemFate::unrouted;
        continue;
      }
      it.recipients.push_back(static_cast<std::uint32_t>(default_recipient));
      item_routes[i].push_back(-1);
    }
    it.immediate = immediate.value_or(it.urgency >= Urgency::high);
    if (policy.escalation && it.kind == ItemKind::breached && matches(esc_match, lab)) it.escalated = true;
  }

  // ---- acknowledgements of escalated breaches ----
  if (policy.escalation) {
    std::vector<std::uint32_t> ack_activities;
    if (in.log)
      for (const auto& a : policy.escalation->acknowledge_on)
        if (auto id = in.log->activity_names().find(a)) ack_activities.push_back(*id);
    for (auto& it : out.items) {
      if (!it.escalated) continue;
      it.acknowledged = it.resolved;
      if (ack_activities.empty()) continue;
      const auto& o = occ[it.occurrence];
      const Moment& m = in.moments[o.moment];
      const auto times = in.log->timestamps();
      const auto acts = in.log->activity_ids();
      const auto first = times.begin() + static_cast<std::ptrdiff_t>(in.log->case_begin(o.case_id));
      const auto last = times.begin() + static_cast<std::ptrdiff_t>(in.log->case_end(o.case_id));
      for (auto p = std::lower_bound(first, last, to_micros(it.at)); p != last; ++p) {
        if (it.acknowledged && *p >= to_micros(*it.acknowledged)) break;
        const auto e = static_cast<std::size_t>(p - times.begin());
        if (std::find(ack_activities.begin(), ack_activities.end(), acts[e]) == ack_activities.end()) continue;
        if (m.key && (!key_column[o.moment] || key_column[o.moment]->value_string(e) != o.key)) continue;
        it.acknowledged = from_micros(*p);
        break;
      }
    }
  }

  Simulation sim(policy, in, out, until, std::move(item_labels), n_slots, std::move(inh_src), std::move(inh_tgt),
                 std::move(inh_eq), std::move(group_by));
  sim.item_routes_ = std::move(item_routes);
  sim.item_groups_.resize(n);
  sim.run();
  return out;
}

}  // namespace cxkit::moments
