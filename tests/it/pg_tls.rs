//! PostgreSQL over TLS, for real (issue 12, review F1).
//!
//! The test starts its own PostgreSQL cluster with `ssl=on`, a certificate authority and a
//! server certificate for `localhost` that it makes with `openssl`, and a `pg_hba.conf` that
//! admits TCP connections only over TLS. The app then connects with `sslmode=verify-full`.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use sqlx::Connection as _;

use crate::common::spawn_app_on;

/// A throwaway cluster, stopped when dropped.
struct Cluster {
    dir: tempfile::TempDir,
    bin: PathBuf,
    port: u16,
}

impl Cluster {
    fn data(&self) -> PathBuf {
        self.dir.path().join("data")
    }

    fn url(&self, query: &str) -> String {
        format!(
            "postgres://postgres@localhost:{}/postgres?{query}",
            self.port
        )
    }

    /// A URL that trusts only the test's own certificate authority `ca`.
    fn verified_url(&self, ca: &str) -> String {
        let ca = self.dir.path().join(ca);
        self.url(&format!("sslmode=verify-full&sslrootcert={}", ca.display()))
    }
}

impl Drop for Cluster {
    fn drop(&mut self) {
        let data = self.data();
        let _ = as_postgres(&self.bin.join("pg_ctl"))
            .args(["stop", "-m", "immediate", "-w", "-D"])
            .arg(&data)
            .output();
    }
}

/// The newest installed PostgreSQL's programs (`/usr/lib/postgresql/<n>/bin` on Debian).
fn postgres_bin() -> PathBuf {
    let mut found: Vec<(u32, PathBuf)> = std::fs::read_dir("/usr/lib/postgresql")
        .expect("PostgreSQL is installed (scripts/setup)")
        .filter_map(Result::ok)
        .filter_map(|e| {
            let version = e.file_name().to_str()?.parse::<u32>().ok()?;
            let bin = e.path().join("bin");
            bin.join("initdb").exists().then_some((version, bin))
        })
        .collect();
    found.sort();
    found.pop().expect("an initdb under /usr/lib/postgresql").1
}

fn running_as_root() -> bool {
    Command::new("id")
        .arg("-u")
        .output()
        .is_ok_and(|o| String::from_utf8_lossy(&o.stdout).trim() == "0")
}

/// PostgreSQL refuses to run as root: run its programs as the `postgres` user when we are root.
fn as_postgres(program: &Path) -> Command {
    if running_as_root() {
        let mut command = Command::new("runuser");
        command.args(["-u", "postgres", "--"]).arg(program);
        command
    } else {
        Command::new(program)
    }
}

fn run(command: &mut Command, what: &str) {
    let output = command.output().unwrap_or_else(|e| panic!("{what}: {e}"));
    assert!(
        output.status.success(),
        "{what} failed:\n{}{}",
        String::from_utf8_lossy(&output.stdout),
        String::from_utf8_lossy(&output.stderr)
    );
}

/// Makes a certificate authority named `name` (`<name>.crt`, `<name>.key`) in `dir`.
fn make_authority(dir: &Path, name: &str) {
    run(
        Command::new("openssl")
            .current_dir(dir)
            .args(["req", "-x509", "-newkey", "ec", "-pkeyopt"])
            .args(["ec_paramgen_curve:prime256v1", "-nodes", "-days", "2"])
            .args([
                "-keyout",
                &format!("{name}.key"),
                "-out",
                &format!("{name}.crt"),
            ])
            .args(["-subj", &format!("/CN={name}")])
            .args(["-addext", "basicConstraints=critical,CA:TRUE"])
            .args(["-addext", "keyUsage=critical,keyCertSign,cRLSign"]),
        "openssl: certificate authority",
    );
}

fn free_port() -> u16 {
    std::net::TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .expect("a free port")
        .port()
}

