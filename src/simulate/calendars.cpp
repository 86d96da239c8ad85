// The sample company's teams and clocks: six support/CSM hubs with their own working weeks
// and public holidays, customer time zones, and calendar-month arithmetic.
#include <algorithm>
#include <chrono>

#include <date/date.h>
#include <date/tz.h>

#include "cxkit/core/error.hpp"
#include "model.hpp"

namespace cxkit::simulate::detail {

namespace {

using std::chrono::hours;
using std::chrono::minutes;

Calendar::Week weekdays(const std::vector<WorkingInterval>& day) {
  Calendar::Week w;
  for (int d = 0; d < 5; ++d) w[static_cast<std::size_t>(d)] = day;
  return w;
}

WorkingInterval interval(int h0, int m0, int h1, int m1) {
  return WorkingInterval{minutes(h0 * 60 + m0), minutes(h1 * 60 + m1)};
}

struct MonthDay {
  unsigned month, day;
};

std::vector<boost::gregorian::date> holidays(std::initializer_list<MonthDay> days, int first_year, int last_year) {
  std::vector<boost::gregorian::date> out;
  for (int y = first_year; y <= last_year; ++y)
    for (const auto& md : days)
      out.emplace_back(static_cast<unsigned short>(y), static_cast<unsigned short>(md.month),
                       static_cast<unsigned short>(md.day));
  std::sort(out.begin(), out.end());
  return out;
}

}  // namespace

std::vector<SupportHub> make_support_hubs(int first_year, int last_year) {
  std::vector<SupportHub> hubs(6);
  // Americas: one long shift, US federal fixed-date holidays.
  hubs[0].name = "Americas";
  hubs[0].timezone = "America/New_York";
  hubs[0].week = weekdays({interval(8, 0, 18, 0)});
  hubs[0].holidays = holidays({{1, 1}, {7, 4}, {12, 25}}, first_year, last_year);
  hubs[0].csms = {"James Park", "Maria Lopez", "Dan Whitaker", "Priya Natarajan"};
  hubs[0].reply_delay_factor = 1.0;
  // EMEA: a lunch break splits the day, so business time jumps over 12:00-13:00.
  hubs[1].name = "EMEA";
  hubs[1].timezone = "Europe/Berlin";
  hubs[1].week = weekdays({interval(8, 0, 12, 0), interval(13, 0, 17, 0)});
  hubs[1].holidays = holidays({{1, 1}, {5, 1}, {12, 25}, {12, 26}}, first_year, last_year);
  hubs[1].csms = {"Sophie Müller", "Tom Bennett", "Inês Costa"};
  hubs[1].reply_delay_factor = 0.9;
  hubs[2].name = "APAC";
  hubs[2].timezone = "Asia/Singapore";
  hubs[2].week = weekdays({interval(9, 0, 18, 0)});
  hubs[2].holidays = holidays({{1, 1}, {5, 1}, {8, 9}, {12, 25}}, first_year, last_year);
  hubs[2].csms = {"Wei Ling Tan", "Arjun Mehta"};
  hubs[2].reply_delay_factor = 1.0;
  // CIS: the long New Year break of Russian calendars.
  hubs[3].name = "CIS";
  hubs[3].timezone = "Europe/Moscow";
  hubs[3].week = weekdays({interval(9, 0, 18, 0)});
  hubs[3].holidays = holidays({{1, 1}, {1, 2}, {1, 3}, {1, 4}, {1, 5}, {1, 6}, {1, 7}, {1, 8}, {2, 23},
                               {3, 8}, {5, 1}, {5, 9}, {6, 12}, {11, 4}},
                              first_year, last_year);
  hubs[3].csms = {"Ольга Смирнова", "Дмитрий Иванов"};
  hubs[3].reply_delay_factor = 1.1;
  hubs[4].name = "LATAM";
  hubs[4].timezone = "America/Sao_Paulo";
  hubs[4].week = weekdays({interval(9, 0, 18, 0)});
  hubs[4].holidays = holidays({{1, 1}, {4, 21}, {5, 1}, {9, 7}, {10, 12}, {11, 2}, {11, 15}, {12, 25}},
                              first_year, last_year);
  hubs[4].csms = {"Ana Souza", "João Pereira"};
  hubs[4].reply_delay_factor = 1.2;
  // Middle East: the Iranian week runs Saturday to Wednesday, with a half day on Thursday;
  // Nowruz closes the office for four days.
  hubs[5].name = "Middle East";
  hubs[5].timezone = "Asia/Tehran";
  for (std::size_t d : {0u, 1u, 2u, 5u, 6u}) hubs[5].week[d] = {interval(8, 0, 16, 0)};
  hubs[5].week[3] = {interval(8, 0, 13, 0)};
  hubs[5].holidays = holidays({{2, 11}, {3, 20}, {3, 21}, {3, 22}, {3, 23}, {4, 1}, {4, 2}, {6, 4}},
                              first_year, last_year);
  hubs[5].csms = {"سارا احمدی", "رضا کریمی"};
  hubs[5].reply_delay_factor = 1.3;
  return hubs;
}

ZoneOffsets::ZoneOffsets(std::int64_t first_day, std::int64_t last_day)
    : first_day_(first_day), n_days_(last_day - first_day + 1) {
  seconds_.resize(kZoneCount * static_cast<std::size_t>(n_days_));
  for (std::size_t z = 0; z < kZoneCount; ++z) {
    const date::time_zone* tz = nullptr;
    try {
      tz = date::locate_zone(kZones[z].name);
    } catch (const std::exception&) {
      throw NotFoundError("time zone '" + std::string(kZones[z].name) + "' is not in the time-zone database");
    }
    for (std::int64_t d = 0; d < n_days_; ++d) {
      const date::sys_seconds noon{std::chrono::seconds((first_day + d) * 86400 + 43200)};
      seconds_[z * static_cast<std::size_t>(n_days_) + static_cast<std::size_t>(d)] =
          static_cast<std::int32_t>(tz->get_info(noon).offset.count());
    }
  }
}

std::int64_t ZoneOffsets::offset(std::size_t zone, std::int64_t t) const noexcept {
  std::int64_t d = floor_div(t, kDay) - first_day_;
  if (d < 0) d = 0;
  if (d >= n_days_) d = n_days_ - 1;
  return static_cast<std::int64_t>(seconds_[zone * static_cast<std::size_t>(n_days_) + static_cast<std::size_t>(d)]) *
         kSecond;
}

std::int64_t add_months(std::int64_t t, int n) {
  const std::int64_t day = floor_div(t, kDay);
  const std::int64_t time_of_day = t - day * kDay;
  const date::year_month_day ymd{date::sys_days{date::days{day}}};
  date::year_month_day shifted = ymd + date::months{n};
  if (!shifted.ok()) shifted = date::year_month_day{shifted.year() / shifted.month() / date::last};
  return static_cast<std::int64_t>(date::sys_days{shifted}.time_since_epoch().count()) * kDay + time_of_day;
}

}  // namespace cxkit::simulate::detail
