//! The project's own build steps, so that building needs nothing but cargo and two npm tools.
//!
//! ```text
//! cargo xtask build   the server (release) and the browser bundle: what `scripts/run` serves
//! cargo xtask site    the browser bundle only, into target/site/pkg
//! cargo xtask css     the stylesheet only, into target/site/pkg, leaving the rest as it is
//! ```
//!
//! `css` lets `scripts/run` serve styled pages as soon as the server is built: every page works
//! without JavaScript, and the bundle that enhances them is swapped in when it is ready.
//!
//! The browser bundle is the `hydrate` build of the library for `wasm32-unknown-unknown`, passed
//! through wasm-bindgen (the library the CLI wraps, pinned to the app's `wasm-bindgen`), shrunk
//! with `wasm-opt` (npm's binaryen), with the glue JS and `style/main.css` minified by esbuild
//! (npm), and every file pre-compressed (brotli 11, gzip 9) for `ServeDir`. It replaces
//! `cargo leptos build --release --precompress`, whose tool takes about 16 minutes to compile on
//! a fresh 2-core machine; `cargo leptos watch` still works as a development loop.
//!
//! The files keep wasm-bindgen's names (`trustbridge.js`, `trustbridge_bg.wasm`), which is what
//! Leptos's `HydrationScripts` expects of a server built by plain cargo.

use std::error::Error;
use std::ffi::OsString;
use std::fs;
use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};
use std::time::Instant;

type Result<T, E = Box<dyn Error>> = std::result::Result<T, E>;

/// The crate's name, which is also the bundle's file stem and the server binary's name.
const NAME: &str = "trustbridge";
const WASM_TARGET: &str = "wasm32-unknown-unknown";
/// `Cargo.toml`'s size-optimised profile for the browser build.
const WASM_PROFILE: &str = "wasm-release";
/// Browsers esbuild may lower CSS and JS for: versions from 2021 on, as `browserquery =
/// "defaults"` gave cargo-leptos.
const BROWSERS: &str = "chrome100,edge100,firefox100,safari15,ios15";

fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.iter().map(String::as_str).collect::<Vec<_>>()[..] {
        ["build"] => build_all(),
        ["site"] => build_site(),
        ["css"] => build_css(),
        _ => {
            eprintln!("usage: cargo xtask build | site | css");
            return ExitCode::from(2);
        }
    };
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("xtask: {e}");
            ExitCode::FAILURE
        }
    }
}

/// The workspace root: the parent of this crate's folder.
fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("xtask lives in a folder of the workspace")
        .to_path_buf()
}

fn target_dir() -> PathBuf {
    match std::env::var_os("CARGO_TARGET_DIR") {
        Some(dir) => root().join(dir),
        None => root().join("target"),
    }
}

fn cargo() -> Command {
    let mut command = Command::new(std::env::var_os("CARGO").unwrap_or_else(|| "cargo".into()));
    command.current_dir(root());
    command
}

/// Runs a command to completion; a failure names the program.
fn run(command: &mut Command) -> Result<()> {
    let program = command.get_program().to_string_lossy().into_owned();
    let status = command
        .status()
        .map_err(|e| format!("could not run {program}: {e}"))?;
    if !status.success() {
        return Err(format!("{program} failed ({status})").into());
    }
    Ok(())
}

/// A tool the npm install of `scripts/setup` provides, found on `PATH` or in its folder.
fn npm_tool(name: &str) -> Result<PathBuf> {
    let tools = std::env::var_os("TRUSTBRIDGE_TOOLS")
        .map(PathBuf::from)
        .or_else(|| {
            std::env::var_os("HOME").map(|home| Path::new(&home).join(".cache/trustbridge-tools"))
        });
    let mut dirs: Vec<PathBuf> = tools
        .map(|t| t.join("node_modules/.bin"))
        .into_iter()
        .collect();
    dirs.extend(std::env::split_paths(
        &std::env::var_os("PATH").unwrap_or_default(),
    ));
    dirs.into_iter()
        .map(|dir| dir.join(name))
        .find(|path| path.is_file())
        .ok_or_else(|| format!("{name} is not installed: run scripts/setup").into())
}

/// The server, then the browser bundle. One after the other: side by side they took longer on
/// 2 cores (9 min 4 s against 6 min 45 s + 1 min 25 s), each crowding the other's jobs.
fn build_all() -> Result<()> {
    let started = Instant::now();
    run(cargo().args(["build", "--release", "--features", "ssr", "--bin", NAME]))?;
    build_site()?;
    eprintln!(
        "xtask: server and browser bundle built in {:.0?}",
        started.elapsed()
    );
    Ok(())
}

