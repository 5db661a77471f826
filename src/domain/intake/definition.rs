//! Changing the form: the admin's edits, and the JSON file a practice moves between
//! installations. Each change yields a new [`Form`] (stored as a new version by the caller);
//! none rewords a question in place.

use serde::{Deserialize, Serialize};

use super::{Choice, Condition, Form, Kind, Question, BUILTIN_PREFIX};

/// The practice's questions a form may hold (a long form is one fewer finished intake).
pub const MAX_PRACTICE_QUESTIONS: usize = 40;
/// What a form file says it is, so a stray JSON file is refused with a reason.
pub const FILE_FORMAT: &str = "trustbridge-intake-form";
const MAX_LABEL_CHARS: usize = 300;
const MAX_HELP_CHARS: usize = 500;
const MAX_CHOICE_CHARS: usize = 100;
const MAX_CHOICES: usize = 20;

/// Why a change was refused, with the admin form's field it belongs to.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DefinitionError {
    pub field: &'static str,
    pub message: String,
}

fn refuse(field: &'static str, message: impl Into<String>) -> DefinitionError {
    DefinitionError {
        field,
        message: message.into(),
    }
}

/// A question as the admin typed it (or a form file holds it).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct NewQuestion {
    pub label: String,
    pub help: String,
    /// As posted: `Kind::as_str`.
    pub kind: String,
    /// One option per line.
    pub choices: String,
    pub required: bool,
    /// The key of the question it depends on, or empty.
    pub show_if_question: String,
    /// The option of that question that shows this one.
    pub show_if_equals: String,
}

impl Form {
    /// Checks a new question against the form as it stands and adds it at the end.
    pub fn add(&self, new: &NewQuestion) -> Result<Form, Vec<DefinitionError>> {
        if self.practice_questions().count() >= MAX_PRACTICE_QUESTIONS {
            return Err(vec![refuse(
                "label",
                format!(
                    "The form already has {MAX_PRACTICE_QUESTIONS} questions of the practice's \
                     own: retire one before adding another."
                ),
            )]);
        }
        let key = format!("p{}", self.next_key);
        let question = self.checked(key, new)?;
        let mut form = self.clone();
        form.questions.push(question);
        form.next_key += 1;
        Ok(form)
    }

    fn checked(&self, key: String, new: &NewQuestion) -> Result<Question, Vec<DefinitionError>> {
        let mut errors = Vec::new();
        let label = new.label.trim();
        if label.is_empty() {
            errors.push(refuse("label", "Please write the question."));
        } else if label.chars().count() > MAX_LABEL_CHARS {
            errors.push(refuse(
                "label",
                format!("Please keep the question under {MAX_LABEL_CHARS} characters."),
            ));
        }
        let help = new.help.trim();
        if help.chars().count() > MAX_HELP_CHARS {
            errors.push(refuse(
                "help",
                format!("Please keep the help text under {MAX_HELP_CHARS} characters."),
            ));
        }
        let kind = Kind::parse(new.kind.trim());
        if kind.is_none() {
            errors.push(refuse(
                "kind",
                "Please choose what kind of answer it takes.",
            ));
        }
        let mut choices: Vec<Choice> = Vec::new();
        if kind.is_some_and(Kind::has_choices) {
            for line in new.choices.lines().map(str::trim).filter(|l| !l.is_empty()) {
                if line.chars().count() > MAX_CHOICE_CHARS {
                    errors.push(refuse(
                        "choices",
                        format!("Please keep each option under {MAX_CHOICE_CHARS} characters."),
                    ));
                    break;
                }
                if choices.iter().any(|c| c.value == line) {
                    errors.push(refuse("choices", format!("“{line}” is listed twice.")));
                    break;
                }
                choices.push(Choice {
                    value: line.to_owned(),
                    label: line.to_owned(),
                });
            }
            if choices.len() < 2 || choices.len() > MAX_CHOICES {
                errors.push(refuse(
                    "choices",
                    format!("Please give between 2 and {MAX_CHOICES} options, one per line."),
                ));
            }
        }
        let show_if = match new.show_if_question.trim() {
            "" => None,
            on => match self.question(on) {
                Some(target) if target.kind.has_choices() => {
                    let equals = new.show_if_equals.trim();
                    if target.choices.iter().any(|c| c.value == equals) {
                        Some(Condition {
                            question: on.to_owned(),
                            equals: equals.to_owned(),
                        })
                    } else {
                        errors.push(refuse(
                            "show_if_equals",
                            format!(
                                "Please choose one of the options of “{}”: {}.",
                                target.label,
                                target
                                    .choices
                                    .iter()
                                    .map(|c| format!("“{}”", c.label))
                                    .collect::<Vec<_>>()
                                    .join(", ")
                            ),
                        ));
                        None
                    }
                }
                _ => {
                    errors.push(refuse(
                        "show_if_question",
                        "A question can depend only on an earlier question with options.",
                    ));
                    None
                }
            },
        };
        match kind {
            Some(kind) if errors.is_empty() => Ok(Question {
                key,
                label: label.to_owned(),
                help: help.to_owned(),
                kind,
                choices,
                required: new.required,
                show_if,
            }),
            _ => Err(errors),
        }
    }

