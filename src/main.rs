//! The server binary: configuration → telemetry → database → router → serve; and the
//! administrative subcommands (`create-admin`).

use std::process::ExitCode;

use trustbridge::server::cli::{self, Command};
use trustbridge::server::{config::Config, startup, telemetry};

fn chain(e: &dyn std::error::Error) -> String {
    let mut message = e.to_string();
    let mut source = e.source();
    while let Some(s) = source {
        message.push_str(": ");
        message.push_str(&s.to_string());
        source = s.source();
    }
    message
}

/// Says why a backup or restore failed; exit 2 for a PostgreSQL database (nothing to do here).
fn backup_failed(what: &str, e: &trustbridge::server::db::backup::BackupError) -> ExitCode {
    eprintln!("could not {what}: {}", chain(e));
    match e {
        trustbridge::server::db::backup::BackupError::Postgres => ExitCode::from(2),
        _ => ExitCode::FAILURE,
    }
}

#[tokio::main]
async fn main() -> ExitCode {
    telemetry::init();
    let args: Vec<String> = std::env::args().skip(1).collect();
    let command = match cli::parse(&args) {
        Ok(command) => command,
        Err(e) => {
            eprintln!("{e}");
            return ExitCode::from(2);
        }
    };
    let config = match Config::from_env() {
        Ok(config) => config,
        Err(e) => {
            eprintln!("configuration error: {e}");
            return ExitCode::from(2);
        }
    };
    match command {
        Command::Serve => match startup::run(config).await {
            Ok(()) => ExitCode::SUCCESS,
            Err(e) => {
                eprintln!("could not start: {}", chain(&e));
                ExitCode::FAILURE
            }
        },
        Command::CreateAdmin {
            email,
            name,
            password_stdin,
        } => match cli::create_admin(&config, &email, &name, password_stdin).await {
            Ok(()) => {
                println!(
                    "Admin {email} created. Log in at {}/staff/login",
                    config.public_base_url
                );
                ExitCode::SUCCESS
            }
            Err(cli::CreateAdminError::Exists) => {
                eprintln!("An account for {email} already exists.");
                ExitCode::from(3)
            }
            Err(e) => {
                eprintln!("could not create the admin: {}", chain(&e));
                ExitCode::FAILURE
            }
        },
        Command::Backup { to } => {
            match trustbridge::server::db::backup::backup(&config.database_url, &to).await {
                Ok(()) => {
                    println!("Backed up to {}.", to.display());
                    ExitCode::SUCCESS
                }
                Err(e) => backup_failed("back up", &e),
            }
        }
        Command::Restore { from } => {
            match trustbridge::server::db::backup::restore(
                &config.database_url,
                &config.data_key,
                &from,
            )
            .await
            {
                Ok(()) => {
                    println!("Restored {}; start the server as usual.", from.display());
                    ExitCode::SUCCESS
                }
                Err(e) => backup_failed("restore", &e),
            }
        }
        Command::Purge => match cli::purge(&config).await {
            Ok(p) => {
                println!(
                    "Purged {} unfinished questionnaires, {} closed submissions; emptied {} delivered messages.",
                    p.unfinished, p.closed, p.messages
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("could not purge: {}", chain(&e));
                ExitCode::FAILURE
            }
        },
        Command::CheckConfig => {
            for line in cli::describe(&config) {
                println!("{line}");
            }
            ExitCode::SUCCESS
        }
        Command::RotateKey { new_key_file } => {
            match cli::rotate_key(&config, &new_key_file).await {
                Ok((changed, id)) => {
                    println!(
                        "Sealed {changed} values again with the new key ({id}). Start every \
                         instance with DATA_KEY_FILE={} (or DATA_KEY set to that key); the old \
                         key no longer opens anything.",
                        new_key_file.display()
                    );
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("could not change the key: {}", chain(&e));
                    ExitCode::FAILURE
                }
            }
        }
        Command::Unlock { email } => match cli::unlock(&config, &email).await {
            Ok(()) => {
                println!("{email} is unlocked.");
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("could not unlock: {}", chain(&e));
                ExitCode::FAILURE
            }
        },
        Command::ResetTwoStep { email } => match cli::reset_two_step(&config, &email).await {
            Ok(()) => {
                println!(
                    "Two-step sign-in is off for {email}. After logging in, set it up again \
                     at /staff/two-step (the login asks for it when REQUIRE_MFA is on)."
                );
                ExitCode::SUCCESS
            }
            Err(e) => {
                eprintln!("could not turn two-step sign-in off: {}", chain(&e));
                ExitCode::FAILURE
            }
        },
        Command::SetHours { email, hours, days } => {
            match cli::set_hours(&config, &email, &hours, &days).await {
                Ok(()) => {
                    println!("Consult hours set for {email}.");
                    ExitCode::SUCCESS
                }
                Err(e) => {
                    eprintln!("could not set the hours: {}", chain(&e));
                    ExitCode::FAILURE
                }
            }
        }
    }
}
