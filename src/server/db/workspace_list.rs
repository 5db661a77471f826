//! The workspace's submission list: one keyset-paged query with only the filters given, and
//! each row's consult, flags, owner and newest referral as correlated subqueries.

use chrono::{DateTime, Utc};

use super::submissions::workflow;
use super::{with_pool, ClinicianId, Db, SubmissionId, SubmissionStatus};
use crate::domain::questionnaire::Leaning;
use crate::domain::scoring::ReadinessBand;
use crate::domain::workflow::WorkflowStatus;

/// One row of the workspace's submission list.
#[derive(Debug, Clone)]
pub struct SubmissionSummary {
    pub id: SubmissionId,
    pub reference: String,
    pub status: SubmissionStatus,
    pub workflow: WorkflowStatus,
    pub created_at: DateTime<Utc>,
    pub submitted_at: Option<DateTime<Utc>>,
    pub overall: Option<u8>,
    pub band: Option<ReadinessBand>,
    /// The instrument version that scored it (scores of different versions are not alike).
    pub instrument: Option<u32>,
    /// Where the person is about the relationship, from their result.
    pub leaning: Option<Leaning>,
    /// "a" or "b" when part of a couple.
    pub partner: Option<String>,
    /// The live consult's start, if one is booked.
    pub consult: Option<DateTime<Utc>>,
    /// Its own or its partner's private check-in is positive.
    pub safety: bool,
    /// Its couple has a mixed agenda.
    pub mixed_agenda: bool,
    /// Who looks after it, by name.
    pub owner: Option<String>,
    /// Its newest referral: `sent`, an outcome (`connected`, …) or `closed`.
    pub referral: Option<String>,
}

/// Whose submissions the list shows.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum OwnerFilter {
    #[default]
    Any,
    /// Those this clinician owns.
    Of(ClinicianId),
    Unassigned,
    Assigned,
}

/// Positive check-ins of a submission or its partner (> 0: flag). Correlated subqueries on
/// primary keys and the couple index: cheap for the 50 rows of a page. What a row shows is
/// worked out afresh; the safety filter reads the flag stored with the submission, which
/// [`super::safety::refresh_safety_flags`] sets by this same rule.
pub(super) const SAFETY_EXPR: &str =
    "cast(coalesce((select max(ss.positive) from safety_screens ss \
     where ss.submission_id = s.id), 0) \
     + coalesce((select max(ss.positive) from submissions p \
     join safety_screens ss on ss.submission_id = p.id where p.couple_id = s.couple_id), 0) \
     as integer)";

/// 1 when the submission's couple has a mixed agenda (the rule of `domain::couple`: both
/// partners have a result, and either is known not to lean in), else 0.
const MIXED_AGENDA_EXPR: &str = "coalesce((select case when count(*) = 2 \
     and sum(case when r.leaning in ('unsure', 'out', 'decided') then 1 else 0 end) > 0 \
     then 1 else 0 end \
     from submissions p join results r on r.submission_id = p.id \
     where p.couple_id = s.couple_id), 0)";

/// A value bound into a query assembled at run time.
enum Arg<'a> {
    Int(i64),
    Text(std::borrow::Cow<'a, str>),
    Time(DateTime<Utc>),
}

/// What the workspace list is narrowed to. Empty means everything.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SubmissionFilter {
    pub workflow: Option<WorkflowStatus>,
    pub band: Option<ReadinessBand>,
    /// Started at or after.
    pub from: Option<DateTime<Utc>>,
    /// Started before.
    pub until: Option<DateTime<Utc>>,
    /// A reference, or the start of one (case-insensitive).
    pub reference: Option<String>,
    /// Only those flagged by a positive private check-in (theirs or their partner's).
    pub safety_only: bool,
    /// Only couples with a mixed agenda.
    pub mixed_agenda_only: bool,
    /// Part of the name given when booking (case-insensitive).
    pub client_name: Option<String>,
    /// Intake answers it must have: the question's key and the values that match (any one).
    pub intake: Vec<(&'static str, Vec<&'static str>)>,
    pub owner: OwnerFilter,
}

