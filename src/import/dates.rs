//! Dates as real sites write them: `2015-03-19`, `2015-03-19 9:05:00 -4`,
//! RFC 3339, quoted or not, sometimes `March 19, 2015`.

use regex::Regex;
use std::sync::OnceLock;
use time::{Date, Month, PrimitiveDateTime, Time, UtcOffset};

/// A parsed publication date, with what was unusual about how it was written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParsedDate {
    pub date: Date,
    pub time: Option<Time>,
    pub offset: Option<UtcOffset>,
    /// Oddities worth reporting ("no time zone", "one-digit offset").
    pub notes: Vec<&'static str>,
}

impl ParsedDate {
    /// The core's date for pressroom front matter: the day alone, or the
    /// instant when the source had a time (UTC when it had no zone).
    pub fn to_date(&self) -> crate::content::Date {
        let instant = PrimitiveDateTime::new(self.date, self.time.unwrap_or(Time::MIDNIGHT))
            .assume_offset(self.offset.unwrap_or(UtcOffset::UTC));
        crate::content::Date::from_instant(instant, self.time.is_some())
    }

    /// The calendar date as written, ignoring the zone (Hugo, Jekyll).
    pub fn local_date(&self) -> Date {
        self.date
    }

    /// The calendar date in UTC (Eleventy's `page.date`).
    pub fn utc_date(&self) -> Date {
        match (self.time, self.offset) {
            (Some(time), Some(offset)) => PrimitiveDateTime::new(self.date, time)
                .assume_offset(offset)
                .to_offset(UtcOffset::UTC)
                .date(),
            _ => self.date,
        }
    }
}

fn numeric_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(
            r"(?ix)^(\d{4})[-/](\d{1,2})[-/](\d{1,2})
              (?:(?:T|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,]\d+)?)?)?
              \s*(Z|UTC|GMT|[+-]\d{1,2}(?::?\d{2})?)?$",
        )
        .expect("valid date pattern")
    })
}

fn worded_pattern() -> &'static Regex {
    static PATTERN: OnceLock<Regex> = OnceLock::new();
    PATTERN.get_or_init(|| {
        Regex::new(r"(?i)^(?:([a-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})|(\d{1,2})\s+([a-z]+)\.?,?\s+(\d{4}))$")
            .expect("valid date pattern")
    })
}

/// Parses a date as found in front matter or a file name.
pub fn parse_date(text: &str) -> Option<ParsedDate> {
    let text = text.trim().trim_matches(|c| c == '"' || c == '\'').trim();
    if let Some(caps) = numeric_pattern().captures(text) {
        return parse_numeric(&caps);
    }
    let caps = worded_pattern().captures(text)?;
    let (month, day, year) = if caps.get(1).is_some() {
        (&caps[1], &caps[2], &caps[3])
    } else {
        (&caps[5], &caps[4], &caps[6])
    };
    let date = Date::from_calendar_date(year.parse().ok()?, month_from_name(month)?, day.parse().ok()?).ok()?;
    Some(ParsedDate {
        date,
        time: None,
        offset: None,
        notes: vec!["written out in words"],
    })
}

fn parse_numeric(caps: &regex::Captures<'_>) -> Option<ParsedDate> {
    let mut notes = Vec::new();
    let month = Month::try_from(caps[2].parse::<u8>().ok()?).ok()?;
    if caps[2].len() == 1 || caps[3].len() == 1 {
        notes.push("one-digit month or day");
    }
    let date = Date::from_calendar_date(caps[1].parse().ok()?, month, caps[3].parse().ok()?).ok()?;
    let time = match caps.get(4) {
        None => None,
        Some(hour) => {
            if hour.as_str().len() == 1 {
                notes.push("one-digit hour");
            }
            let second = caps.get(6).map_or(Some(0), |s| s.as_str().parse().ok())?;
            Some(Time::from_hms(hour.as_str().parse().ok()?, caps[5].parse().ok()?, second).ok()?)
        }
    };
    let offset = match caps.get(7) {
        None => {
            if time.is_some() {
                notes.push("no time zone; taken as UTC");
            }
            None
        }
        Some(zone) => Some(parse_offset(zone.as_str(), &mut notes)?),
    };
    Some(ParsedDate {
        date,
        time,
        offset,
        notes,
    })
}