fn build_site() -> Result<()> {
    let started = Instant::now();
    run(cargo().args([
        "build",
        "--lib",
        "--target",
        WASM_TARGET,
        "--profile",
        WASM_PROFILE,
        "--no-default-features",
        "--features",
        "hydrate",
    ]))?;
    let compiled = Instant::now();

    let site = target_dir().join("site");
    let staging = site.join("pkg.new");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;

    let wasm = target_dir()
        .join(WASM_TARGET)
        .join(WASM_PROFILE)
        .join(format!("{NAME}.wasm"));
    wasm_bindgen_cli_support::Bindgen::new()
        .input_path(&wasm)
        .web(true)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?
        .out_name(NAME)
        .typescript(false)
        .remove_name_section(true)
        .remove_producers_section(true)
        .generate(&staging)
        .map_err(|e| format!("wasm-bindgen: {e:#}"))?;

    let wasm_out = staging.join(format!("{NAME}_bg.wasm"));
    // The features rustc enables by default for this target; wasm-opt must be told of them.
    run(Command::new(npm_tool("wasm-opt")?)
        .args([
            "-Oz",
            "--enable-bulk-memory",
            "--enable-nontrapping-float-to-int",
        ])
        .arg(&wasm_out)
        .arg("-o")
        .arg(&wasm_out))?;

    let js = staging.join(format!("{NAME}.js"));
    let esbuild = npm_tool("esbuild")?;
    let mut js_out = OsString::from("--outfile=");
    js_out.push(&js);
    run(Command::new(&esbuild)
        .arg(&js)
        .args([
            "--minify",
            "--format=esm",
            "--allow-overwrite",
            "--log-level=warning",
        ])
        .arg(format!("--target={BROWSERS}"))
        .arg(js_out))?;
    minify_css(&esbuild, &staging)?;
    precompress(&staging)?;

    // Swap the new bundle in whole, so a running server never serves half of each.
    let live = site.join("pkg");
    let old = site.join("pkg.old");
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }
    if live.exists() {
        fs::rename(&live, &old)?;
    }
    fs::rename(&staging, &live)?;
    if old.exists() {
        fs::remove_dir_all(&old)?;
    }

    eprintln!(
        "xtask: browser bundle in {} (compiled in {:.0?}, packed in {:.0?})",
        live.strip_prefix(root()).unwrap_or(&live).display(),
        compiled - started,
        compiled.elapsed(),
    );
    for entry in sorted_files(&live)? {
        let name = entry.file_name().unwrap_or_default().to_string_lossy();
        eprintln!("  {name:<28} {:>8} bytes", fs::metadata(&entry)?.len());
    }
    Ok(())
}

/// `style/main.css`, minified, into `dir`.
fn minify_css(esbuild: &Path, dir: &Path) -> Result<PathBuf> {
    let out = dir.join(format!("{NAME}.css"));
    let mut css_out = OsString::from("--outfile=");
    css_out.push(&out);
    run(Command::new(esbuild)
        .arg(root().join("style/main.css"))
        .args(["--minify", "--log-level=warning"])
        .arg(format!("--target={BROWSERS}"))
        .arg(css_out))?;
    Ok(out)
}

/// The stylesheet alone, written beside whatever bundle `target/site/pkg` already holds.
fn build_css() -> Result<()> {
    let pkg = target_dir().join("site/pkg");
    fs::create_dir_all(&pkg)?;
    let staging = target_dir().join("site/css.new");
    if staging.exists() {
        fs::remove_dir_all(&staging)?;
    }
    fs::create_dir_all(&staging)?;
    minify_css(&npm_tool("esbuild")?, &staging)?;
    precompress(&staging)?;
    for file in sorted_files(&staging)? {
        fs::rename(&file, pkg.join(file.file_name().unwrap_or_default()))?;
    }
    fs::remove_dir_all(&staging)?;
    Ok(())
}

fn sorted_files(dir: &Path) -> Result<Vec<PathBuf>> {
    let mut files = fs::read_dir(dir)?
        .map(|entry| entry.map(|e| e.path()))
        .collect::<Result<Vec<_>, _>>()?;
    files.retain(|path| path.is_file());
    files.sort();
    Ok(files)
}

/// Writes `<file>.br` (brotli 11) and `<file>.gz` (gzip 9) beside every file in `dir`.
fn precompress(dir: &Path) -> Result<()> {
    for path in sorted_files(dir)? {
        let bytes = fs::read(&path)?;

        let mut br = Vec::new();
        let params = brotli::enc::BrotliEncoderParams {
            quality: 11,
            lgwin: 22,
            ..Default::default()
        };
        brotli::BrotliCompress(&mut bytes.as_slice(), &mut br, &params)?;
        fs::write(with_suffix(&path, "br"), br)?;

        let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
        gz.write_all(&bytes)?;
        fs::write(with_suffix(&path, "gz"), gz.finish()?)?;
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut name = path.as_os_str().to_owned();
    name.push(".");
    name.push(suffix);
    PathBuf::from(name)
}