/// Starts a cluster whose server certificate for `localhost` is signed by `ca`.
fn start_cluster() -> Cluster {
    let dir = tempfile::tempdir().expect("temp dir");
    let bin = postgres_bin();
    let path = dir.path().to_owned();
    let path = path.as_path();
    make_authority(path, "ca");
    make_authority(path, "other-ca");
    std::fs::write(
        path.join("server.ext"),
        "subjectAltName=DNS:localhost,IP:127.0.0.1\nbasicConstraints=CA:FALSE\n\
         keyUsage=critical,digitalSignature,keyEncipherment\nextendedKeyUsage=serverAuth\n",
    )
    .expect("write extensions");
    run(
        Command::new("openssl")
            .current_dir(path)
            .args([
                "req",
                "-newkey",
                "ec",
                "-pkeyopt",
                "ec_paramgen_curve:prime256v1",
            ])
            .args(["-nodes", "-keyout", "server.key", "-out", "server.csr"])
            .args(["-subj", "/CN=localhost"]),
        "openssl: server key",
    );
    run(
        Command::new("openssl")
            .current_dir(path)
            .args([
                "x509",
                "-req",
                "-in",
                "server.csr",
                "-CA",
                "ca.crt",
                "-CAkey",
                "ca.key",
            ])
            .args(["-CAcreateserial", "-days", "2", "-out", "server.crt"])
            .args(["-extfile", "server.ext"]),
        "openssl: server certificate",
    );
    if running_as_root() {
        run(
            Command::new("chown")
                .args(["-R", "postgres:postgres"])
                .arg(path),
            "chown the cluster's folder",
        );
    }
    run(
        Command::new("chmod")
            .arg("0600")
            .arg(path.join("server.key")),
        "chmod the server key",
    );
    let data = path.join("data");
    run(
        as_postgres(&bin.join("initdb"))
            .args(["-A", "trust", "-U", "postgres", "-E", "UTF8", "-D"])
            .arg(&data),
        "initdb",
    );
    // TCP only over TLS: a connection in clear text is turned away by the server itself.
    std::fs::write(
        data.join("pg_hba.conf"),
        "local all all trust\nhostssl all all 127.0.0.1/32 trust\n\
         hostnossl all all 0.0.0.0/0 reject\n",
    )
    .expect("write pg_hba.conf");
    let port = free_port();
    let options = format!(
        "-c port={port} -c listen_addresses=127.0.0.1 -c unix_socket_directories={dir} \
         -c ssl=on -c ssl_cert_file={dir}/server.crt -c ssl_key_file={dir}/server.key",
        dir = path.display()
    );
    let cluster = Cluster {
        dir,
        bin: bin.clone(),
        port,
    };
    run(
        as_postgres(&bin.join("pg_ctl"))
            .args(["start", "-w", "-t", "60", "-D"])
            .arg(&data)
            .arg("-l")
            .arg(path.join("server.log"))
            .args(["-o", &options]),
        "pg_ctl start",
    );
    cluster
}

#[tokio::test]
async fn the_app_reaches_postgresql_only_over_tls_it_has_verified() {
    let cluster = start_cluster();

    // The cluster really refuses clear text, so a working app below can only be using TLS.
    let plain = sqlx::PgConnection::connect(&cluster.url("sslmode=disable")).await;
    assert!(plain.is_err(), "the test cluster must refuse clear text");

    let app = spawn_app_on(cluster.verified_url("ca.crt"), &[]).await;
    let health = app
        .client
        .get(app.url("/healthz"))
        .send()
        .await
        .expect("get");
    assert_eq!(health.text().await.expect("body"), "ok");
    // A write and a read through the app: a client starts the questionnaire.
    let start = app.client.get(app.url("/start")).send().await.expect("get");
    assert!(start.status().is_success(), "{}", start.status());

    // Every connection the app holds is encrypted, as the server itself reports.
    let mut admin = sqlx::PgConnection::connect(&cluster.verified_url("ca.crt"))
        .await
        .expect("the test connects with the same authority");
    let (app_connections, encrypted): (i64, i64) = sqlx::query_as(
        "select count(*), count(*) filter (where s.ssl) from pg_stat_activity a \
         join pg_stat_ssl s using (pid) where a.pid <> pg_backend_pid() \
         and a.backend_type = 'client backend'",
    )
    .fetch_one(&mut admin)
    .await
    .expect("query pg_stat_ssl");
    assert!(app_connections > 0, "the app holds connections");
    assert_eq!(encrypted, app_connections, "every one of them is TLS");
    drop(app);

    // A server whose certificate the configured authority did not sign is not trusted: the
    // app stops at start-up, saying what failed and never printing the URL.
    let output = tokio::time::timeout(
        Duration::from_secs(60),
        tokio::process::Command::new(env!("CARGO_BIN_EXE_trustbridge"))
            .env("BIND_ADDR", "127.0.0.1:0")
            .env("DATABASE_URL", cluster.verified_url("other-ca.crt"))
            .env("SITE_ROOT", cluster.dir.path())
            .output(),
    )
    .await
    .expect("start-up gave up in time")
    .expect("run");
    assert!(!output.status.success());
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("could not open the database"), "{stderr}");
    assert!(!stderr.contains("other-ca"), "{stderr}");
}

/// The server refuses, before connecting, a PostgreSQL elsewhere that is not asked for TLS.
#[tokio::test]
async fn postgresql_on_another_machine_without_tls_is_refused_at_start_up() {
    for command in [None, Some("check-config")] {
        let mut run = tokio::process::Command::new(env!("CARGO_BIN_EXE_trustbridge"));
        run.args(command).env("BIND_ADDR", "127.0.0.1:0").env(
            "DATABASE_URL",
            "postgres://app:hunter2@db.internal:5432/practice",
        );
        let output = tokio::time::timeout(Duration::from_secs(30), run.output())
            .await
            .expect("refused at once")
            .expect("run");
        assert!(!output.status.success(), "{command:?}");
        let said = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        assert!(said.contains("DATABASE_URL"), "{command:?}: {said}");
        assert!(said.contains("sslmode=verify-full"), "{command:?}: {said}");
        assert!(!said.contains("hunter2"), "{command:?}: {said}");
    }
}
