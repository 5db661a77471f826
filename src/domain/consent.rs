//! The practice's consent and confidentiality policy: what every client reads and agrees to
//! before the first question.
//!
//! The text is the practice's (a file in a small plain format: `# ` starts a heading, a blank
//! line ends a paragraph); a careful default ships for a practice that has not written its own.
//! Each text has a version, a digest of its words worked out by the server, so an agreement is
//! always to the exact words shown, and a changed text is asked about again.

use serde::{Deserialize, Serialize};

/// One heading and its paragraphs.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PolicySection {
    pub heading: String,
    pub paragraphs: Vec<String>,
}

/// The policy as a client reads it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Policy {
    /// Names the exact text agreed to (set by the server from the text's digest).
    pub version: String,
    pub sections: Vec<PolicySection>,
}

/// Why a policy file was refused.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PolicyError {
    /// No heading at all: a client could not find their way through it.
    NoHeading,
    /// Text before the first heading, at this line (1-based).
    TextBeforeHeading(usize),
    /// A heading with nothing under it, at this line.
    EmptySection(usize),
}

impl std::fmt::Display for PolicyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PolicyError::NoHeading => write!(f, "it has no heading (a line starting with \"# \")"),
            PolicyError::TextBeforeHeading(line) => {
                write!(f, "line {line} comes before the first heading")
            }
            PolicyError::EmptySection(line) => {
                write!(f, "the heading on line {line} has no text under it")
            }
        }
    }
}

/// Reads a policy text: `# Heading` lines, then paragraphs separated by blank lines (lines of
/// one paragraph are joined with a space).
pub fn parse(text: &str) -> Result<Vec<PolicySection>, PolicyError> {
    let mut sections: Vec<(usize, PolicySection)> = Vec::new();
    let mut paragraph: Vec<&str> = Vec::new();
    let flush = |paragraph: &mut Vec<&str>, sections: &mut Vec<(usize, PolicySection)>| {
        if let (false, Some((_, section))) = (paragraph.is_empty(), sections.last_mut()) {
            section.paragraphs.push(paragraph.join(" "));
        }
        paragraph.clear();
    };
    for (n, raw) in text.lines().enumerate() {
        let line = raw.trim();
        if let Some(heading) = line.strip_prefix("# ") {
            flush(&mut paragraph, &mut sections);
            sections.push((
                n + 1,
                PolicySection {
                    heading: heading.trim().to_owned(),
                    paragraphs: Vec::new(),
                },
            ));
        } else if line.is_empty() {
            flush(&mut paragraph, &mut sections);
        } else if sections.is_empty() {
            return Err(PolicyError::TextBeforeHeading(n + 1));
        } else {
            paragraph.push(line);
        }
    }
    flush(&mut paragraph, &mut sections);
    if sections.is_empty() {
        return Err(PolicyError::NoHeading);
    }
    if let Some((line, _)) = sections.iter().find(|(_, s)| s.paragraphs.is_empty()) {
        return Err(PolicyError::EmptySection(*line));
    }
    Ok(sections.into_iter().map(|(_, s)| s).collect())
}

/// The policy text a practice starts with, in the same format a practice's own file uses.
///
/// A clinical judgement call, written down as such: the default keeps each partner's private
/// answers private (no "open secrets" rule), and says a clinician will talk about anything that
/// makes joint sessions unsafe with that partner alone first. A practice with another
/// couples-confidentiality policy must write its own (`CONSENT_POLICY_FILE`).
pub fn default_text(practice_name: &str, link_days: i64, reading_notice: &str) -> String {
    format!(
        "# What is collected, and who sees it
Your answers to the questionnaire and to the private questions at the end. Any contact \
details you choose to give. {practice_name}'s clinicians and intake staff see them, to prepare \
a first consult. Nobody else does.

# Between partners
If you take part with a partner, they never see your answers, on any page or in any email. \
You never see theirs. Nothing about you both is shown until you have both finished. Even then, \
no single answer is shown.

What you tell the practice on your own stays private. Something you share may mean that \
sessions together would not be safe, or would not work. Then a clinician talks it through with \
you on your own first. They do not raise it with your partner unless you agree.

# When the practice must share information
Sometimes a clinician must share what you told them, even if you do not agree. This is when \
someone is in danger right now. It is also when a child or a vulnerable adult may be harmed, or \
when a court orders it. The rules depend on where the practice is. You can ask the practice about them.

# When your answers are read
{reading_notice}

# How long it is kept
If you do not finish the questionnaire, its private link stops working {link_days} days after \
you started it. \
Finished answers are kept as part of your intake record, under the practice's record-keeping \
rules. You can ask the practice to delete them.

# Your private link
Anyone who has your private link can open your answers. Keep it somewhere only you can reach. \
If someone comes near while you are answering, Quick exit at the top of every page leaves at \
once."
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_text_reads_as_six_sections_that_name_the_practice() {
        let notice = "A clinician reads what you send when the practice is open.";
        let sections =
            parse(&default_text("Harbour Couples Practice", 180, notice)).expect("parses");
        let headings: Vec<&str> = sections.iter().map(|s| s.heading.as_str()).collect();
        assert_eq!(
            headings,
            [
                "What is collected, and who sees it",
                "Between partners",
                "When the practice must share information",
                "When your answers are read",
                "How long it is kept",
                "Your private link",
            ]
        );
        assert!(sections[0].paragraphs[0].contains("Harbour Couples Practice's clinicians"));
        assert_eq!(sections[1].paragraphs.len(), 2);
        assert_eq!(sections[3].paragraphs, [notice]);
        assert!(sections[4].paragraphs[0].contains("180 days"));
    }

    #[test]
    fn lines_of_a_paragraph_are_joined_and_blank_lines_split_them() {
        let sections = parse("# One\nfirst line\nsecond line\n\n\nnext\n# Two\nlast").unwrap();
        assert_eq!(sections[0].paragraphs, ["first line second line", "next"]);
        assert_eq!(sections[1].paragraphs, ["last"]);
    }

    #[test]
    fn a_file_a_client_could_not_follow_is_refused_with_its_line() {
        assert_eq!(parse(""), Err(PolicyError::NoHeading));
        assert_eq!(
            parse("Hello\n# One\ntext"),
            Err(PolicyError::TextBeforeHeading(1))
        );
        assert_eq!(
            parse("# One\ntext\n# Two\n\n"),
            Err(PolicyError::EmptySection(3))
        );
    }
}
