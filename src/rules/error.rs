//! What can go wrong loading rules, as one diagnostic type.
//!
//! Every variant names the rule file; the ones with a span point into it (miette draws the
//! line and column), so a typo in a team's `--rules` file reads like a compiler error.

use miette::{NamedSource, SourceSpan};

/// Errors loading rules. Every variant names the rule file; the ones with a span point into it.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum RuleError {
    /// A rule directory or file could not be read.
    #[error("cannot read {path}")]
    #[diagnostic(code(rule::io))]
    Io {
        /// The path.
        path: String,
        /// The OS error.
        #[source]
        source: std::io::Error,
    },
    /// The file is not valid TOML, or has a missing / unexpected key.
    #[error("{path}: invalid rule file: {message}")]
    #[diagnostic(code(rule::toml), help("see rules/README.md for the rule format"))]
    Toml {
        /// The file.
        path: String,
        /// The parser's message.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// `when` or `near_miss` names a field the fact kind does not have.
    #[error("{path}: unknown fact field `{field}` in `{rule_field}`")]
    #[diagnostic(
        code(rule::unknown_field),
        help("`{kind}` facts have: {known} (see `edgepath rules facts`)")
    )]
    UnknownField {
        /// The file.
        path: String,
        /// `when` or `near_miss`.
        rule_field: String,
        /// The unknown field.
        field: String,
        /// The fact kind it was looked up in.
        kind: String,
        /// The fields that exist.
        known: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("not in the fact schema")]
        at: SourceSpan,
    },
    /// A CEL syntax or type error.
    #[error("{path}: {message} in `{field}`")]
    #[diagnostic(
        code(rule::cel),
        help("conditions are CEL (https://cel.dev) over `fact`")
    )]
    Cel {
        /// The file.
        path: String,
        /// `when` or `near_miss`.
        field: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// A `{{placeholder}}` of `message` or `fix` is not a field of the fact kind.
    #[error("{path}: unknown template field `{{{{{placeholder}}}}}` in `{template}`")]
    #[diagnostic(
        code(rule::unknown_template_field),
        help("`{kind}` facts have: {known} (see `edgepath rules facts`)")
    )]
    UnknownTemplateField {
        /// The file.
        path: String,
        /// `message` or `fix`.
        template: String,
        /// The placeholder's text.
        placeholder: String,
        /// The fact kind.
        kind: String,
        /// The fields that exist.
        known: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("not in the fact schema")]
        at: SourceSpan,
    },
    /// Any other invalid value (severity, hop, fact kind, id ≠ stem, test case).
    #[error("{path}: invalid `{field}`: {message}")]
    #[diagnostic(code(rule::invalid))]
    Invalid {
        /// The file.
        path: String,
        /// The key.
        field: String,
        /// What is wrong.
        message: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("here")]
        at: SourceSpan,
    },
    /// A rule without at least one `fires` and one `silent` `[[test]]`.
    #[error("{path}: rule `{id}` has no [[test]] with {lacking}")]
    #[diagnostic(
        code(rule::missing_tests),
        help(
            "every rule needs at least one `[[test]]` with `expect = \"fires\"` and one with `expect = \"silent\"` (the healthy neighbour), each with `facts`, `snapshot` or `logs`; see rules/README.md, \"Tests\""
        )
    )]
    MissingTests {
        /// The file.
        path: String,
        /// The rule id.
        id: String,
        /// Which expectations have no case (`` `expect = "silent"` ``).
        lacking: String,
        /// The file's text.
        #[source_code]
        src: NamedSource<String>,
        /// Where.
        #[label("this rule needs {lacking} test cases")]
        at: SourceSpan,
    },
    /// Two files define the same id.
    #[error("rule id `{id}` is defined twice: {first} and {second}")]
    #[diagnostic(code(rule::duplicate_id), help("rename one of them (id = file stem)"))]
    DuplicateId {
        /// The id.
        id: String,
        /// The file loaded first.
        first: String,
        /// The file loaded second.
        second: String,
    },
}
