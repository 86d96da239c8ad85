// JourneyDesign: validation, the ancestor relation, JSON round trip.
#include "cxkit/journey/design.hpp"

#include <algorithm>

#include "cxkit/journey/conformance.hpp"
#include "dag.hpp"
#include "json_fields.hpp"

namespace cxkit::journey {

namespace {
const detail::JsonContext kCtx{"JourneyDesign"};
}

JourneyDesign::JourneyDesign(std::vector<DesignStage> stages, std::vector<std::string> relevant_activities,
                             std::string name)
    : name_(std::move(name)), stages_(std::move(stages)), relevant_(std::move(relevant_activities)) {
  const std::size_t n = stages_.size();
  if (n >= kNoId) kCtx.fail("stages", "too many stages");
  Dictionary index;
  for (std::size_t i = 0; i < n; ++i) {
    const std::string path = detail::JsonContext::index("stages", i) + ".name";
    if (stages_[i].name.empty()) kCtx.fail(path, "a stage needs a name");
    if (index.intern(stages_[i].name) != i) kCtx.fail(path, "stage listed twice", stages_[i].name);
    if (stages_[i].target) {
      const auto& t = *stages_[i].target;
      if (!(t.amount >= 0 && t.amount <= BusinessDuration::kMaxAmount))
        kCtx.fail(detail::JsonContext::index("stages", i) + ".target", "target must be between 0 and 1e6 units",
                  std::to_string(t.amount));
    }
  }
  next_.assign(n, {});
  for (std::size_t i = 0; i < n; ++i) {
    const auto& nx = stages_[i].next;
    for (std::size_t j = 0; j < nx.size(); ++j) {
      const std::string path = detail::JsonContext::index(detail::JsonContext::index("stages", i) + ".next", j);
      const auto to = index.find(nx[j]);
      if (!to) kCtx.fail(path, "not a stage of the design", nx[j]);
      if (std::find(next_[i].begin(), next_[i].end(), *to) != next_[i].end()) kCtx.fail(path, "listed twice", nx[j]);
      next_[i].push_back(*to);
    }
  }
  if (const auto cycle = detail::find_cycle(next_); !cycle.empty())
    kCtx.fail("stages", "the allowed order must be acyclic; cycle: " +
                            detail::describe_cycle(cycle, [&](std::uint32_t s) { return stages_[s].name; }));
  prev_ = detail::reverse(next_);
  for (std::size_t i = 0; i < relevant_.size(); ++i) {
    const std::string path = detail::JsonContext::index("relevant_activities", i);
    if (relevant_[i].empty()) kCtx.fail(path, "must not be empty");
    if (index.find(relevant_[i])) kCtx.fail(path, "is a stage; stages are always relevant", relevant_[i]);
    for (std::size_t j = 0; j < i; ++j)
      if (relevant_[j] == relevant_[i]) kCtx.fail(path, "listed twice", relevant_[i]);
  }
  // Ancestor bit rows in topological order: a stage's ancestors are its predecessors and
  // theirs.
  words_ = (n + 63) / 64;
  ancestors_.assign(n * words_, 0);
  for (std::uint32_t v : detail::topological_order(next_)) {
    std::uint64_t* row = ancestors_.data() + v * words_;
    for (std::uint32_t u : prev_[v]) {
      row[u / 64] |= std::uint64_t{1} << (u % 64);
      const std::uint64_t* up = ancestors_.data() + u * words_;
      for (std::size_t w = 0; w < words_; ++w) row[w] |= up[w];
    }
  }
}

std::size_t JourneyDesign::stage_index(std::string_view name) const {
  for (std::size_t i = 0; i < stages_.size(); ++i)
    if (stages_[i].name == name) return i;
  std::string list;
  for (const auto& s : stages_) list += (list.empty() ? "'" : ", '") + s.name + "'";
  throw NotFoundError("unknown stage '" + std::string(name) + "'; stages: " + (list.empty() ? "(none)" : list));
}

std::vector<std::uint32_t> JourneyDesign::entry_stages() const {
  std::vector<std::uint32_t> out;
  for (std::uint32_t i = 0; i < prev_.size(); ++i)
    if (prev_[i].empty()) out.push_back(i);
  return out;
}

void JourneyDesign::validate_against(const EventLog& log) const {
  const Dictionary& names = log.activity_names();
  std::string missing;
  for (const auto& s : stages_)
    if (!names.find(s.name)) missing += (missing.empty() ? "'" : ", '") + s.name + "'";
  for (const auto& a : relevant_)
    if (!names.find(a)) missing += (missing.empty() ? "'" : ", '") + a + "'";
  if (missing.empty()) return;
  std::vector<std::string> known;
  for (std::uint32_t i = 0; i < names.size(); ++i) known.emplace_back(names.name(i));
  std::sort(known.begin(), known.end());
  std::string list;
  for (std::size_t i = 0; i < known.size() && i < 100; ++i) list += (list.empty() ? "'" : ", '") + known[i] + "'";
  if (known.size() > 100) list += ", ... (" + std::to_string(known.size() - 100) + " more)";
  throw NotFoundError("the design names activities the log does not have: " + missing +
                      "; known activities: " + (list.empty() ? "(none)" : list));
}

JourneyDesign JourneyDesign::from_json(const nlohmann::json& j) {
  using detail::JsonContext;
  kCtx.object(j, "");
  kCtx.only_keys(j, "", {"name", "stages", "relevant_activities"});
  std::string name;
  if (j.contains("name")) name = kCtx.string(j["name"], "name", true);
  if (!j.contains("stages")) kCtx.fail("stages", "missing; a design needs a list of stages");
  const auto& arr = kCtx.array(j["stages"], "stages");
  std::vector<DesignStage> stages;
  stages.reserve(arr.size());
  for (std::size_t i = 0; i < arr.size(); ++i) {
    const std::string path = JsonContext::index("stages", i);
    const auto& s = kCtx.object(arr[i], path);
    kCtx.only_keys(s, path, {"name", "mandatory", "target", "next"});
    DesignStage st;
    if (!s.contains("name")) kCtx.fail(path + ".name", "missing; every stage needs a name");
    st.name = kCtx.string(s["name"], path + ".name");
    if (s.contains("mandatory")) st.mandatory = kCtx.boolean(s["mandatory"], path + ".mandatory");
    if (s.contains("target") && !s["target"].is_null()) st.target = kCtx.duration(s["target"], path + ".target");
    if (s.contains("next")) {
      const auto& nx = kCtx.array(s["next"], path + ".next");
      for (std::size_t k = 0; k < nx.size(); ++k) st.next.push_back(kCtx.string(nx[k], JsonContext::index(path + ".next", k)));
    }
    stages.push_back(std::move(st));
  }
  std::vector<std::string> relevant;
  if (j.contains("relevant_activities")) {
    const auto& ra = kCtx.array(j["relevant_activities"], "relevant_activities");
    for (std::size_t k = 0; k < ra.size(); ++k)
      relevant.push_back(kCtx.string(ra[k], JsonContext::index("relevant_activities", k)));
  }
  return JourneyDesign(std::move(stages), std::move(relevant), std::move(name));
}

JourneyDesign JourneyDesign::from_json_text(std::string_view text) {
  return from_json(detail::parse_json_text(text, "JourneyDesign"));
}

nlohmann::json JourneyDesign::to_json() const {
  nlohmann::json j = nlohmann::json::object();
  if (!name_.empty()) j["name"] = name_;
  nlohmann::json arr = nlohmann::json::array();
  for (const auto& s : stages_) {
    nlohmann::json o = nlohmann::json::object();
    o["name"] = s.name;
    if (!s.mandatory) o["mandatory"] = false;
    if (s.target) o["target"] = s.target->to_string();
    if (!s.next.empty()) o["next"] = s.next;
    arr.push_back(std::move(o));
  }
  j["stages"] = std::move(arr);
  if (!relevant_.empty()) j["relevant_activities"] = relevant_;
  return j;
}

ConformanceResult JourneyDesign::check(const EventLog& log, const CheckOptions& options) const {
  return journey::check(*this, log, options);
}
ConformanceResult JourneyDesign::check(const EventLog& log) const { return journey::check(*this, log, CheckOptions{}); }

}  // namespace cxkit::journey
