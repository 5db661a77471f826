//! What the app stored, read straight from its database: raw SQL for tests that set up or
//! inspect rows, and the outbox's messages opened with the app's data key.

use sqlx::Connection as _;
use trustbridge::server::db::seal::{DataKey, Field, Sealer};

use super::{TestApp, PG_DATA_KEY};

/// Runs SQL (one or more statements) directly on the app's database.
pub async fn db_execute(app: &TestApp, sql: &str) {
    if app.database_url.starts_with("sqlite:") {
        let mut db = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .expect("sqlite");
        sqlx::raw_sql(sql).execute(&mut db).await.expect("execute");
    } else {
        let mut db = sqlx::PgConnection::connect(&app.database_url)
            .await
            .expect("postgres");
        sqlx::raw_sql(sql).execute(&mut db).await.expect("execute");
    }
}

/// One value of one row (`select count(*) …`, `select reference …`) on the app's database.
async fn db_scalar<T>(app: &TestApp, sql: &str) -> T
where
    T: for<'r> sqlx::Decode<'r, sqlx::Sqlite> + sqlx::Type<sqlx::Sqlite>,
    T: for<'r> sqlx::Decode<'r, sqlx::Postgres> + sqlx::Type<sqlx::Postgres>,
    T: Send + Unpin,
{
    if app.database_url.starts_with("sqlite:") {
        let mut db = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .expect("sqlite");
        sqlx::query_scalar(sql).fetch_one(&mut db).await.expect(sql)
    } else {
        let mut db = sqlx::PgConnection::connect(&app.database_url)
            .await
            .expect("postgres");
        sqlx::query_scalar(sql).fetch_one(&mut db).await.expect(sql)
    }
}

/// The data key the app seals with: the shared test key on PostgreSQL, the key file the server
/// made beside the database on SQLite.
pub fn sealer(app: &TestApp) -> Sealer {
    let text = match app.database_url.strip_prefix("sqlite://") {
        Some(path) => std::fs::read_to_string(format!("{path}.key")).expect("the key file"),
        None => PG_DATA_KEY.to_owned(),
    };
    Sealer::new(&DataKey::parse(&text).expect("a data key"))
}

/// An email as the outbox holds it until delivery, opened with the app's key.
#[derive(Debug, Clone)]
pub struct Mail {
    pub kind: String,
    pub status: String,
    /// Still tied to a booking (withdrawn with it).
    pub booked: bool,
    pub recipient: String,
    pub subject: String,
    pub text: String,
    pub html: String,
    pub calendar: Option<String>,
}

/// Every queued or sent message of `kind`, oldest first.
pub async fn mail(app: &TestApp, kind: &str) -> Vec<Mail> {
    let mut all = all_mail(app).await;
    all.retain(|m| m.kind == kind);
    all
}

/// Every message in the outbox, oldest first.
pub async fn all_mail(app: &TestApp) -> Vec<Mail> {
    type Row = (
        String,
        String,
        bool,
        String,
        String,
        String,
        String,
        Option<String>,
    );
    let sql = "select kind, status, booking_id is not null, recipient, subject, body_text, \
               body_html, calendar from outbox order by id";
    let rows: Vec<Row> = if app.database_url.starts_with("sqlite:") {
        let mut db = sqlx::SqliteConnection::connect(&app.database_url)
            .await
            .expect("sqlite");
        sqlx::query_as(sql).fetch_all(&mut db).await.expect(sql)
    } else {
        let mut db = sqlx::PgConnection::connect(&app.database_url)
            .await
            .expect("postgres");
        sqlx::query_as(sql).fetch_all(&mut db).await.expect(sql)
    };
    let key = sealer(app);
    let open = |field, value| key.open(field, value).expect("a sealed value opens");
    rows.into_iter()
        .map(
            |(kind, status, booked, recipient, subject, text, html, calendar)| Mail {
                kind,
                status,
                booked,
                recipient: open(Field::MailRecipient, recipient),
                subject: open(Field::MailSubject, subject),
                text: open(Field::MailText, text),
                html: open(Field::MailHtml, html),
                calendar: calendar.map(|c| open(Field::MailCalendar, c)),
            },
        )
        .collect()
}

/// A `select count(*) …` on the app's database.
pub async fn db_count(app: &TestApp, sql: &str) -> i64 {
    db_scalar(app, sql).await
}

/// A `select <text column> …` of one row on the app's database.
pub async fn db_text(app: &TestApp, sql: &str) -> String {
    db_scalar(app, sql).await
}
