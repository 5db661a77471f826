//! A whole directory as a CSV file, in and out of the same format.

use super::EntryDraft;

/// One refused row of an import: its line in the file (the header is line 1), and why.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ImportError {
    pub line: usize,
    pub message: String,
}

/// Reads a whole directory CSV (a header row naming [`ENTRY_FIELDS`], in any order; unknown
/// columns are ignored). Every row must be valid, or nothing is imported: the errors name each
/// bad row's line and what to fix.
pub fn parse_csv(data: &[u8]) -> Result<Vec<EntryDraft>, Vec<ImportError>> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(data);
    let header: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|c| c.trim().to_lowercase()).collect(),
        Err(_) => {
            return Err(vec![ImportError {
                line: 1,
                message: "The first line must name the columns (name, kind, categories, …).".into(),
            }])
        }
    };
    let missing: Vec<&str> = ["name", "kind", "categories", "delivery", "assured_date"]
        .into_iter()
        .filter(|c| !header.iter().any(|h| h == c))
        .collect();
    if !missing.is_empty() {
        return Err(vec![ImportError {
            line: 1,
            message: format!("The header lacks these columns: {}.", missing.join(", ")),
        }]);
    }
    let mut drafts = Vec::new();
    let mut errors = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let line = n + 2;
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                let line = e.position().map_or(line, |p| p.line() as usize);
                errors.push(ImportError {
                    line,
                    message: "This line could not be read (a stray quote, or a different number of columns).".into(),
                });
                continue;
            }
        };
        // A cell a spreadsheet-safe export prefixed with `'` ("'+1 555…") reads as written.
        let unquote = |cell: &str| match cell.strip_prefix('\'') {
            Some(rest) if rest.starts_with(['=', '+', '-', '@']) => rest.to_owned(),
            _ => cell.to_owned(),
        };
        let fields: Vec<(String, String)> = header
            .iter()
            .cloned()
            .zip(record.iter().map(unquote))
            .collect();
        match EntryDraft::parse(&fields) {
            Ok(draft) => drafts.push(draft),
            Err(problems) => errors.push(ImportError {
                line,
                message: problems
                    .iter()
                    .map(|p| format!("{}: {}", p.field, p.message))
                    .collect::<Vec<_>>()
                    .join(" "),
            }),
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    if drafts.is_empty() {
        return Err(vec![ImportError {
            line: 2,
            message: "The file has no entries under its header.".into(),
        }]);
    }
    Ok(drafts)
}
