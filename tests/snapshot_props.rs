//! Property tests for the snapshot file parser: arbitrary input never panics, and every
//! reported position lies inside the input.

use std::path::Path;

use edgepath::source::snapshot::{SnapshotError, parse_file_text};
use proptest::prelude::*;

fn check(text: String) {
    let lines = text.split('\n').count();
    match parse_file_text(Path::new("fuzz.json"), text.clone()) {
        Ok(()) | Err(SnapshotError::NotAnObject { .. }) => {}
        Err(SnapshotError::Json {
            line, column, at, ..
        }) => {
            assert!(line >= 1 && line <= lines.max(1), "line {line} of {lines}");
            assert!(column >= 1);
            assert!(at.offset() <= text.len());
            assert!(text.is_char_boundary(at.offset()));
        }
        Err(other) => panic!("unexpected error kind {other:?}"),
    }
}

proptest! {
    #[test]
    fn arbitrary_text_never_panics(text in ".{0,300}") {
        check(text);
    }

    #[test]
    fn mutated_aws_json_never_panics(cut in 0usize..400, junk in "[\\[\\]{}\",:a-zA-Z0-9 \\n]{0,8}") {
        let base = r#"{"SecurityGroups": [{"GroupId": "sg-1", "GroupName": "a", "IpPermissions": [{"IpProtocol": "tcp", "FromPort": 80, "ToPort": 80, "UserIdGroupPairs": [{"GroupId": "sg-2"}]}], "IpPermissionsEgress": []}], "TargetGroupArn": "x", "TargetHealthDescriptions": [{"Target": {"Id": "i-1", "Port": 80}, "TargetHealth": {"State": "healthy"}}]}"#;
        let cut = cut.min(base.len());
        let mut text = base[..cut].to_owned();
        text.push_str(&junk);
        text.push_str(&base[cut..]);
        check(text);
    }
}