    /// Replaces the options of "How did you hear about the practice?", the one built-in list a
    /// practice words itself (one per line). An option whose words stay keeps its stored value,
    /// so answers already given still count under it; a new one is stored as its words.
    pub fn set_source_choices(&self, lines: &str) -> Result<Form, DefinitionError> {
        let question = self
            .question(super::SOURCE)
            .ok_or_else(|| refuse("choices", "That question is not on the form."))?;
        let mut choices: Vec<Choice> = Vec::new();
        for line in lines.lines().map(str::trim).filter(|l| !l.is_empty()) {
            if line.chars().count() > MAX_CHOICE_CHARS {
                return Err(refuse(
                    "choices",
                    format!("Please keep each option under {MAX_CHOICE_CHARS} characters."),
                ));
            }
            if choices.iter().any(|c| c.label == line) {
                return Err(refuse("choices", format!("“{line}” is listed twice.")));
            }
            let value = question
                .choices
                .iter()
                .find(|c| c.label == line)
                .map_or(line, |c| c.value.as_str());
            choices.push(Choice {
                value: value.to_owned(),
                label: line.to_owned(),
            });
        }
        if choices.len() < 2 || choices.len() > MAX_CHOICES {
            return Err(refuse(
                "choices",
                format!("Please give between 2 and {MAX_CHOICES} options, one per line."),
            ));
        }
        let mut form = self.clone();
        if let Some(q) = form.questions.iter_mut().find(|q| q.key == super::SOURCE) {
            q.choices = choices;
        }
        Ok(form)
    }

    /// Marks a question required or optional (built-in ones too).
    pub fn set_required(&self, key: &str, required: bool) -> Option<Form> {
        let mut form = self.clone();
        form.questions.iter_mut().find(|q| q.key == key)?.required = required;
        Some(form)
    }

    /// Takes one of the practice's questions off the form. Its answers stay, with the wording
    /// of the versions they were given under.
    pub fn retire(&self, key: &str) -> Result<Form, DefinitionError> {
        let question = self
            .question(key)
            .filter(|q| !q.is_builtin())
            .ok_or_else(|| refuse("question", "That question is not on the form."))?;
        if let Some(dependent) = self.dependents(key).next() {
            return Err(refuse(
                "question",
                format!(
                    "“{}” is shown only after an answer to “{}”: retire it first.",
                    dependent.label, question.label
                ),
            ));
        }
        let mut form = self.clone();
        form.questions.retain(|q| q.key != key);
        Ok(form)
    }

    fn dependents<'a>(&'a self, key: &'a str) -> impl Iterator<Item = &'a Question> {
        self.questions
            .iter()
            .filter(move |q| q.show_if.as_ref().is_some_and(|c| c.question == key))
    }

