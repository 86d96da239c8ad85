// Replaying a notification policy over moment-of-truth occurrences: every notification it
// would have sent, when, to whom, about what.
//
// Items. Each occurrence (evaluate.hpp) yields up to three items, for the kinds the policy's
// notify_on lists:
// - triggered at `started`, firing until the clock stops (fulfilment or cancel);
// - about_to_breach at deadline - warn_before, when that lies after the start, at or before
//   `until` and before the clock stopped (met and breached clocks that were still open then,
//   pending and overdue clocks);
// - breached at `deadline`, for breached and overdue clocks, firing until the clock stops.
// Open clocks fire past `until` (what happens later is unknown).
//
// The replay is a deterministic discrete-event simulation in time order. At one instant it
// applies, in this order: items firing (by occurrence order, then kind), items resolving,
// group flushes, digest deliveries, escalation steps (each by the order they were scheduled).
// docs/moments_notifications.md states every rule, with the Alertmanager and PagerDuty
// behaviour each follows.
#pragma once

#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "cxkit/core/dictionary.hpp"
#include "cxkit/core/event_log.hpp"
#include "cxkit/core/table.hpp"
#include "cxkit/core/time.hpp"
#include "cxkit/moments/evaluate.hpp"
#include "cxkit/moments/moment.hpp"
#include "cxkit/moments/notification_policy.hpp"

namespace cxkit::moments {

/// What the replay reads. `cases` names Occurrence::case_id; `moments` is indexed by
/// Occurrence::moment (its name, urgency, owner and stage become labels; its key and trigger
/// locate the trigger event in `log`).
struct ReplayInput {
  const Dictionary* cases = nullptr;          ///< required
  std::span<const Occurrence> occurrences;
  std::span<const Moment> moments;
  /// Optional. When given, case ids index its cases (log->case_names() must be `cases`),
  /// the trigger event's attributes become labels and acknowledge_on events are found.
  const EventLog* log = nullptr;
  /// Optional per-account attributes, rows matched to cases by name; its columns become labels.
  const Table* accounts = nullptr;
};

struct ReplayOptions {
  /// The end of the observed history; default: the latest started/stopped/item instant.
  /// Items fire only up to it; repeats and escalation steps after it are not simulated, but
  /// first notifications of items already fired (group_wait flushes, digests) are delivered.
  std::optional<Timestamp> until;
};

enum class NotificationKind : std::uint8_t { immediate, digest, escalation };
/// "immediate", "digest", "escalation".
const char* to_string(NotificationKind k) noexcept;

/// What became of an item.
enum class ItemFate : std::uint8_t {
  notified,   ///< in at least one notification
  inhibited,  ///< muted by an inhibit rule at every chance it had
  resolved,   ///< its clock stopped before its first notification (triggered / about to breach)
  dropped,    ///< a drop route matched
  unrouted,   ///< no route matched and no default recipient
  pending,    ///< delivery was still due after `until` and past the simulation (never with defaults)
};
const char* to_string(ItemFate f) noexcept;

struct NotificationItem {
  std::uint32_t occurrence = 0;  ///< index into ReplayInput::occurrences
  ItemKind kind = ItemKind::triggered;
  Urgency urgency = Urgency::normal;
  bool immediate = false;        ///< routed to immediate (grouped) notification
  bool escalated = false;        ///< handled by the escalation policy
  Timestamp at{};                ///< when it fires
  std::optional<Timestamp> resolved;       ///< when its clock stopped
  std::optional<Timestamp> acknowledged;   ///< escalated breaches: fulfilment or acknowledging event
  std::int32_t route = -1;       ///< first matching route index, -1 none/default
  std::vector<std::uint32_t> recipients;   ///< recipients it was routed to
  ItemFate fate = ItemFate::pending;
  std::optional<Timestamp> first_notified;
  std::uint32_t notifications = 0;         ///< notifications it appeared in
};

struct Notification {
  Timestamp at{};
  std::uint32_t recipient = 0;   ///< index into policy.recipients
  NotificationKind kind = NotificationKind::immediate;
  std::uint32_t level = 0;       ///< escalation level (0 for the others)
  bool repeat = false;           ///< immediate: a repeat_interval resend with nothing new
  std::int32_t route = -1;       ///< immediate: the route whose group sent it
  std::uint32_t first = 0;       ///< items are ReplayResult::notification_items[first, first+count)
  std::uint32_t count = 0;
};

struct ReplaySummary {
  std::uint64_t items = 0;
  /// Notifying on every event: one notification per item to each recipient it was routed to
  /// (dropped and unrouted items count once).
  std::uint64_t naive_notifications = 0;
  std::uint64_t notifications = 0;
  std::uint64_t immediate = 0, digest = 0, escalation = 0;
  std::uint64_t notified = 0, inhibited = 0, resolved = 0, dropped = 0, unrouted = 0, pending = 0;
  /// notifications / naive_notifications (0 when nothing was naive).
  double ratio = 0;
};

struct ReplayResult {
  std::vector<NotificationItem> items;             ///< ordered by (at, occurrence, kind)
  std::vector<Notification> notifications;         ///< in time order
  std::vector<std::uint32_t> notification_items;   ///< item indices, each notification's ascending
  ReplaySummary summary;
};

/// Replays `policy` over the items of `input.occurrences`.
/// Throws InputError when cases is null or an occurrence names a case or moment out of range;
/// NotFoundError naming the policy field ("routes[0].match.tierr") when a label it uses is
/// neither built in (moment, urgency, kind, case, key, stage, moment_owner), nor an attribute
/// of the log, nor a column of the accounts table (prefix `event.` / `account.` to choose).
/// Complexity: O(n log n) in items plus the notifications produced; label values are interned
/// once per item, the simulation compares integer ids only.
ReplayResult replay(const NotificationPolicy& policy, const ReplayInput& input, const ReplayOptions& options = {});

}  // namespace cxkit::moments