fn parse_offset(zone: &str, notes: &mut Vec<&'static str>) -> Option<UtcOffset> {
    if zone.eq_ignore_ascii_case("z") || zone.eq_ignore_ascii_case("utc") || zone.eq_ignore_ascii_case("gmt") {
        return Some(UtcOffset::UTC);
    }
    let sign: i8 = if zone.starts_with('-') { -1 } else { 1 };
    let digits: String = zone[1..].chars().filter(|c| c.is_ascii_digit()).collect();
    let (hours, minutes) = match digits.len() {
        1 | 2 => {
            if digits.len() == 1 {
                notes.push("one-digit zone offset");
            }
            (digits.parse::<i8>().ok()?, 0)
        }
        3 => (digits[..1].parse::<i8>().ok()?, digits[1..].parse::<i8>().ok()?),
        4 => (digits[..2].parse::<i8>().ok()?, digits[2..].parse::<i8>().ok()?),
        _ => return None,
    };
    UtcOffset::from_hms(sign * hours, sign * minutes, 0).ok()
}

fn month_from_name(name: &str) -> Option<Month> {
    const NAMES: [&str; 12] = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    let lower = name.to_ascii_lowercase();
    let index = NAMES.iter().position(|n| lower.starts_with(n))?;
    Month::try_from(index as u8 + 1).ok()
}

/// The date and the rest of a file name like `2015-03-19-some-post`:
/// Jekyll takes the date from there and accepts one-digit months and days;
/// Eleventy (`strict`) wants two digits.
pub fn split_dated_name(stem: &str, strict: bool) -> Option<(Date, &str)> {
    static LOOSE: OnceLock<Regex> = OnceLock::new();
    static STRICT: OnceLock<Regex> = OnceLock::new();
    let pattern = if strict {
        STRICT.get_or_init(|| Regex::new(r"^(\d{4})-(\d{2})-(\d{2})-(.+)$").expect("valid date pattern"))
    } else {
        LOOSE.get_or_init(|| Regex::new(r"^(\d{4})-(\d{1,2})-(\d{1,2})-(.+)$").expect("valid date pattern"))
    };
    let caps = pattern.captures(stem)?;
    let month = Month::try_from(caps[2].parse::<u8>().ok()?).ok()?;
    let date = Date::from_calendar_date(caps[1].parse().ok()?, month, caps[3].parse().ok()?).ok()?;
    Some((date, caps.get(4)?.as_str()))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn fm(text: &str) -> String {
        parse_date(text).expect(text).to_date().machine()
    }

    #[test]
    fn accepts_the_forms_real_sites_write() {
        assert_eq!(fm("2015-03-19"), "2015-03-19");
        assert_eq!(fm("'2015-03-19'"), "2015-03-19");
        assert_eq!(fm("2015-03-19 10:14:29 -0400"), "2015-03-19T10:14:29-04:00");
        assert_eq!(fm("2015-03-19 9:05:00 -4"), "2015-03-19T09:05:00-04:00");
        assert_eq!(fm("2015-03-19T10:14:29-04:00"), "2015-03-19T10:14:29-04:00");
        assert_eq!(fm("2015-03-19T10:14:29.123Z"), "2015-03-19T10:14:29Z");
        assert_eq!(fm("2015-03-19 10:14"), "2015-03-19T10:14:00Z");
        assert_eq!(fm("March 19, 2015"), "2015-03-19");
        assert_eq!(fm("19 Mar 2015"), "2015-03-19");
        assert!(parse_date("soon").is_none());
        assert!(parse_date("2015-13-01").is_none());
    }

    #[test]
    fn reports_oddities() {
        let parsed = parse_date("2015-03-19 9:05:00 -4").unwrap();
        assert_eq!(parsed.notes, vec!["one-digit hour", "one-digit zone offset"]);
        assert_eq!(
            parse_date("2015-03-19 10:00").unwrap().notes,
            vec!["no time zone; taken as UTC"]
        );
    }

    #[test]
    fn utc_date_crosses_midnight() {
        let parsed = parse_date("2015-03-19 21:30:00 -0400").unwrap();
        assert_eq!(parsed.utc_date().to_string(), "2015-03-20");
        assert_eq!(parsed.local_date().to_string(), "2015-03-19");
    }

    #[test]
    fn splits_dated_file_names() {
        let (date, rest) = split_dated_name("2024-12-5-project-defaults", false).unwrap();
        assert_eq!(date.to_string(), "2024-12-05");
        assert_eq!(rest, "project-defaults");
        assert!(split_dated_name("2024-12-5-project-defaults", true).is_none());
        assert!(split_dated_name("about", false).is_none());
    }
}