    /// Moves one of the practice's questions one place earlier (`up`) or later among the
    /// practice's questions. A question never moves above the one it depends on.
    pub fn move_question(&self, key: &str, up: bool) -> Result<Form, DefinitionError> {
        let at = self
            .questions
            .iter()
            .position(|q| q.key == key && !q.is_builtin())
            .ok_or_else(|| refuse("question", "That question is not on the form."))?;
        let other = if up { at.checked_sub(1) } else { Some(at + 1) }
            .filter(|&i| self.questions.get(i).is_some_and(|q| !q.is_builtin()));
        let Some(other) = other else {
            return Ok(self.clone());
        };
        let (first, second) = (at.min(other), at.max(other));
        let (earlier, later) = (&self.questions[first], &self.questions[second]);
        if later
            .show_if
            .as_ref()
            .is_some_and(|c| c.question == earlier.key)
        {
            return Err(refuse(
                "question",
                format!(
                    "“{}” depends on “{}”, so it stays after it.",
                    later.label, earlier.label
                ),
            ));
        }
        let mut form = self.clone();
        form.questions.swap(first, second);
        Ok(form)
    }
}

/// The form as a file: what it is, and every question in order.
#[derive(Debug, Serialize, Deserialize)]
struct File {
    format: String,
    questions: Vec<Question>,
}

impl Form {
    /// The form as a JSON file another installation can import.
    pub fn to_file(&self) -> String {
        let file = File {
            format: FILE_FORMAT.to_owned(),
            questions: self.questions.clone(),
        };
        serde_json::to_string_pretty(&file).unwrap_or_default()
    }

    /// The form a file describes, checked as if each question were added by hand, on top of
    /// this form's key counter (so an imported question never takes the key of one retired
    /// here). The built-in questions keep the product's wording; only whether each is required
    /// comes from the file.
    pub fn from_file(&self, json: &str) -> Result<Form, Vec<DefinitionError>> {
        let file: File = serde_json::from_str(json).map_err(|e| {
            vec![refuse(
                "file",
                format!("This is not a form file this version can read ({e})."),
            )]
        })?;
        if file.format != FILE_FORMAT {
            return Err(vec![refuse(
                "file",
                "This file is not an intake form exported from TrustBridge.",
            )]);
        }
        let mut form = Form {
            questions: self
                .questions
                .iter()
                .filter(|q| q.is_builtin())
                .cloned()
                .collect(),
            next_key: self.next_key,
        };
        let mut renamed: Vec<(String, String)> = Vec::new();
        for (n, q) in file.questions.iter().enumerate() {
            let at = |e: DefinitionError| DefinitionError {
                message: format!("Question {} (“{}”): {}", n + 1, q.label, e.message),
                ..e
            };
            if q.key.starts_with(BUILTIN_PREFIX) {
                form = form.set_required(&q.key, q.required).ok_or_else(|| {
                    vec![at(refuse("file", "it is not a built-in question here."))]
                })?;
                continue;
            }
            let show_if = q.show_if.as_ref().map(|c| Condition {
                question: renamed
                    .iter()
                    .find(|(old, _)| *old == c.question)
                    .map_or(c.question.clone(), |(_, new)| new.clone()),
                equals: c.equals.clone(),
            });
            let new = NewQuestion {
                label: q.label.clone(),
                help: q.help.clone(),
                kind: q.kind.as_str().to_owned(),
                choices: q
                    .choices
                    .iter()
                    .map(|c| c.label.as_str())
                    .collect::<Vec<_>>()
                    .join("\n"),
                required: q.required,
                show_if_question: show_if
                    .as_ref()
                    .map_or(String::new(), |c| c.question.clone()),
                show_if_equals: show_if.map_or(String::new(), |c| c.equals),
            };
            let added = form
                .add(&new)
                .map_err(|errors| errors.into_iter().map(at).collect::<Vec<_>>())?;
            let new_key = added.questions.last().map(|q| q.key.clone());
            renamed.push((q.key.clone(), new_key.unwrap_or_default()));
            form = added;
        }
        Ok(form)
    }
}