impl Db {
    /// Submissions newest first, `limit` at a time, starting below `before` (keyset
    /// pagination: page 2,000 costs what page 1 costs, unlike OFFSET).
    pub async fn submissions_page(
        &self,
        filter: &SubmissionFilter,
        before: Option<SubmissionId>,
        limit: u32,
    ) -> Result<Vec<SubmissionSummary>, sqlx::Error> {
        // The WHERE clause holds only the filters given: a catch-all `($n is null or …)` would
        // be planned once for every combination and could use no index (seen at 1M rows).
        let mut args: Vec<Arg<'_>> = vec![Arg::Int(before.map_or(i64::MAX, |b| b.0))];
        // Two steps: the page's ids first, with only the filters, then each row's columns for
        // those 50 alone. A filter the database answers from an index (a name search) gives it
        // many rows to sort, and SQLite computes a sorted query's columns for every row it
        // sorts, correlated subqueries included.
        //
        // Names are sealed: each word typed must be the start of a word of the name, found
        // through the keyed index ([`super::seal::Sealer::name_terms`]). A name search reads
        // its first word's index entries newest submission first and stops at a page (each
        // further word is a look-up on the same index); any other order would make the
        // database find, and sort, every match first: thousands for two typed letters.
        let terms = filter
            .client_name
            .as_deref()
            .map(|name| self.sealer.search_terms(name));
        // The result is joined only when a filter reads it: otherwise each row the database
        // passes over on its way to a page would cost a look-up for nothing.
        let results = if filter.band.is_some() {
            " left join results r on r.submission_id = s.id"
        } else {
            ""
        };
        // A name search alone reads only the name index; with other filters it also reads
        // each matching submission.
        let alone = SubmissionFilter {
            client_name: None,
            ..filter.clone()
        } == SubmissionFilter::default();
        let (mut sql, order) = match terms.as_deref() {
            Some([first, ..]) => {
                args.push(Arg::Text(first.clone().into()));
                let submissions = if alone {
                    String::new()
                } else {
                    format!(" join submissions s on s.id = t0.submission_id{results}")
                };
                (
                    format!(
                        "select distinct t0.submission_id as id from booking_name_terms t0\
                         {submissions} where t0.term = $2 and t0.submission_id < $1"
                    ),
                    "t0.submission_id",
                )
            }
            _ => (
                format!("select s.id from submissions s{results} where s.id < $1"),
                "s.id",
            ),
        };
        let mut and = |condition: &str, values: Vec<Arg<'static>>, args: &mut Vec<Arg<'_>>| {
            let mut condition = condition.to_owned();
            for (i, value) in values.into_iter().enumerate() {
                args.push(value);
                condition = condition.replace(&format!("?{i}"), &format!("${}", args.len()));
            }
            sql.push_str(" and ");
            sql.push_str(&condition);
        };
        if let Some(w) = filter.workflow {
            and(
                "s.workflow = ?0",
                vec![Arg::Text(w.as_str().into())],
                &mut args,
            );
        }
        if let Some(b) = filter.band {
            and("r.band = ?0", vec![Arg::Text(b.as_str().into())], &mut args);
        }
        // PostgreSQL walks the id index newest first and filters on the date, which for a day
        // long ago reads nearly every newer row (216 ms at 1M). Ids rise with creation, so the
        // range also lies between two ids, found on the date index in one probe each: the
        // last row from over a day before `from` and the first from over a day after `until`.
        // A row in the range has an id strictly between them unless two instances' clocks
        // differed by more than a day. SQLite plans its date index for this already.
        let postgres = matches!(self.pool, super::Pool::Postgres(_));
        let margin = chrono::Duration::days(1);
        if let Some(from) = filter.from {
            and("s.created_at >= ?0", vec![Arg::Time(from)], &mut args);
            if postgres {
                let after = "s.id > coalesce((select f.id from submissions f \
                             where f.created_at < ?0 order by f.created_at desc, f.id desc \
                             limit 1), 0)";
                and(after, vec![Arg::Time(from - margin)], &mut args);
            }
        }
        if let Some(until) = filter.until {
            and("s.created_at < ?0", vec![Arg::Time(until)], &mut args);
            if postgres {
                let before = "s.id < coalesce((select u.id from submissions u \
                              where u.created_at >= ?0 order by u.created_at, u.id \
                              limit 1), 9223372036854775807)";
                and(before, vec![Arg::Time(until + margin)], &mut args);
            }
        }
        // A reference prefix as a range on the unique index (references are `TB-` and
        // upper-case letters and digits, all below `~`).
        let prefix: String = filter
            .reference
            .as_deref()
            .unwrap_or_default()
            .trim()
            .to_uppercase()
            .chars()
            .filter(|c| c.is_ascii_alphanumeric() || *c == '-')
            .collect();
        if !prefix.is_empty() {
            let upper = format!("{prefix}~");
            and(
                "s.reference >= ?0 and s.reference < ?1",
                vec![Arg::Text(prefix.into()), Arg::Text(upper.into())],
                &mut args,
            );
        }
        // The stored flag, through the index of flagged submissions: working the flag out for
        // each row passed over cost two look-ups a row (10 ms a page at 1M on PostgreSQL).
        if filter.safety_only {
            and("s.safety_flag = 1", vec![], &mut args);
        }
        if filter.mixed_agenda_only {
            and(&format!("{MIXED_AGENDA_EXPR} = 1"), vec![], &mut args);
        }
        match terms.as_deref() {
            Some([]) => and("0 = 1", vec![], &mut args),
            Some([_, rest @ ..]) => {
                for term in rest {
                    and(
                        "exists (select 1 from booking_name_terms t \
                         where t.term = ?0 and t.submission_id = t0.submission_id)",
                        vec![Arg::Text(term.clone().into())],
                        &mut args,
                    );
                }
            }
            None => {}
        }
        match filter.owner {
            OwnerFilter::Any => {}
            OwnerFilter::Of(owner) => and("s.owner_id = ?0", vec![Arg::Int(owner.0)], &mut args),
            OwnerFilter::Unassigned => and("s.owner_id is null", vec![], &mut args),
            OwnerFilter::Assigned => and("s.owner_id is not null", vec![], &mut args),
        }
        // The answers are sealed; their keyed tags are what the filter compares.
        for (key, values) in &filter.intake {
            let placeholders: Vec<String> = (1..=values.len()).map(|i| format!("?{i}")).collect();
            let condition = format!(
                "exists (select 1 from intake_answers ia where ia.submission_id = s.id \
                 and ia.question_key = ?0 and ia.tag in ({}))",
                placeholders.join(", ")
            );
            let mut bound = vec![Arg::Text((*key).into())];
            bound.extend(
                values
                    .iter()
                    .map(|v| Arg::Text(self.sealer.intake_tag(key, v).into())),
            );
            and(&condition, bound, &mut args);
        }
        // The page size is written into the query, not bound: PostgreSQL plans a query with a
        // bound limit afresh on every request (a generic plan for an unknown limit looks
        // costly), 0.7 ms of each list request at 1M rows; with the number in the text it keeps
        // one plan per shape of filter after a few requests.
        sql.push_str(&format!(" order by {order} desc limit {limit}"));
        let sql = format!(
            "select s.id, s.reference, s.status, s.workflow, s.created_at, s.submitted_at, \
             r.overall, r.band, r.instrument_version, r.leaning, s.partner, \
             (select b.starts_at from bookings b \
              where b.submission_id = s.id and b.status = 'booked') as consult, \
             {SAFETY_EXPR} as safety, {MIXED_AGENDA_EXPR} as mixed_agenda, \
             (select o.display_name from clinicians o where o.id = s.owner_id) as owner, \
             (select case when rf.closed_at is not null then 'closed' \
              else coalesce(rf.outcome, 'sent') end from referrals rf \
              where rf.submission_id = s.id order by rf.id desc limit 1) as referral \
             from ({sql}) page join submissions s on s.id = page.id \
             left join results r on r.submission_id = s.id order by s.id desc"
        );
        type Row = (
            i64,
            String,
            String,
            String,
            DateTime<Utc>,
            Option<DateTime<Utc>>,
            Option<i16>,
            Option<String>,
            Option<i32>,
            Option<String>,
            Option<String>,
            Option<DateTime<Utc>>,
            i32,
            i32,
            Option<String>,
            Option<String>,
        );
        let rows: Vec<Row> = with_pool!(self, pool => {
            let mut query = sqlx::query_as::<_, Row>(&sql);
            for arg in &args {
                query = match arg {
                    Arg::Int(v) => query.bind(*v),
                    Arg::Text(t) => query.bind(t.as_ref()),
                    Arg::Time(t) => query.bind(*t),
                };
            }
            query.fetch_all(pool).await?
        });
        rows.into_iter()
            .map(
                |(
                    id,
                    reference,
                    status,
                    workflow_status,
                    created_at,
                    submitted_at,
                    overall,
                    band,
                    instrument,
                    leaning,
                    partner,
                    consult,
                    safety,
                    mixed_agenda,
                    owner,
                    referral,
                )| {
                    Ok(SubmissionSummary {
                        id: SubmissionId(id),
                        reference,
                        status: SubmissionStatus::parse(&status)?,
                        workflow: workflow(&workflow_status)?,
                        created_at,
                        submitted_at,
                        overall: overall.and_then(|o| u8::try_from(o).ok()),
                        band: band.as_deref().and_then(ReadinessBand::parse),
                        instrument: instrument.and_then(|v| u32::try_from(v).ok()),
                        leaning: leaning.as_deref().and_then(Leaning::parse),
                        partner,
                        consult,
                        safety: safety > 0,
                        mixed_agenda: mixed_agenda > 0,
                        owner,
                        referral,
                    })
                },
            )
            .collect()
    }
}
