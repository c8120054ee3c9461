//! Publication dates: `YYYY-MM-DD` or RFC 3339, as the spec allows.

use serde::de::{self, Deserializer, Visitor};
use serde::{Deserialize, Serialize, Serializer};
use std::fmt;
use time::format_description::well_known::Rfc3339;
use time::{Date as CalendarDate, Month, OffsetDateTime, PrimitiveDateTime, Time, UtcOffset};

/// The earliest year a date may have: before it, years have no four-digit
/// form that HTML, Atom and the sitemap all accept.
pub const FIRST_YEAR: i32 = 1;
/// The latest year a date may have.
pub const LAST_YEAR: i32 = 9999;

/// A date, with a time of day when the front matter gave one.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Date {
    instant: OffsetDateTime,
    has_time: bool,
}

impl Date {
    /// Parses `YYYY-MM-DD` or an RFC 3339 timestamp, in the years
    /// `FIRST_YEAR` to `LAST_YEAR`.
    pub fn parse(text: &str) -> Result<Date, String> {
        let date = Date::parse_any_year(text.trim())?;
        if !(FIRST_YEAR..=LAST_YEAR).contains(&date.year()) {
            return Err(format!(
                "invalid date `{}`: the year must be between {FIRST_YEAR} and {LAST_YEAR}",
                text.trim()
            ));
        }
        Ok(date)
    }

    fn parse_any_year(text: &str) -> Result<Date, String> {
        if let Ok(instant) = OffsetDateTime::parse(text, &Rfc3339) {
            return Ok(Date {
                instant,
                has_time: true,
            });
        }
        let format = time::macros::format_description!("[year]-[month]-[day]");
        match CalendarDate::parse(text, &format) {
            Ok(day) => Ok(Date {
                instant: PrimitiveDateTime::new(day, Time::MIDNIGHT).assume_offset(UtcOffset::UTC),
                has_time: false,
            }),
            Err(_) => Err(format!(
                "invalid date `{text}`: expected YYYY-MM-DD (2024-03-18) or RFC 3339 (2024-03-18T09:30:00-05:00)"
            )),
        }
    }

    /// A date from its instant; `has_time` says whether the time of day counts.
    pub fn from_instant(instant: OffsetDateTime, has_time: bool) -> Date {
        Date { instant, has_time }
    }

    /// Today's date at the UTC offset `offset` (the local one, read by the
    /// caller while the process has one thread).
    pub fn today_at(offset: UtcOffset) -> Date {
        let now = OffsetDateTime::now_utc().to_offset(offset);
        Date {
            instant: PrimitiveDateTime::new(now.date(), Time::MIDNIGHT).assume_offset(UtcOffset::UTC),
            has_time: false,
        }
    }

    pub fn year(&self) -> i32 {
        self.instant.year()
    }

    /// Days since the epoch of the calendar date, for distances between dates.
    pub fn day_number(&self) -> i64 {
        i64::from(self.instant.date().to_julian_day())
    }

    /// `2024-03-18`, or the full RFC 3339 text when a time was given: for `<time datetime>`.
    pub fn machine(&self) -> String {
        if self.has_time {
            self.rfc3339()
        } else {
            self.iso_day()
        }
    }

    /// `2024-03-18`.
    pub fn iso_day(&self) -> String {
        let d = self.instant.date();
        format!("{:04}-{:02}-{:02}", d.year(), u8::from(d.month()), d.day())
    }

    /// RFC 3339 timestamp, for feeds and the sitemap.
    pub fn rfc3339(&self) -> String {
        self.instant
            .format(&Rfc3339)
            .unwrap_or_else(|_| format!("{}T00:00:00Z", self.iso_day()))
    }

    /// RFC 3339 timestamp; a date given without a time is taken as
    /// midnight at `offset` (the site's time zone).
    pub fn rfc3339_at(&self, offset: UtcOffset) -> String {
        if self.has_time {
            return self.rfc3339();
        }
        let local = PrimitiveDateTime::new(self.instant.date(), Time::MIDNIGHT).assume_offset(offset);
        local
            .format(&Rfc3339)
            .unwrap_or_else(|_| format!("{}T00:00:00Z", self.iso_day()))
    }

    /// Year, month (1-12) and day of the calendar date.
    pub fn ymd(&self) -> (i32, u8, u8) {
        let d = self.instant.date();
        (d.year(), u8::from(d.month()), d.day())
    }

    /// `March 18, 2024`, for readers.
    pub fn human(&self) -> String {
        let d = self.instant.date();
        format!("{} {}, {}", month_name(d.month()), d.day(), d.year())
    }
}

/// `March` for month 3.
pub fn month_name(m: Month) -> &'static str {
    match m {
        Month::January => "January",
        Month::February => "February",
        Month::March => "March",
        Month::April => "April",
        Month::May => "May",
        Month::June => "June",
        Month::July => "July",
        Month::August => "August",
        Month::September => "September",
        Month::October => "October",
        Month::November => "November",
        Month::December => "December",
    }
}

impl<'de> Deserialize<'de> for Date {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct DateVisitor;
        impl Visitor<'_> for DateVisitor {
            type Value = Date;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a date as YYYY-MM-DD or RFC 3339")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Date, E> {
                Date::parse(v).map_err(E::custom)
            }
        }
        deserializer.deserialize_str(DateVisitor)
    }
}

/// Written as front matter reads it: `YYYY-MM-DD`, or RFC 3339 with a time.
impl Serialize for Date {
    fn serialize<S: Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        serializer.serialize_str(&self.machine())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_both_forms() {
        let d = Date::parse("2024-03-08").unwrap();
        assert_eq!(d.machine(), "2024-03-08");
        assert_eq!(d.human(), "March 8, 2024");
        assert_eq!(d.rfc3339(), "2024-03-08T00:00:00Z");
        let t = Date::parse("2024-03-08T09:30:00-05:00").unwrap();
        assert_eq!(t.machine(), "2024-03-08T09:30:00-05:00");
        assert!(t > d);
        let offset = UtcOffset::from_hms(-5, 0, 0).unwrap();
        assert_eq!(d.rfc3339_at(offset), "2024-03-08T00:00:00-05:00");
        assert_eq!(t.rfc3339_at(UtcOffset::UTC), "2024-03-08T09:30:00-05:00");
    }

    #[test]
    fn rejects_impossible_dates() {
        assert!(Date::parse("2024-02-30").is_err());
        assert!(Date::parse("March 3").is_err());
        assert!(Date::parse("2024-3-8").is_err());
    }

    #[test]
    fn years_run_from_1_to_9999() {
        assert_eq!(
            Date::parse("-0001-01-01").unwrap_err(),
            "invalid date `-0001-01-01`: the year must be between 1 and 9999"
        );
        assert!(Date::parse("0000-12-31").is_err());
        assert!(Date::parse("0000-12-31T23:00:00-05:00").is_err());
        assert_eq!(Date::parse("0001-01-01").unwrap().machine(), "0001-01-01");
        assert_eq!(Date::parse("9999-12-31").unwrap().year(), 9999);
    }
}
