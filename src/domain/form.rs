//! A posted form as the browser sends it: `(name, value)` pairs in order, read by name.

/// The last value sent for `name` (a browser sends one; a crafted post may repeat it), or "".
pub fn value<'a>(form: &'a [(String, String)], name: &str) -> &'a str {
    form.iter()
        .rev()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_last_value_of_a_field_counts_and_a_missing_one_is_empty() {
        let form = vec![
            ("name".to_owned(), "Ana".to_owned()),
            ("name".to_owned(), "Bea".to_owned()),
        ];
        assert_eq!(value(&form, "name"), "Bea");
        assert_eq!(value(&form, "email"), "");
    }
}
